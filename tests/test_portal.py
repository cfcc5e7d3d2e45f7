"""The branches' upload portal over HTTP: personal links, what a link shows and takes, abuse.
The flow a secretary clicks through is in test_web_browser.py."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from sheetops.app.generate import GenerateResult
from sheetops.app.links import change_link, list_links
from sheetops.cli.main import main
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round, open_round
from sheetops.web.portal import Limits, RateLimit

from .crafted import fill_pack, pack_of
from .webclient import client, console_round, visible_text


@pytest.fixture
def served(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Round:
    return console_round(sample_round, tmp_path)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def link(round_: Round, code: str) -> str:
    return path_of(next(k.url for k in list_links(round_) if k.recipient == code))


def filled(round_: Round, code: str, folder: Path, name: str, **kwargs: object) -> Path:
    source, pack = pack_of(round_, code)
    return fill_pack(source, folder / name, pack, round_.scheme, **kwargs)  # type: ignore[arg-type]


def upload(browser: TestClient, page: str, files: list[tuple[str, bytes]]) -> str:
    """Upload through the page's form; the text of the outcome page once checked."""
    token = browser.cookies.get("csrftoken") or ""
    if not token:
        browser.get(page)
        token = browser.cookies.get("csrftoken") or ""
    answer = browser.post(page + "/upload", params={"csrftoken": token},
                          files=[("files", item) for item in files])
    assert answer.status_code == 303, answer.text
    for _ in range(600):
        text = browser.get(answer.headers["location"]).text
        if 'hx-trigger="every 1s"' not in text:
            return text
        time.sleep(0.1)
    raise AssertionError("the upload was not checked")


def test_links_lists_every_recipient_and_changes_one_at_a_time(served: Round) -> None:
    root = str(served.paths.root)
    result = CliRunner().invoke(main, ["links", root, "--json", "--base-url",
                                       "https://kaohe.example.cn"])
    links = json.loads(result.stdout)
    assert [(k["recipient"], k["state"]) for k in links[:2]] == [("0101", "active"),
                                                               ("0102", "active")]
    assert len(links) == 14
    assert {k["kind"] for k in links} == {"branch", "inspector"}
    assert all(k["url"].startswith("https://kaohe.example.cn/p/2026-year-end/") for k in links)
    assert len({k["url"] for k in links}) == 14
    secret = links[0]["url"].rsplit("/", 1)[1]
    assert len(secret) == 32  # 192 bits
    again = json.loads(CliRunner().invoke(main, ["links", root, "--json", "--base-url",
                                                 "https://kaohe.example.cn"]).stdout)
    assert again == links  # the same links, listed again
    renewed = CliRunner().invoke(main, ["links", root, "--renew", "0101"])
    assert renewed.stdout.splitlines()[0] == "已为 0101 机关办公室党支部 换发新的上传链接，原链接已失效"
    after = {k.recipient: k.url for k in list_links(served)}
    assert after["0101"].rsplit("/", 1)[1] != secret
    assert after["0102"] == links[1]["url"].replace("https://kaohe.example.cn",
                                                    "http://127.0.0.1:8300")
    revoked = CliRunner().invoke(main, ["links", root, "--revoke", "0102"])
    assert revoked.stdout.splitlines()[0] == "已吊销 0102 组织人事处党支部 的上传链接"
    assert [k.state for k in list_links(served)][:2] == ["active", "revoked"]
    unknown = CliRunner().invoke(main, ["links", root, "--revoke", "9999"])
    assert unknown.stderr == "错误：本轮没有发给“9999”的评分表\n"


def test_a_link_shows_its_recipients_forms_and_nobody_elses(served: Round) -> None:
    page = client(served).get(link(served, "0101"))
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "机关办公室党支部" in text and "本支部自评" in text
    rated = {f.target_name for f in pack_of(served, "0101")[1].forms}
    for branch in served.roster.branches:
        if branch.name not in rated:
            assert branch.name not in page.text, branch.name
    for inspector in served.roster.inspectors:
        assert inspector.name not in page.text
    assert "互评：组织人事处党支部" in text  # peer forms named by the branch they rate


def test_every_bad_link_gets_the_same_page(served: Round) -> None:
    good = link(served, "0101")
    browser = client(served)
    gone = browser.get(good[:-1] + ("A" if good[-1] != "A" else "B"))
    assert gone.status_code == 404
    assert "这个上传链接无效、已过期或已停用" in gone.text
    answers = [browser.get("/p/2026-year-end/" + "x" * 32), browser.get("/p/no-round/abc"),
               browser.get(good + "x")]
    change_link(served, "0102", renew=False)
    answers.append(browser.get(link(served, "0102")))
    old = link(served, "0103")
    change_link(served, "0103", renew=True)
    answers.append(browser.get(old))
    assert browser.get(link(served, "0103")).status_code == 200  # the renewed one opens
    text = served.paths.config.read_text(encoding="utf-8")
    served.paths.config.write_text(text.replace('expires = ""', "expires = 2020-01-01"),
                                   encoding="utf-8")
    answers.append(client(served).get(good))  # expired
    assert [a.status_code for a in answers] == [404] * 6
    bodies = {visible_text(a.text) for a in answers} | {visible_text(gone.text)}
    assert len(bodies) == 1


def test_a_return_through_its_link_and_another_recipients_form(served: Round,
                                                              tmp_path: Path) -> None:
    browser = client(served)
    page = link(served, "0101")
    bad = filled(served, "0101", tmp_path, "0101.xlsx", edits={"自评": {"F7": "很好"}})
    text = visible_text(upload(browser, page, [("0101-机关办公室党支部.xlsx",
                                                bad.read_bytes())]))
    assert "自评 F7 第1项“支部委员会坚持集体学习，深入学习…”的得分“很好”不是数字。" in text
    assert "请按上面的提示改正后重新上传。" in text
    good = filled(served, "0101", tmp_path, "0101-fixed.xlsx")
    text = visible_text(upload(browser, page, [("0101-改正.xlsx", good.read_bytes())]))
    assert "已收到，谢谢。" in text
    foreign = filled(served, "0105", tmp_path, "0105.xlsx")
    text = visible_text(upload(browser, page, [("别人的.xlsx", foreign.read_bytes())]))
    assert "文件中有 4 张表不是发给本单位的，未予采用。请只上传本单位的评分表。" in text
    rated = {f.target_name for f in pack_of(served, "0101")[1].forms}
    outcome = upload(browser, page, [("别人的-again.xlsx", foreign.read_bytes())])
    for branch in served.roster.branches:
        if branch.name not in rated:
            assert branch.name not in outcome, branch.name
    with Ledger(served.paths.ledger) as ledger:
        states = [(s.form_id, s.status) for s in ledger.submissions()
                  if s.form_id.startswith(("self-0101", "self-0105"))]
        codes = {i.code for f in ledger.files() for i in ledger.issues(f.sha256)}
        sources = {f.source.split("/")[0] for f in ledger.files()}
    assert states == [("self-0101", "rejected"), ("self-0101", "accepted"),
                      ("self-0105", "rejected")]
    assert "not-your-form" in codes and sources == {"portal:0101"}
    entries = [(e.actor, e.action) for e in __import__(
        "sheetops.app.accounts", fromlist=["x"]).audit_entries(served.paths.root)]
    assert ("portal:0101", "portal-upload") in entries


def test_the_staff_see_what_the_portal_took_in(served: Round, tmp_path: Path) -> None:
    browser = client(served)
    good = filled(served, "0101", tmp_path, "0101.xlsx")
    upload(browser, link(served, "0101"), [("0101.xlsx", good.read_bytes())])
    status = CliRunner().invoke(main, ["status", str(served.paths.root), "--json"])
    [mine] = [r for r in json.loads(status.stdout)["recipients"] if r["code"] == "0101"]
    assert mine["complete"] is True


def test_html_in_a_file_name_is_shown_as_text(served: Round, tmp_path: Path) -> None:
    good = filled(served, "0101", tmp_path, "0101.xlsx")
    outcome = upload(client(served), link(served, "0101"),
                     [("<img src=x onerror=alert(1)>.xlsx", good.read_bytes())])
    assert "<img src=x" not in outcome
    assert "&lt;img src=x onerror=alert(1)&gt;.xlsx" in outcome


def test_an_oversize_upload_records_nothing(served: Round) -> None:
    text = served.paths.config.read_text(encoding="utf-8")
    served.paths.config.write_text(text.replace("max_file_mb = 25", "max_file_mb = 1"),
                                   encoding="utf-8")
    round_ = open_round(served.paths.root)
    browser = client(round_)
    page = link(round_, "0101")
    browser.get(page)
    answer = browser.post(page + "/upload", params={"csrftoken": browser.cookies["csrftoken"]},
                          files=[("files", ("big.xlsx", b"PK\x03\x04" + b"\0" * 2**21))])
    assert answer.status_code == 413
    assert "超过单个文件上限 1 MB" in answer.text
    with Ledger(round_.paths.ledger) as ledger:
        assert ledger.files() == []


def test_rate_limits_per_address_and_per_link(served: Round, tmp_path: Path) -> None:
    browser = client(served)
    limits = Limits()
    limits.requests = RateLimit(3, 60)
    limits.uploads = RateLimit(1, 600)
    browser.app.state.portal_limits = limits  # type: ignore[attr-defined]
    page = link(served, "0101")
    assert [browser.get(page).status_code for _ in range(4)] == [200, 200, 200, 429]
    limits.requests = RateLimit(100, 60)
    good = filled(served, "0101", tmp_path, "0101.xlsx")
    token = browser.cookies["csrftoken"]
    first = browser.post(page + "/upload", params={"csrftoken": token},
                         files=[("files", ("a.xlsx", good.read_bytes()))])
    second = browser.post(page + "/upload", params={"csrftoken": token},
                          files=[("files", ("b.xlsx", good.read_bytes()))])
    assert (first.status_code, second.status_code) == (303, 429)
    assert "短时间内的请求太多" in second.text


def test_a_link_never_reaches_the_log(served: Round, monkeypatch: pytest.MonkeyPatch,
                                      caplog: pytest.LogCaptureFixture) -> None:
    page = link(served, "0101")
    secret = page.rsplit("/", 1)[1]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("sheetops.web.portal.link_recipient", broken)
    quiet = TestClient(client(served).app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="sheetops.web"):
        answer = quiet.get(page)
    assert answer.status_code == 500
    assert "/p/2026-year-end/…" in caplog.text
    assert secret not in caplog.text


def test_send_puts_the_link_above_the_attachments(served: Round) -> None:
    text = served.paths.config.read_text(encoding="utf-8")
    served.paths.config.write_text(text.replace('base_url = ""',
                                                'base_url = "https://kaohe.example.cn"'),
                                   encoding="utf-8")
    round_ = open_round(served.paths.root)
    result = CliRunner().invoke(main, ["send", str(round_.paths.root), "--dry-run"])
    assert result.exit_code == 0, result.output
    draft = next((round_.paths.outbox / "mail").glob("send-0101-*.eml")).read_bytes()
    import email
    import email.policy

    message = email.message_from_bytes(draft, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    url = next(k.url for k in list_links(round_) if k.recipient == "0101")
    assert "也可以打开本单位的专用上传链接" in body and url in body
    assert body.index(url) < body.index("附件“")
