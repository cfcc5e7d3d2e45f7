"""``sheetops user``, ``token`` and ``serve`` from the command line."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from click.testing import CliRunner

from sheetops.app.accounts import sign_in, token_user
from sheetops.cli.main import main
from sheetops.cli.serve import is_loopback


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_accounts_from_the_command_line(tmp_path: Path) -> None:
    assert run("user", "list", str(tmp_path))[1] == (
        f"还没有任何账号。添加一个：sheetops user add {tmp_path} 名称 --role admin\n")
    code, out, _ = run("user", "add", str(tmp_path), "李主任", "--role", "admin",
                       "--password-stdin", stdin="这是足够长的密码\n")
    assert (code, out) == (0, "已添加账号“李主任”（管理员）\n")
    code, _, err = run("user", "add", str(tmp_path), "李主任", "--role", "staff",
                       "--password-stdin", stdin="这是足够长的密码\n")
    assert (code, err) == (1, "错误：账号“李主任”已经存在\n")
    code, _, err = run("user", "add", str(tmp_path), "小王", "--role", "staff",
                       "--password-stdin", stdin="短\n")
    assert (code, err) == (1, "错误：密码太短：至少需要 8 个字符\n")
    assert sign_in(tmp_path, "李主任", "这是足够长的密码").role == "admin"
    code, out, _ = run("user", "passwd", str(tmp_path), "李主任", "--password-stdin",
                       stdin="这是新的更长的密码\n")
    assert out == "已为“李主任”设置新密码，其原有登录状态已失效\n"
    assert sign_in(tmp_path, "李主任", "这是新的更长的密码").name == "李主任"
    assert run("user", "remove", str(tmp_path), "李主任")[1] == (
        "已删除账号“李主任”，其登录状态已立即失效\n")
    assert run("user", "remove", str(tmp_path), "李主任")[2] == "错误：没有名为“李主任”的账号\n"


def test_a_token_is_printed_alone_and_can_be_revoked(tmp_path: Path) -> None:
    run("user", "add", str(tmp_path), "接口", "--role", "viewer", "--password-stdin",
        stdin="这是足够长的密码\n")
    code, out, err = run("token", "add", str(tmp_path), "接口")
    secret = out.strip()
    assert (code, out, err) == (0, secret + "\n", "")
    assert secret.startswith("sht_") and len(secret) > 40
    user = token_user(tmp_path, secret)
    assert user is not None and user.role == "viewer"
    assert run("token", "revoke", str(tmp_path), "1")[1] == "已吊销令牌 1\n"
    assert token_user(tmp_path, secret) is None
    assert run("token", "revoke", str(tmp_path), "1")[2] == "错误：没有编号为 1 的有效令牌\n"


def test_serve_needs_both_halves_of_a_certificate(tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    code, _, err = run("serve", str(tmp_path), "--certfile", str(cert), "--no-browser")
    assert code == 2
    assert "--certfile 和 --keyfile 需要同时提供" in err


def test_which_addresses_stay_on_this_machine() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "10.1.2.3",
                                     "kaohe.example.cn")] == [True, True, True, False, False,
                                                              False]


def test_account_and_token_times_are_shown_in_the_rounds_zone(tmp_path: Path) -> None:
    """``user list`` and ``token list`` show times as people read them (Beijing time by
    default, to the minute), never the stored UTC ISO text."""
    run("user", "add", str(tmp_path), "李干事", "--role", "staff", "--password-stdin",
        stdin="这是足够长的密码\n")
    run("token", "add", str(tmp_path), "李干事")
    run("token", "revoke", str(tmp_path), "1")
    listed = run("user", "list", str(tmp_path))[1]
    match = re.fullmatch("李干事\u3000工作人员\u3000创建于 (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d)\n",
                         listed)
    assert match is not None, listed
    shown = dt.datetime.strptime(match[1], "%Y-%m-%d %H:%M")
    beijing = dt.datetime.now(dt.UTC) + dt.timedelta(hours=8)
    assert abs(beijing.replace(tzinfo=None) - shown) < dt.timedelta(minutes=2)
    tokens = run("token", "list", str(tmp_path))[1]
    minute = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d"
    assert re.fullmatch(f"1\t李干事\t{minute}\t{minute}\n", tokens), tokens
    assert tokens.split("\t")[2] >= match[1]
