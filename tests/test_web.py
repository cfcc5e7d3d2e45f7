"""The staff console through the in-process ASGI client: sign-in, roles, CSRF, uploads, the
API, sessions, headers, errors. The real-browser flows are in test_web_browser.py."""

from __future__ import annotations

import io
import json
import re
import shutil
import threading
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetops.app.accounts import MAX_FAILURES, add_token, remove_user
from sheetops.app.collect import collect_round, round_lock
from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.init import init_round
from sheetops.app.upkeep import restore_round
from sheetops.cli.main import main
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round, open_round

from .conftest import TODAY, write_roster
from .crafted import fill_pack, pack_of, stranger_mail
from .webclient import (
    ACCOUNTS,
    PASSWORD,
    client,
    console_round,
    csrf,
    signed_in,
    visible_text,
)

R = "/rounds/2026-year-end"


@pytest.fixture
def served(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Round:
    """A copy of the generated sample round, with an admin, a staff and a viewer account."""
    return console_round(sample_round, tmp_path)


def filled_pack(round_: Round, recipient: str, folder: Path, name: str,
                **kwargs: object) -> Path:
    source, pack = pack_of(round_, recipient)
    return fill_pack(source, folder / name, pack, round_.scheme, **kwargs)  # type: ignore[arg-type]


# -- signing in ---------------------------------------------------------------------------


def test_every_page_sends_a_visitor_to_sign_in(served: Round) -> None:
    browser = client(served)
    for path in ("/rounds", R, R + "/ranking", R + "/upload", "/audit", "/accounts"):
        answer = browser.get(path)
        assert (answer.status_code, answer.headers["location"]) == (
            303, "/login?next=" + path.replace("/", "%2F")), path


def test_sign_in_then_back_to_the_page_asked_for(served: Round) -> None:
    browser = client(served)
    answer = browser.post("/login", data={"csrftoken": csrf(browser), "name": ACCOUNTS["staff"],
                                          "password": PASSWORD, "next": R + "/ranking"})
    assert (answer.status_code, answer.headers["location"]) == (303, R + "/ranking")
    page = browser.get(R + "/ranking")
    assert page.status_code == 200
    assert "排名与报表" in page.text and "工作人员乙（工作人员）" in page.text


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_sign_in_never_sends_elsewhere(served: Round, target: str) -> None:
    browser = client(served)
    answer = browser.post("/login", data={"csrftoken": csrf(browser), "name": ACCOUNTS["staff"],
                                          "password": PASSWORD, "next": target})
    assert answer.headers["location"] == "/rounds"


def test_a_wrong_password_then_the_lockout(served: Round) -> None:
    browser = client(served)
    token = csrf(browser)
    for _ in range(MAX_FAILURES):
        answer = browser.post("/login", data={"csrftoken": token, "name": ACCOUNTS["staff"],
                                              "password": "不对"})
        assert answer.status_code == 401
        assert "账号或密码不正确" in answer.text
    locked = browser.post("/login", data={"csrftoken": token, "name": ACCOUNTS["staff"],
                                          "password": PASSWORD})
    assert locked.status_code == 429
    assert "该账号连续登录失败次数过多，请 15 分钟后再试" in locked.text
    # Another name is not locked out by this one's failures.
    other = browser.post("/login", data={"csrftoken": token, "name": ACCOUNTS["viewer"],
                                         "password": PASSWORD})
    assert other.status_code == 303


def test_an_unknown_name_reads_like_a_wrong_password(served: Round) -> None:
    browser = client(served)
    answer = browser.post("/login", data={"csrftoken": csrf(browser), "name": "无此人",
                                          "password": PASSWORD})
    assert answer.status_code == 401
    assert "账号或密码不正确" in answer.text


def test_logout_ends_the_session_on_the_server(served: Round) -> None:
    browser = signed_in(served, "staff")
    cookie = browser.cookies["sheetops_session"]
    token = csrf(browser, R)
    assert browser.post("/logout", data={"csrftoken": token}).status_code == 303
    again = client(served)
    again.cookies.set("sheetops_session", cookie)  # a copy of the old cookie is worth nothing
    assert again.get(R).status_code == 303


def test_removing_an_account_ends_its_sessions_at_once(served: Round) -> None:
    browser = signed_in(served, "staff")
    assert browser.get(R).status_code == 200
    remove_user(served.paths.root, ACCOUNTS["staff"])
    assert browser.get(R).headers["location"].startswith("/login")


def test_the_one_time_link_works_once(served: Round) -> None:
    browser = client(served, one_time="secret-of-serve")
    assert browser.get("/login/once/wrong").status_code == 404
    answer = browser.get("/login/once/secret-of-serve")
    assert (answer.status_code, answer.headers["location"]) == (303, "/rounds")
    assert "本机（管理员）" in browser.get("/rounds").text
    assert client(served).get("/login/once/secret-of-serve").status_code == 404


# -- roles: one table of route × role → status --------------------------------------------

GETS = [(R, 200, 200, 200), (R + "/ranking", 200, 200, 200), (R + "/vetoes", 200, 200, 200),
        (R + "/packs", 200, 200, 200), (R + "/upload", 200, 200, 403),
        (R + "/mail/remind", 200, 200, 403), (R + "/settings", 200, 403, 403),
        (R + "/backup.zip", 200, 403, 403), (R + "/chase.xlsx", 200, 200, 200),
        ("/audit", 200, 200, 403), ("/accounts", 200, 403, 403), ("/rounds", 200, 200, 200)]
POSTS = [R + "/upload", R + "/generate", R + "/mail/fetch", R + "/mail/send", R + "/vetoes",
         R + "/files/" + "0" * 64 + "/accept",
         R + "/rank", R + "/feedback", R + "/records", R + "/settings", "/accounts"]


@pytest.mark.parametrize(("path", "admin", "staff", "viewer"), GETS)
def test_who_may_read_what(served: Round, path: str, admin: int, staff: int,
                           viewer: int) -> None:
    for role, expected in (("admin", admin), ("staff", staff), ("viewer", viewer)):
        assert signed_in(served, role).get(path).status_code == expected, (role, path)


@pytest.mark.parametrize("path", POSTS)
def test_a_viewer_changes_nothing(served: Round, path: str) -> None:
    browser = signed_in(served, "viewer")
    answer = browser.post(path, data={"csrftoken": csrf(browser, R)})
    assert answer.status_code == 403
    assert "没有权限执行此操作" in answer.text


def test_staff_may_not_change_settings_or_accounts(served: Round) -> None:
    browser = signed_in(served, "staff")
    token = csrf(browser, R)
    assert browser.post(R + "/settings", data={"csrftoken": token, "toml": ""}
                        ).status_code == 403
    assert browser.post("/accounts", data={"csrftoken": token, "action": "add"}
                        ).status_code == 403


# -- CSRF, headers, errors -----------------------------------------------------------------


def test_a_request_with_only_a_session_cookie_is_refused(served: Round) -> None:
    browser = signed_in(served, "staff")
    answer = browser.post(R + "/rank", data={})
    assert answer.status_code == 403
    assert "页面已过期或请求来源不明，操作未执行" in answer.text
    assert not (served.paths.reports / "summary-2026-year-end.xlsx").exists()


def test_an_upload_without_its_token_is_refused(served: Round, tmp_path: Path) -> None:
    good = filled_pack(served, "0101", tmp_path, "good.xlsx")
    browser = signed_in(served, "staff")
    answer = browser.post(R + "/upload", files=[("files", ("good.xlsx", good.read_bytes()))])
    assert answer.status_code == 403
    assert not served.paths.ledger.exists() or not Ledger(served.paths.ledger).files()


def test_security_headers_on_every_response(served: Round) -> None:
    browser = signed_in(served, "staff")
    for path in ("/login", R, "/nowhere"):
        headers = browser.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "'unsafe-inline'" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    cookie = browser.cookies.jar
    session = next(c for c in cookie if c.name == "sheetops_session")
    assert session.has_nonstandard_attr("httponly") or session.has_nonstandard_attr("HttpOnly")


def test_no_inline_script_or_style_in_any_page(served: Round) -> None:
    browser = signed_in(served, "admin")
    for path in ("/login", "/rounds", R, R + "/ranking", R + "/upload", R + "/vetoes",
                 R + "/settings", "/audit", "/accounts", R + "/print"):
        page = browser.get(path).text
        assert "<script>" not in page and " style=" not in page and "<style" not in page, path
        assert "onclick" not in page and "javascript:" not in page, path


def test_a_bug_shows_an_error_id_never_a_traceback(served: Round,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(round_: Round) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("sheetops.web.views.current_ranking", broken)
    browser = signed_in(served, "staff")
    browser.app_state = None
    from starlette.testclient import TestClient

    quiet = TestClient(browser.app, raise_server_exceptions=False, follow_redirects=False,
                       cookies=browser.cookies)
    answer = quiet.get(R + "/ranking")
    assert answer.status_code == 500
    text = visible_text(answer.text)
    assert "系统出现错误，已记录在服务器日志中（错误编号" in text
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


def test_html_in_names_is_shown_as_text(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", [
        ("0001", "<script>alert(1)</script>支部", "书记", "a@example.org"),
        ("0002", "二支部", "书记", "b@example.org"),
        ("0003", "三支部", "书记", "c@example.org"),
        ("0004", "四支部", "书记", "d@example.org")],
        [("X1", "<b>巡查组</b>", "x@example.org", "")])
    round_ = init_round(tmp_path / "2026-year-end", roster, today=TODAY).round
    generate_scoresheets(round_)
    from sheetops.app.accounts import add_user

    add_user(round_.paths.root, "staff", "staff", PASSWORD)
    browser = client(round_)
    browser.post("/login", data={"csrftoken": csrf(browser), "name": "staff",
                                 "password": PASSWORD})
    page = browser.get(R + "?state=all").text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;支部" in page
    assert "&lt;b&gt;巡查组&lt;/b&gt;" in page


# -- uploads ----------------------------------------------------------------------------------


def upload(browser: object, files: list[tuple[str, bytes]], path: str = R + "/upload"
           ) -> object:
    token = csrf(browser, R + "/upload")  # type: ignore[arg-type]
    return browser.post(path, params={"csrftoken": token},  # type: ignore[attr-defined]
                        files=[("files", (name, data)) for name, data in files])


def wait_for(browser: object, location: str) -> str:
    for _ in range(600):
        page = browser.get(location).text  # type: ignore[attr-defined]
        if 'hx-trigger="every 1s"' not in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_upload_a_good_and_a_bad_form(served: Round, tmp_path: Path) -> None:
    good = filled_pack(served, "0101", tmp_path, "good.xlsx")
    bad = filled_pack(served, "0102", tmp_path, "bad.xlsx",
                      edits={"自评": {"F7": "很好", "F9": 1, "F11": 1}})
    browser = signed_in(served, "staff")
    answer = upload(browser, [("0101-机关办公室党支部.xlsx", good.read_bytes()),
                              ("C:\\fakepath\\0102-组织人事处.xlsx", bad.read_bytes())])
    assert answer.status_code == 303  # type: ignore[attr-defined]
    page = visible_text(wait_for(browser, answer.headers["location"]))  # type: ignore[attr-defined]
    assert "本次收到 2 个文件" in page
    assert "采用 1 个，有提示 1 个，退回 0 个" in page
    problems = ["自评 F7 第1项“支部委员会坚持集体学习，深入学习…”的得分“很好”不是数字。",
                "自评 G9、G11 共 2 处。第一处：第3项“落实党建工作责任制，支部书记履行…”得 1 分"
                "（满分 4），但没有写扣分说明。"]  # the same cells' problem is one line
    assert all(problem in page for problem in problems)
    assert "自评 G11 " not in page and page.count("没有写扣分说明") == 1
    with Ledger(served.paths.ledger) as ledger:
        sha = next(f.sha256 for f in ledger.files() if f.name.startswith("0102"))
    file_page = visible_text(browser.get(f"{R}/files/{sha}").text)  # type: ignore[attr-defined]
    assert all(problem in file_page for problem in problems)
    assert "自评 G11 " not in file_page and file_page.count("没有写扣分说明") == 1
    listing = browser.get(f"{R}/reports/rejections.csv")  # type: ignore[attr-defined]
    assert listing.headers["content-type"] == "text/csv; charset=utf-8"
    lines = listing.content.decode("utf-8-sig").splitlines()
    assert [line.split(",")[9] for line in lines] == ["单元格", "F7", "G9", "G11"]
    with Ledger(served.paths.ledger) as ledger:
        names = sorted((f.name, f.source.split("/")[0]) for f in ledger.files())
    assert names == [("0101-机关办公室党支部.xlsx", "upload:工作人员乙"),
                     ("0102-组织人事处.xlsx", "upload:工作人员乙")]


def test_an_upload_over_the_limit_records_nothing(served: Round, tmp_path: Path) -> None:
    text = served.paths.config.read_text(encoding="utf-8")
    served.paths.config.write_text(text.replace("max_file_mb = 25", "max_file_mb = 1"),
                                   encoding="utf-8")
    good = filled_pack(served, "0101", tmp_path, "good.xlsx")
    browser = signed_in(served, "staff")
    answer = upload(browser, [("good.xlsx", good.read_bytes()),
                              ("big.xlsx", b"PK\x03\x04" + b"\0" * (2 * 2**20))])
    assert answer.status_code == 413  # type: ignore[attr-defined]
    assert "文件“big.xlsx”超过单个文件上限 1 MB，本次上传的文件均未收取" in answer.text  # type: ignore[attr-defined]
    assert not served.paths.ledger.exists() or not Ledger(served.paths.ledger).files()
    assert not any(served.paths.archive.rglob("*.xlsx"))


def test_a_body_over_the_upload_cap_is_refused_before_it_is_read(served: Round) -> None:
    text = served.paths.config.read_text(encoding="utf-8")
    served.paths.config.write_text(text.replace("max_upload_mb = 500", "max_upload_mb = 1"),
                                   encoding="utf-8")
    browser = signed_in(served, "staff")
    answer = upload(browser, [("huge.zip", b"\0" * (3 * 2**20))])
    assert answer.status_code == 413  # type: ignore[attr-defined]


# -- the API ---------------------------------------------------------------------------------


def api(served: Round, role: str) -> tuple[object, dict[str, str]]:
    token = add_token(served.paths.root, ACCOUNTS[role]).secret
    return client(served), {"authorization": f"Bearer {token}"}


def test_api_needs_a_token(served: Round) -> None:
    browser = client(served)
    answer = browser.get("/api/rounds")
    assert answer.status_code == 401
    assert answer.json() == {"error": "unauthorized", "message": "请先登录"}
    bad = browser.get("/api/rounds", headers={"authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_api_status_is_the_status_document(served: Round) -> None:
    browser, headers = api(served, "viewer")
    answer = browser.get(f"/api{R}/status", headers=headers)  # type: ignore[attr-defined]
    cli = CliRunner().invoke(main, ["status", str(served.paths.root), "--json"])
    assert answer.json() == json.loads(cli.stdout)
    rounds = browser.get("/api/rounds", headers=headers).json()  # type: ignore[attr-defined]
    assert [(r["id"], r["counts"]["missing"]) for r in rounds["rounds"]] == [
        ("2026-year-end", 60)]


@pytest.mark.parametrize(("method", "path"), [
    ("post", f"/api{R}/uploads"), ("post", f"/api{R}/rank"), ("post", f"/api{R}/vetoes"),
    ("get", f"/api{R}/audit")])
def test_a_viewer_token_changes_nothing(served: Round, method: str, path: str) -> None:
    browser, headers = api(served, "viewer")
    answer = getattr(browser, method)(path, headers=headers)
    assert answer.status_code == 403
    assert answer.json()["error"] == "forbidden"


def test_api_upload_answers_with_the_collect_document(served: Round, tmp_path: Path) -> None:
    good = filled_pack(served, "0101", tmp_path, "0101.xlsx")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.write(good, "退回/0101.xlsx")
    browser, headers = api(served, "staff")
    answer = browser.post(f"/api{R}/uploads", headers=headers,  # type: ignore[attr-defined]
                          files=[("files", ("returns.zip", archive.getvalue()))])
    document = answer.json()
    assert answer.status_code == 200
    assert [(f["name"], f["status"], f["source"]) for f in document["files"]] == [
        ("0101.xlsx", "accepted", "upload:工作人员乙/returns.zip!退回/0101.xlsx")]
    assert document["forms"] == {"expected": 60, "accepted": 4}


def test_api_rank_is_the_rank_document_and_vetoes_are_recorded(served: Round) -> None:
    browser, headers = api(served, "staff")
    vetoed = browser.post(f"/api{R}/vetoes", headers=headers,  # type: ignore[attr-defined]
                          json={"branch": "0101", "veto": "党纪处分", "note": "党纪处分"})
    assert vetoed.json() == {"round": "2026-year-end", "branch": "0101", "veto": "discipline",
                             "recorded": 1}
    ranked = browser.post(f"/api{R}/rank", headers=headers).json()  # type: ignore[attr-defined]
    cli = CliRunner().invoke(main, ["rank", str(served.paths.root), "--json"])
    assert ranked == json.loads(cli.stdout)
    summary = browser.get(f"/api{R}/reports/summary", headers=headers)  # type: ignore[attr-defined]
    assert summary.content[:2] == b"PK"
    entries = browser.get(f"/api{R}/audit", headers=headers).json()["entries"]  # type: ignore[attr-defined]
    assert [(e["action"], e["actor"], e["detail"]) for e in entries] == [
        ("rank", "工作人员乙", ""), ("veto", "工作人员乙", "0101 discipline: 党纪处分")]
    name = served.roster.branch("0101").name
    revoked = browser.post(f"/api{R}/vetoes", headers=headers,  # type: ignore[attr-defined]
                           json={"branch": name, "veto": "discipline", "note": "经复核",
                                 "remove": True})
    assert revoked.json() == {"round": "2026-year-end", "branch": "0101", "veto": "discipline",
                              "removed": 1}


def test_an_upload_waits_while_collect_runs(served: Round, tmp_path: Path) -> None:
    good = filled_pack(served, "0101", tmp_path, "0101.xlsx")
    browser, headers = api(served, "staff")
    released = threading.Event()
    answers: list[object] = []

    def hold() -> None:
        with round_lock(served):  # what a CLI collect holds while it runs
            released.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.2)
    sender = threading.Thread(target=lambda: answers.append(browser.post(  # type: ignore[attr-defined]
        f"/api{R}/uploads", headers=headers, files=[("files", ("0101.xlsx",
                                                               good.read_bytes()))])))
    sender.start()
    time.sleep(2)
    assert not answers  # still waiting for the lock, not failed
    released.set()
    holder.join()
    sender.join(60)
    assert answers[0].json()["counts"]["accepted"] == 1  # type: ignore[attr-defined]


# -- pages after work ----------------------------------------------------------------------


def test_veto_from_the_page_needs_a_reason(served: Round) -> None:
    browser = signed_in(served, "staff")
    token = csrf(browser, R + "/vetoes")
    refused = browser.post(R + "/vetoes", data={"csrftoken": token, "branch": "0101",
                                                "veto": "discipline", "note": "  "})
    assert refused.status_code == 400
    recorded = browser.post(R + "/vetoes", data={"csrftoken": token, "branch": "0101",
                                                 "veto": "discipline", "note": "党纪处分一人"})
    assert recorded.headers["location"] == R + "/vetoes?done=recorded"
    page = visible_text(browser.get(recorded.headers["location"]).text)
    assert "已记录一票否决。请重新排名，使结果生效。" in page and "党纪处分一人" in page


def test_settings_are_checked_before_they_are_saved(served: Round) -> None:
    browser = signed_in(served, "admin")
    token = csrf(browser, R + "/settings")
    original = served.paths.config.read_text(encoding="utf-8")
    broken = original.replace("peers_per_branch = 3", "peers_per_branch = -1")
    answer = browser.post(R + "/settings", data={"csrftoken": token, "toml": broken})
    assert answer.status_code == 400
    assert served.paths.config.read_text(encoding="utf-8") == original
    saved = browser.post(R + "/settings", data={
        "csrftoken": token, "toml": original.replace("decimals = 2", "decimals = 1")})
    assert saved.headers["location"] == R + "/settings?done=saved"
    assert "decimals = 1" in served.paths.config.read_text(encoding="utf-8")


def test_an_administrator_downloads_a_backup_that_restores(served: Round,
                                                           tmp_path: Path) -> None:
    browser = signed_in(served, "admin")
    assert 'href="/rounds/2026-year-end/backup.zip"' in browser.get(R + "/settings").text
    answer = browser.get(R + "/backup.zip")
    assert answer.headers["content-type"] == "application/zip"
    assert re.fullmatch(r'attachment; filename="2026-year-end-backup-\d{8}-\d{6}\.zip"',
                        answer.headers["content-disposition"])
    saved = tmp_path / "backup.zip"
    saved.write_bytes(answer.content)
    restored = restore_round(saved, tmp_path / "restored")
    assert open_round(restored.path).config.id == "2026-year-end"
    csv_text = browser.get("/audit.csv").content.decode("utf-8-sig")
    assert ["管理员甲", "testclient", "backup", "2026-year-end"] in [
        line.split(",")[1:5] for line in csv_text.splitlines()[1:]]


def test_the_audit_log_records_who_did_what_and_exports_csv(served: Round) -> None:
    browser = signed_in(served, "admin")
    token = csrf(browser, R)
    browser.post(R + "/rank", data={"csrftoken": token})
    csv_text = browser.get("/audit.csv").content.decode("utf-8-sig")
    rows = [line.split(",")[1:5] for line in csv_text.splitlines()[1:]]
    assert ["管理员甲", "testclient", "login", ""] in rows
    assert ["管理员甲", "testclient", "rank", "2026-year-end"] in rows
    with pytest.raises(Exception, match="append-only"):
        import sqlite3

        db = sqlite3.connect(served.paths.root / ".sheetops" / "console.sqlite")
        db.execute("DELETE FROM audit")


def test_english_pages(served: Round) -> None:
    browser = signed_in(served, "staff")
    answer = browser.get("/lang/en?next=" + R)
    assert answer.headers["location"] == R
    page = visible_text(browser.get(R).text)
    assert "Chase list" in page and "forms expected" in page


def test_packs_download_as_one_zip(served: Round) -> None:
    browser = signed_in(served, "viewer")
    answer = browser.get(R + "/packs.zip")
    assert answer.status_code == 200
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        names = archive.namelist()
    assert "manifest.csv" in names
    assert "branches/0101-机关办公室党支部.xlsx" in names
    assert len(names) == 14 + 12 + 1


def test_send_after_a_preview_through_the_rounds_mail_server(served: Round) -> None:
    from .mailservers import HOST, running_smtp

    with running_smtp("plain", None) as server:
        text = served.paths.config.read_text(encoding="utf-8")
        text = (text.replace('smtp_host = ""', f'smtp_host = "{HOST}"')
                .replace("smtp_port = 0", f"smtp_port = {server.port}")
                .replace('smtp_security = "starttls"', 'smtp_security = "plain"')
                .replace('from = ""', 'from = "党委组织部考核办 <kh@example.org>"'))
        served.paths.config.write_text(text, encoding="utf-8")
        browser = signed_in(served, "staff")
        preview = browser.get(R + "/mail/send")
        page = visible_text(preview.text)
        assert "下面是将要发出的 14 封邮件（预览，尚未发送）" in page
        assert "2026年度党支部建设目标管理年终考核评分表：机关办公室党支部（0101）" in page
        assert server.handler.messages == []  # a preview sends nothing
        token = csrf(browser, R + "/mail/send")
        answer = browser.post(R + "/mail/send", data={"csrftoken": token})
        done = visible_text(wait_for(browser, answer.headers["location"]))
        assert "评分表发送完毕" in done and "已发送：14" in done
        assert len(server.handler.messages) == 14


def test_fetch_mail_now_from_the_rounds_imap_folder(served: Round, tmp_path: Path) -> None:
    from .mailservers import HOST, IMAP_PASSWORD, make_certificate, running_dovecot
    from .test_mail_collect import attachment, b64, message

    certificate = make_certificate(tmp_path / "tls")
    good = filled_pack(served, "0101", tmp_path, "0101.xlsx")
    with running_dovecot(certificate) as imap:
        imap.append("kaohe", [message(
            b"dzb0101@dangjian.example.cn", b"=?utf-8?b?" + b64("评分表".encode()) + b"?=",
            [attachment(b'Content-Type: application/octet-stream; name="0101.xlsx"\r\n'
                        b'Content-Disposition: attachment; filename="0101.xlsx"',
                        good.read_bytes())])])
        shutil.copyfile(certificate.cert, served.paths.root / "ca.pem")
        text = served.paths.config.read_text(encoding="utf-8")
        served.paths.config.write_text(
            text.replace('imap = ""', f'imap = "imaps://kaohe@{HOST}:{imap.ssl_port}/INBOX"')
            .replace('cafile = ""', 'cafile = "ca.pem"'), encoding="utf-8")
        browser = signed_in(served, "staff")
        token = csrf(browser, R)
        answer = browser.post(R + "/mail/fetch", data={"csrftoken": token,
                                                       "password": IMAP_PASSWORD})
        done = visible_text(wait_for(browser, answer.headers["location"]))
    assert "本次收到 1 个文件" in done and "采用 1 个" in done
    with Ledger(served.paths.ledger) as ledger:
        assert [(f.name, f.sender) for f in ledger.files()] == [
            ("0101.xlsx", "dzb0101@dangjian.example.cn")]


# -- held for review, accepted on the file's page ------------------------------------------


def test_staff_accept_a_return_held_for_review_on_its_page(served: Round, tmp_path: Path) -> None:
    data = filled_pack(served, "0101", tmp_path, "0101.xlsx").read_bytes()
    (served.paths.inbox / "stranger.eml").write_bytes(stranger_mail(data, "0101.xlsx"))
    [outcome] = collect_round(served).files
    sha = outcome.record.sha256
    staff = signed_in(served, "staff")
    dashboard = visible_text(staff.get(R).text)
    assert "待审核的文件" in dashboard and "0101.xlsx · someone@qq.example.com" in dashboard
    page = staff.get(f"{R}/files/{sha}")
    assert "发件人不是表格所属单位在名册中登记的邮箱，暂不计分" in visible_text(page.text)
    assert 'id="accept-form"' in page.text
    viewer = signed_in(served, "viewer")
    assert 'id="accept-form"' not in viewer.get(f"{R}/files/{sha}").text
    token = csrf(staff, R)
    refused = staff.post(f"{R}/files/{sha}/accept", data={"csrftoken": token, "note": " "})
    assert refused.status_code == 400
    assert "请写明采用的理由（如何核实了发件人）" in visible_text(refused.text)
    done = staff.post(f"{R}/files/{sha}/accept",
                      data={"csrftoken": token, "note": "电话核实：书记代发"})
    assert (done.status_code, done.headers["location"]) == (
        303, f"{R}/files/{sha}?done=accepted")
    after = visible_text(staff.get(done.headers["location"]).text)
    assert "已采用，相关表格已计入考核。" in after
    with Ledger(served.paths.ledger) as ledger:
        assert {s.status for s in ledger.submissions(sha)} == {"accepted-with-warnings"}
    assert "待审核的文件" not in visible_text(staff.get(R).text)


def test_the_chase_list_downloads_as_a_workbook(served: Round, tmp_path: Path) -> None:
    filled_pack(served, "0101", served.paths.inbox, "0101.xlsx")
    collect_round(served)
    viewer = signed_in(served, "viewer")
    dashboard = viewer.get(R).text
    assert 'href="/rounds/2026-year-end/chase.xlsx"' in dashboard
    # whom to phone: the roster's number beside the e-mail address
    assert "0102 · 支部 · dzb0102@dangjian.example.cn · 13800000102" in visible_text(dashboard)
    answer = viewer.get(R + "/chase.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    saved = tmp_path / "chase.xlsx"
    saved.write_bytes(answer.content)
    sheet = openpyxl.load_workbook(saved)["催交清单"]
    codes = [sheet.cell(row, 2).value for row in range(5, sheet.max_row + 1)]
    assert "0101" not in codes and codes[0] == "0102"


def test_a_rejected_form_put_right_later_reads_superseded_on_its_page(
        served: Round, tmp_path: Path) -> None:
    bad = filled_pack(served, "0102", tmp_path, "bad.xlsx", edits={"自评": {"F7": "很好"}})
    shutil.copy(bad, served.paths.inbox / "bad.xlsx")
    [rejected] = collect_round(served).files
    assert {f["sheet"]: f["status"] for f in rejected.forms}["自评"] == "rejected"
    shutil.copy(filled_pack(served, "0102", tmp_path, "good.xlsx"),
                served.paths.inbox / "good.xlsx")
    good = next(f for f in collect_round(served).files if f.record.name == "good.xlsx")
    staff = signed_in(served, "staff")
    page = staff.get(f"{R}/files/{rejected.record.sha256}").text
    form = page[page.index("<h2>自评"):]
    form = form[:form.index("</p>")]
    assert "已被新版本替代" in visible_text(form) and "已退回" not in visible_text(form)
    assert f'href="{R}/files/{good.record.sha256}"' in form
