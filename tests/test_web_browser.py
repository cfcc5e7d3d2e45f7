"""The console as a staff member meets it: a real uvicorn server and a real headless Chromium.

Sign in (after a failed attempt), upload a good and a bad form through the file input, read the
message naming the cell, record a veto with its reason, rank, see the ranking, download the
summary and open it with openpyxl. Screenshots of the dashboard and of an upload's outcome are
kept for the README (``docs/console-*.png``) when ``SHEETOPS_WRITE_DOCS`` is set.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from sheetops.app.collect import collect_round
from sheetops.app.generate import GenerateResult
from sheetops.model.workspace import Round

from .crafted import fill_pack, pack_of, stranger_mail
from .webclient import ACCOUNTS, PASSWORD, console_round

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="needs Debian's chromium (see .ci/apt-packages) for the real-browser tests")
DOCS = Path(__file__).resolve().parents[1] / "docs"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Iterator[tuple[str,
                                                                                       Round]]:
    """``sheetops serve`` on a free loopback port, in a process of its own."""
    round_ = console_round(sample_round, tmp_path)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sheetops", "serve", str(round_.paths.root), "--no-browser",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise AssertionError("the console did not start")
        yield f"http://127.0.0.1:{port}", round_
    finally:
        process.terminate()
        process.wait(20)
        assert process.stdout is not None
        print(process.stdout.read())  # the server's log, shown when a test fails


def test_a_staff_member_runs_the_round_in_a_browser(server: tuple[str, Round],
                                                    tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, round_ = server
    source, pack = pack_of(round_, "0101")
    good = fill_pack(source, tmp_path / "0101-机关办公室党支部.xlsx", pack, round_.scheme)
    source, pack = pack_of(round_, "0102")
    bad = fill_pack(source, tmp_path / "0102-组织人事处党支部.xlsx", pack, round_.scheme,
                    edits={"自评": {"F9": "很好"}})
    inspector_files = []
    for code in ("X01", "X02"):
        source, pack = pack_of(round_, code)
        inspector_files.append(fill_pack(source, tmp_path / f"{code}.xlsx", pack,
                                         round_.scheme))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                accept_downloads=True)
        problems: list[str] = []
        # Script errors only: a refused sign-in (401) is logged by the browser as a failed load.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error"
                and not m.text.startswith("Failed to load resource") else None)
        page.on("pageerror", lambda error: problems.append(str(error)))

        # A visitor is sent to sign in; a wrong password is refused in Chinese.
        page.goto(base + "/rounds/2026-year-end")
        expect(page).to_have_url(base + "/login?next=%2Frounds%2F2026-year-end")
        page.fill("input[name=name]", ACCOUNTS["staff"])
        page.fill("input[name=password]", "不对的密码")
        page.click("button[type=submit]")
        expect(page.get_by_role("alert")).to_have_text("账号或密码不正确")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        expect(page).to_have_url(base + "/rounds/2026-year-end")
        expect(page.locator("h1")).to_have_text("收交概况")

        # Upload a good and a bad pack through the file input, with the inspectors' packs.
        page.click("text=上传退回文件")
        page.set_input_files("#files", [str(good), str(bad), *map(str, inspector_files)])
        expect(page.locator("#chosen li")).to_have_count(4)
        page.click("button:has-text('上传并检查')")
        expect(page.locator("h2").first).to_have_text("本次收到 4 个文件", timeout=60_000)
        bad_row = page.locator("tr", has_text="0102-组织人事处党支部.xlsx")
        expect(bad_row).to_contain_text(
            "自评 F9 第3项“落实党建工作责任制，支部书记履行…”的得分“很好”不是数字。")
        if os.environ.get("SHEETOPS_WRITE_DOCS"):
            page.screenshot(path=str(DOCS / "console-upload.png"), full_page=True)

        # The dashboard counts what came in and lists who still owes.
        page.click("text=返回收交概况")
        expect(page.locator("ul.counts li.missing strong")).to_have_text("40")
        page.fill("#q", "0112")
        expect(page.locator("#chase tbody tr")).to_have_count(1)
        expect(page.locator("#chase")).to_contain_text("设计研究院党支部")
        expect(page.locator("#chase")).to_contain_text("13800000112")  # whom to phone
        if os.environ.get("SHEETOPS_WRITE_DOCS"):
            page.fill("#q", "")
            expect(page.locator("#chase tbody tr").first).to_be_visible()
            page.screenshot(path=str(DOCS / "console-dashboard.png"), full_page=True)

        # A committee veto needs its reason.
        page.click("nav.round >> text=一票否决")
        page.select_option("select[name=branch]", "0101")
        page.select_option("select[name=veto]", "discipline")
        page.fill("textarea[name=note]", "该支部一名党员受到党纪处分")
        page.click("button:has-text('确认否决')")
        expect(page.get_by_role("status")).to_have_text(
            "已记录一票否决。请重新排名，使结果生效。")

        # Rank, read the ranking, download the summary.
        page.click("nav.round >> text=排名与报表")
        page.click("button:has-text('排名并生成报表')")
        expect(page.get_by_role("status")).to_contain_text("已排名")
        vetoed = page.locator("tr.vetoed", has_text="机关办公室党支部")
        expect(vetoed).to_contain_text("一票否决：考核年度内，支部是否有党员受到党纪政纪处分？")
        with page.expect_download() as waiting:
            page.click("text=汇总表（.xlsx）")
        saved = tmp_path / "summary.xlsx"
        waiting.value.save_as(saved)

        # Feedback while forms are outstanding: refused, unless marked provisional.
        page.click("button:has-text('生成各支部反馈表')")
        expect(page.get_by_role("alert")).to_contain_text("张评分表未收齐、被退回或待审核")
        page.check("input[name=provisional]")
        page.click("button:has-text('生成各支部反馈表')")
        expect(page.get_by_role("status")).to_have_text("各支部反馈表已写出，可在下方下载。")

        # A return mailed from an address not on the roster waits for review on the dashboard;
        # staff confirm it by phone and accept it on its page, with the reason.
        source, pack = pack_of(round_, "0103")
        stranger = fill_pack(source, tmp_path / "0103.xlsx", pack, round_.scheme).read_bytes()
        (round_.paths.inbox / "stranger.eml").write_bytes(stranger_mail(stranger, "0103.xlsx"))
        collect_round(round_)
        page.click("nav.round >> text=收交概况")
        held = page.locator("#held")
        expect(held).to_contain_text("待审核的文件")
        with page.expect_download() as chase:
            page.click("text=下载催交清单（Excel）")
        chase_list = tmp_path / "chase.xlsx"
        chase.value.save_as(chase_list)
        held.locator("a", has_text="0103.xlsx").click()
        expect(page.locator("p.muted").first).to_contain_text("暂不计分")
        page.fill("#accept-form textarea[name=note]", "电话核实：书记用个人邮箱代发")
        page.click("button:has-text('核实无误，采用')")
        expect(page.get_by_role("status")).to_have_text("已采用，相关表格已计入考核。")
        page.click("nav.round >> text=收交概况")
        expect(page.locator("#held")).to_have_count(0)
        browser.close()
    book = openpyxl.load_workbook(saved, read_only=True)
    assert "排名" in book.sheetnames
    assert "催交清单" in openpyxl.load_workbook(chase_list, read_only=True).sheetnames
    assert problems == []


def test_a_secretary_returns_forms_through_the_personal_link(server: tuple[str, Round],
                                                             tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    from sheetops.app.links import list_links

    base, round_ = server
    url = next(k.url for k in list_links(round_) if k.recipient == "0101")
    path = "/" + url.split("/", 3)[3]
    source, pack = pack_of(round_, "0101")
    wrong = fill_pack(source, tmp_path / "0101-机关办公室党支部.xlsx", pack, round_.scheme,
                      edits={"自评": {"F7": "九十"}, "互评-0102": {"F8": "好"}})
    fixed_folder = tmp_path / "fixed"
    fixed_folder.mkdir()
    fixed = fill_pack(source, fixed_folder / "0101-机关办公室党支部.xlsx", pack, round_.scheme)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        phone = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                 is_mobile=True, has_touch=True)
        phone.goto(base + path)
        expect(phone.locator("h1")).to_have_text("机关办公室党支部")
        expect(phone.locator("table.portal-forms tbody tr")).to_have_count(4)
        phone.set_input_files("#files", str(wrong))
        phone.click("button:has-text('上传并检查')")
        expect(phone.locator("h2").first).to_have_text("已检查 1 个文件", timeout=60_000)
        expect(phone.locator("ul.issues")).to_contain_text(
            "互评-0102 F8 第2项“坚持民主集中制，重要事项经支部委…”的得分“好”不是数字。")
        expect(phone.locator("p.next")).to_have_text("请按上面的提示改正后重新上传。")
        phone.click("text=返回本单位评分表")
        phone.set_input_files("#files", str(fixed))
        phone.click("button:has-text('上传并检查')")
        expect(phone.locator("section.outcome")).to_contain_text("已收到，谢谢。",
                                                                 timeout=60_000)
        phone.click("text=返回本单位评分表")
        expect(phone.locator("table.portal-forms")).not_to_contain_text("已退回")
        expect(phone.locator("ul.files li").first).to_contain_text("已采用")
        expect(phone.locator("ul.files li").nth(1)).to_contain_text("已被新版本替代")
        browser.close()
    from sheetops.ledger.status import round_status

    [mine] = [r for r in round_status(round_).recipients if r.code == "0101"]
    assert mine.complete
