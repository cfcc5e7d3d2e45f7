"""Collecting from mail: .eml, mbox, Maildir and a real IMAP server (Dovecot on 127.0.0.1).

Returned messages are written byte by byte the ways Chinese mail clients write them, and the
same attachments collected from mail and from a folder must give the same result.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner, Result

from sheetops.app.collect import CollectReport, collect_round
from sheetops.cli.main import main
from sheetops.intake.sources import scan_sources
from sheetops.ledger.status import round_status
from sheetops.ledger.store import Ledger
from sheetops.mail.inbound.imap import ImapMailbox, ImapSettings, imap_utf7, parse_imap_url
from sheetops.mail.inbound.messages import MAIL_FILES
from sheetops.mail.log import MailLog
from sheetops.mail.outbound.transport import MailError
from sheetops.model.workspace import Round, open_round

from .conftest import NOW
from .crafted import fill_pack, pack_of
from .mailservers import (
    HOST,
    IMAP_PASSWORD,
    ImapServer,
)

OFFICE = b"khb@dangjian.example.cn"
BEFORE_DEADLINE = "Mon, 30 Nov 2026 10:15:00 +0800"
NAME = "0101-機關辦公室党支部.xlsx"  # traditional characters: in GBK, not in GB2312


@pytest.fixture(autouse=True)
def no_mail_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SHEETOPS_"):
            monkeypatch.delenv(name)


# -- messages as clients write them ---------------------------------------------------------


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def attachment(headers: bytes, data: bytes) -> bytes:
    """One base64 attachment part with the given Content-Type/Disposition header lines."""
    return (headers + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.encodebytes(data).replace(b"\n", b"\r\n"))


def message(sender: bytes, subject: bytes, parts: list[bytes], *,
            date: str = BEFORE_DEADLINE, message_id: str = "r1@client.example.cn",
            extra_headers: bytes = b"") -> bytes:
    """A multipart/mixed message with a GBK text body and ``parts``."""
    head = (b"From: " + sender + b"\r\nTo: " + OFFICE + b"\r\nSubject: " + subject
            + b"\r\nDate: " + date.encode() + b"\r\nMessage-ID: <" + message_id.encode()
            + b">\r\n" + extra_headers + b"MIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n')
    body = (b"--=_b\r\nContent-Type: text/plain; charset=GBK\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "请查收。".encode("gbk") + b"\r\n")
    for part in parts:
        body += b"--=_b\r\n" + part + b"\r\n"
    return head + body + b"--=_b--\r\n"


def encoded_word(text: str, charset: str, codec: str | None = None) -> bytes:
    return b"=?" + charset.encode() + b"?B?" + b64(text.encode(codec or charset)) + b"?="


XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _split_words(name: str) -> bytes:
    data = name.encode("gbk")
    cut = 8  # inside the second GBK character of "機關": Outlook splits on bytes
    return (b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; '
            b'filename="=?GBK?B?' + b64(data[:cut]) + b"?= =?GBK?B?" + b64(data[cut:]) + b'?="')


def _continued(name: str) -> bytes:
    encoded = quote(name.encode("gbk"), safe="")
    middle = encoded.index("%", len(encoded) // 2)
    return (b"Content-Type: application/octet-stream\r\nContent-Disposition: attachment;\r\n"
            b" filename*0*=GBK''" + encoded[:middle].encode() + b";\r\n filename*1*="
            + encoded[middle:].encode())


NAME_STYLES: dict[str, Callable[[str], bytes]] = {
    "rfc2231 utf-8": lambda name: (
        b"Content-Type: " + XLSX + b"\r\nContent-Disposition: attachment; filename*=utf-8''"
        + quote(name.encode()).encode()),
    "rfc2231 gbk, continued": _continued,
    "rfc2047 gb2312 label, gbk bytes": lambda name: (
        b'Content-Type: application/octet-stream; name="' + encoded_word(name, "GB2312", "gbk")
        + b'"\r\nContent-Disposition: attachment; filename="'
        + encoded_word(name, "GB2312", "gbk") + b'"'),
    "rfc2047 gbk split inside a character": _split_words,
    "rfc2047 gb18030 quoted-printable": lambda name: (
        b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; '
        b'filename="=?gb18030?Q?' + "".join(f"={b:02X}" for b in name.encode("gb18030")).encode()
        + b'?="'),
    "rfc2047 utf-8, name= only": lambda name: (
        b"Content-Type: " + XLSX + b'; name="' + encoded_word(name, "UTF-8", "utf-8") + b'"'),
    "raw 8-bit gbk": lambda name: (
        b'Content-Type: application/octet-stream; name="' + name.encode("gbk")
        + b'"\r\nContent-Disposition: attachment; filename="' + name.encode("gbk") + b'"'),
    "raw 8-bit utf-8": lambda name: (
        b'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; '
        b'filename="' + name.encode() + b'"'),
}


@pytest.mark.parametrize("style", list(NAME_STYLES))
def test_attachment_names_as_chinese_clients_write_them(tmp_path: Path, style: str) -> None:
    data = b"PK\x03\x04 not really a workbook"
    raw = message(b"=?GB2312?B?" + b64("王建国".encode("gb2312")) + b"?= <DZB0101@Dangjian.Example.CN>",
                  encoded_word("关于报送考核表的函", "GB2312"),
                  [attachment(NAME_STYLES[style](NAME), data)])
    path = tmp_path / "reply.eml"
    path.write_bytes(raw)
    [item] = scan_sources([path], [MAIL_FILES])
    # No receiving server wrote a time into it: the Date is the sender's, evidence only.
    assert (item.name, item.sender, item.subject, item.message_id, item.claimed_at,
            item.server_time) == (
        NAME, "dzb0101@dangjian.example.cn", "关于报送考核表的函", "<r1@client.example.cn>",
        dt.datetime(2026, 11, 30, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8))), False)
    assert (item.source, item.size, item.problem) == (f"{path}!{NAME}", len(data), None)
    with item.open() as handle:
        assert handle.read() == data


def test_raw_subjects_and_received_headers(tmp_path: Path) -> None:
    raw = message(b"dzb0102@dangjian.example.cn", "回复：考核表（组织人事处）".encode("gbk"),
                  [attachment(NAME_STYLES["raw 8-bit utf-8"]("0102.xlsx"), b"x")],
                  extra_headers=b"Received: from mx.example.cn by mail.dangjian.example.cn;\r\n"
                                b" Tue, 1 Dec 2026 09:00:05 +0800\r\n")
    path = tmp_path / "reply.eml"
    path.write_bytes(raw)
    [item] = scan_sources([path], [MAIL_FILES])
    assert item.subject == "回复：考核表（组织人事处）"
    # The receiving server's time, not the sender's Date:
    assert item.received_at == dt.datetime(2026, 12, 1, 9, 0, 5,
                                           tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_pictures_in_the_body_and_signatures_are_not_submissions(tmp_path: Path) -> None:
    raw = message(b"dzb0101@dangjian.example.cn", b"scores", [
        attachment(b'Content-Type: image/png; name="logo.png"\r\nContent-ID: <logo@x>\r\n'
                   b"Content-Disposition: inline", b"\x89PNG"),
        attachment(b'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n'
                   b'Content-Disposition: attachment; filename="smime.p7s"', b"sig"),
        attachment(b'Content-Type: image/jpeg; name="photo.jpg"\r\n'
                   b'Content-Disposition: attachment; filename="photo.jpg"', b"\xff\xd8"),
    ])
    path = tmp_path / "mixed.eml"
    path.write_bytes(raw)
    assert [item.name for item in scan_sources([path], [MAIL_FILES])] == ["photo.jpg"]


def test_maildir_subfolders_and_unfinished_deliveries_are_not_read(tmp_path: Path) -> None:
    maildir = tmp_path / "Maildir"
    for folder in ("", ".Sent", ".Trash"):
        for sub in ("cur", "new", "tmp"):
            (maildir / folder / sub).mkdir(parents=True)
    def deliver(where: str, name: str, filename: str) -> None:
        (maildir / where / name).write_bytes(message(
            b"dzb0101@dangjian.example.cn", b"s",
            [attachment(NAME_STYLES["raw 8-bit utf-8"](filename), b"x")]))

    deliver("new", "1.host", "new.xlsx")
    deliver("cur", "2.host:2,S", "cur.xlsx")
    deliver("tmp", "3.host", "unfinished.xlsx")
    deliver(".Sent/cur", "4.host:2,S", "sent.xlsx")
    assert sorted(item.name for item in scan_sources([tmp_path], [MAIL_FILES])) == ["cur.xlsx", "new.xlsx"]


# -- the same result as a folder ------------------------------------------------------------


def gbk_zip(members: dict[str, bytes]) -> bytes:
    """A zip as Windows' own compressor writes it: member names in GBK, no UTF-8 flag."""
    buffer = io.BytesIO()
    placeholders = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members.items()):
            placeholder = str(index).ljust(len(name.encode("gbk")), "Q")
            placeholders[placeholder] = name
            archive.writestr(placeholder, data)
    raw = buffer.getvalue()
    for placeholder, name in placeholders.items():
        assert raw.count(placeholder.encode()) == 2
        raw = raw.replace(placeholder.encode(), name.encode("gbk"))
    return raw


def returns(round_: Round, folder: Path) -> list[tuple[bytes, str, bytes]]:
    """Four returns as files in ``folder``, and how each travels by mail (sender, name, style):
    a clean pack, a pack with a bad score, a zipped pack, an inspector's pack."""
    folder.mkdir(parents=True, exist_ok=True)

    def fill(code: str, **kwargs: Any) -> bytes:
        source, pack = pack_of(round_, code)
        target = folder.parent / f"filled-{code}.xlsx"
        return fill_pack(source, target, pack, round_.scheme, **kwargs).read_bytes()

    files = {
        "0101-机关办公室党支部.xlsx": fill("0101"),
        "0102-组织人事处党支部.xlsx": fill("0102", edits={"自评": {"F7": "很好"}}),
        "回执.zip": gbk_zip({"0103-计划财务处党支部.xlsx": fill("0103")}),
        "X01-第一巡查组.xlsx": fill("X01"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    mails = [
        (b"dzb0101@dangjian.example.cn", "0101-机关办公室党支部.xlsx",
         "rfc2047 gb2312 label, gbk bytes"),
        (b"dzb0102@dangjian.example.cn", "0102-组织人事处党支部.xlsx", "raw 8-bit gbk"),
        (b"dzb0103@dangjian.example.cn", "回执.zip", "rfc2231 gbk, continued"),
        (b"xuncha01@dangjian.example.cn", "X01-第一巡查组.xlsx", "rfc2047 utf-8, name= only"),
    ]
    return [
        (message(sender, encoded_word(f"报送评分表 {number}", "GB2312", "gbk"),
                 [attachment(NAME_STYLES[style](name), files[name]),
                  attachment(b'Content-Type: image/png; name="logo.png"\r\n'
                             b"Content-ID: <logo@x>\r\nContent-Disposition: inline", b"PNG")],
                 message_id=f"return-{number}@client.example.cn"), name, style)
        for number, (sender, name, style) in enumerate(mails, start=1)
    ]


def collect_json(round_: Round, *args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, ["collect", str(round_.paths.root), *args, "--json"],
                              env=env)


def outcome_keys(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((f["name"], f["sha256"], f["status"], json.dumps(f["forms"]),
                   json.dumps(f["issues"], ensure_ascii=False)) for f in document["files"])


def copy_of(round_: Round, tmp_path: Path, name: str) -> Round:
    import shutil

    target = tmp_path / name
    shutil.copytree(round_.paths.root, target)
    return open_round(target)


def test_collect_from_mail_gives_the_folder_result(
    fresh: Round, tmp_path: Path, imap: ImapServer
) -> None:
    folder = tmp_path / "returned"
    mails = [raw for raw, _, _ in returns(fresh, folder)]

    by_folder = collect_json(copy_of(fresh, tmp_path, "round-folder"), str(folder))
    assert by_folder.exit_code == 0, by_folder.output
    expected = outcome_keys(json.loads(by_folder.stdout))
    assert [(k[0], k[2]) for k in expected] == [
        ("0101-机关办公室党支部.xlsx", "accepted"),
        ("0102-组织人事处党支部.xlsx", "accepted-with-warnings"),
        ("0103-计划财务处党支部.xlsx", "accepted"),
        ("X01-第一巡查组.xlsx", "accepted"),
    ]

    emls = tmp_path / "eml"
    emls.mkdir()
    for number, raw in enumerate(mails, start=1):
        (emls / f"{number}.eml").write_bytes(raw)
    mbox = tmp_path / "returns.mbox"
    mbox.write_bytes(b"".join(
        b"From MAILER-DAEMON Mon Nov 30 02:15:00 2026\n" + raw.replace(b"\r\n", b"\n") + b"\n"
        for raw in mails))
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    for number, raw in enumerate(mails, start=1):
        (maildir / ("new" if number % 2 else "cur") / f"17000000{number}.M1P1.host").write_bytes(
            raw)
    imap.append("same-result", mails)

    runs = {
        "eml": collect_json(copy_of(fresh, tmp_path, "round-eml"),
                            *(str(p) for p in sorted(emls.iterdir()))),
        "mbox": collect_json(copy_of(fresh, tmp_path, "round-mbox"), str(mbox)),
        "maildir": collect_json(copy_of(fresh, tmp_path, "round-maildir"), str(maildir)),
        "imap": collect_json(
            copy_of(fresh, tmp_path, "round-imap"),
            "--imap", f"imaps://same-result@{HOST}:{imap.ssl_port}/INBOX",
            "--imap-cafile", str(imap.certificate.cert),
            env={"SHEETOPS_IMAP_PASSWORD": IMAP_PASSWORD}),
    }
    for kind, result in runs.items():
        assert result.exit_code == 0, (kind, result.output)
        document = json.loads(result.stdout)
        assert outcome_keys(document) == expected, kind
        assert sorted(f["sender"] for f in document["files"]) == [
            "dzb0101@dangjian.example.cn", "dzb0102@dangjian.example.cn",
            "dzb0103@dangjian.example.cn", "xuncha01@dangjian.example.cn"], kind


# -- what mail adds: sender, time, messages without attachments ---------------------------


def flat(report: CollectReport) -> list[tuple[str, str, list[tuple[str | None, str]]]]:
    return [(f.record.name, f.status, [(i.cell, i.code) for i in f.issues])
            for f in report.files]


def test_a_form_from_a_stranger_is_held_until_staff_accept_it(fresh: Round,
                                                              tmp_path: Path) -> None:
    source, pack = pack_of(fresh, "0101")
    data = fill_pack(source, tmp_path / "0101.xlsx", pack, fresh.scheme).read_bytes()
    style = NAME_STYLES["rfc2231 utf-8"]
    (fresh.paths.inbox / "stranger.eml").write_bytes(message(
        b"someone@qq.example.com", b"scores", [attachment(style("a.xlsx"), data)]))
    report = collect_round(fresh, now=NOW)
    form_ids = [f.identity.form_id for f in pack.forms]
    assert flat(report) == [("a.xlsx", "held", [(None, "sender-mismatch")] * len(form_ids))]
    assert [i.form_id for i in report.files[0].issues] == form_ids
    assert report.files[0].issues[0].message("zh-CN") == (
        "表格 self-0101 属于机关办公室党支部（0101），名册登记的邮箱是 "
        "dzb0101@dangjian.example.cn，但发件人是 someone@qq.example.com。"
        "这份表暂不计分，待考核办核实后采用。")
    status = round_status(fresh)
    assert status.counts()["held"] == len(form_ids)
    assert [(h.name, h.sender, h.form_ids) for h in status.held] == [
        ("a.xlsx", "someone@qq.example.com", form_ids)]
    with Ledger(fresh.paths.ledger) as ledger:
        assert ledger.current_form_ids() == set()
    sha = report.files[0].record.sha256

    shown = CliRunner().invoke(main, ["status", str(fresh.paths.root)])
    assert shown.exit_code == 0, shown.output
    assert "  ? self-0101  自评  待审核（发件人不是名册登记的邮箱）" in shown.output
    assert (f"  {sha[:12]}  a.xlsx  发件人 someone@qq.example.com，{len(form_ids)} 张表："
            + ", ".join(form_ids)) in shown.output

    refused = CliRunner().invoke(main, ["accept", str(fresh.paths.root), "abc", "--note", "x"])
    assert refused.exit_code == 1
    assert "“abc”不是文件指纹：请输入 sheetops status 列出的指纹，至少前 8 位" in refused.output
    unknown = CliRunner().invoke(main, ["accept", str(fresh.paths.root), "0" * 12,
                                        "--note", "x"])
    assert unknown.exit_code == 1
    assert "没有指纹以“000000000000”开头的待审核文件" in unknown.output
    blank = CliRunner().invoke(main, ["accept", str(fresh.paths.root), sha[:12],
                                      "--note", "  "])
    assert blank.exit_code == 1
    assert "请写明采用的理由（如何核实了发件人）" in blank.output

    done = CliRunner().invoke(main, ["accept", str(fresh.paths.root), sha[:12],
                                     "--note", "电话核实：书记用个人邮箱代发"])
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0] == (
        f"已审核采用：a.xlsx（{sha[:12]}），计入 {len(form_ids)} 张表："
        f"{', '.join(form_ids)}。说明：电话核实：书记用个人邮箱代发")
    status = round_status(fresh)
    assert status.counts()["held"] == 0 and status.held == []
    assert status.counts()["accepted-with-warnings"] == len(form_ids)
    with Ledger(fresh.paths.ledger) as ledger:
        assert ledger.current_form_ids() == set(form_ids)
        [(accepted_sha, accepted_forms, note, at)] = ledger.acceptances()
    assert (accepted_sha, accepted_forms, note) == (
        sha, ",".join(form_ids), "电话核实：书记用个人邮箱代发")
    assert dt.datetime.fromisoformat(at).tzinfo == dt.UTC
    again = CliRunner().invoke(main, ["accept", str(fresh.paths.root), sha, "--note", "x"])
    assert again.exit_code == 1
    assert f"文件 a.xlsx（{sha[:12]}）没有待审核的表格，无需采用" in again.output


def test_a_strangers_copy_never_replaces_the_recipients_own_form(fresh: Round,
                                                                 tmp_path: Path) -> None:
    source, pack = pack_of(fresh, "0102")
    own = fill_pack(source, tmp_path / "own.xlsx", pack, fresh.scheme).read_bytes()
    copy = fill_pack(source, tmp_path / "copy.xlsx", pack, fresh.scheme,
                     score=lambda form_id, index, item: float(item.max) / 2).read_bytes()
    style = NAME_STYLES["rfc2231 utf-8"]
    (fresh.paths.inbox / "own.eml").write_bytes(message(
        b"dzb0102@dangjian.example.cn", b"scores", [attachment(style("own.xlsx"), own)],
        date="Mon, 30 Nov 2026 09:00:00 +0800", message_id="own@example.cn"))
    (fresh.paths.inbox / "copy.eml").write_bytes(message(
        b"dzb0102@dangjian-example.com", b"scores", [attachment(style("copy.xlsx"), copy)],
        date="Tue, 1 Dec 2026 09:00:00 +0800", message_id="copy@example.cn"))
    report = collect_round(fresh, now=NOW)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("own.xlsx", "accepted"), ("copy.xlsx", "held")]
    own_sha = report.files[0].record.sha256
    with Ledger(fresh.paths.ledger) as ledger:
        assert {v.sha256 for v in ledger.current_versions().values()} == {own_sha}
    status = round_status(fresh)
    self_form = next(f for r in status.recipients for f in r.forms if f.form_id == "self-0102")
    assert (self_form.status, self_form.newer_held, self_form.file) == (
        "accepted", True, "own.xlsx")
    shown = CliRunner().invoke(main, ["status", str(fresh.paths.root)])
    assert "  ! self-0102  自评  已采用本单位的版本；之后另有一份从其他邮箱发来的，待审核" in (
        shown.output)


def test_late_is_judged_by_the_day_the_server_received_it(fresh: Round, tmp_path: Path) -> None:
    style = NAME_STYLES["rfc2231 utf-8"]
    for code, date in (("0102", "Fri, 11 Dec 2026 23:59:00 +0800"),
                       ("0104", "Sat, 12 Dec 2026 00:30:00 +0800")):
        source, pack = pack_of(fresh, code)
        data = fill_pack(source, tmp_path / f"{code}.xlsx", pack, fresh.scheme).read_bytes()
        # The Date (the sender's clock) says before the deadline for both; the receiving
        # server's Received line decides.
        (fresh.paths.inbox / f"{code}.eml").write_bytes(message(
            f"dzb{code}@dangjian.example.cn".encode(), b"scores",
            [attachment(style(f"{code}.xlsx"), data)], date="Fri, 11 Dec 2026 20:00:00 +0800",
            extra_headers=b"Received: from client.example.cn by mx.dangjian.example.cn; "
            + date.encode() + b"\r\n"))
    report = collect_round(fresh, now=NOW)
    assert flat(report) == [("0102.xlsx", "accepted", []),
                            ("0104.xlsx", "accepted-with-warnings", [(None, "late")])]
    assert report.files[1].issues[0].message("zh-CN") == (
        "邮件于 2026-12-12 00:30 +0800 收到，已过截止日期 2026-12-11。")


def test_a_message_without_attachment_is_reported(fresh: Round) -> None:
    (fresh.paths.inbox / "question.eml").write_bytes(
        b"From: =?UTF-8?B?" + b64("刘洋".encode()) + b"?= <dzb0104@dangjian.example.cn>\r\n"
        b"Subject: " + encoded_word("评分表已填好", "UTF-8", "utf-8") + b"\r\n"
        b"Date: " + BEFORE_DEADLINE.encode() + b"\r\nContent-Type: text/plain; charset=utf-8"
        b"\r\n\r\n" + "附件见后。".encode() + b"\r\n")
    result = CliRunner().invoke(main, ["collect", str(fresh.paths.root)])
    assert result.exit_code == 0, result.output
    root = fresh.paths.root
    assert result.output.splitlines() == [
        "本次收到 1 个文件：采用 0 个（其中 0 个有提示），退回 1 个，重复 0 个，已被新版本替代 0 个。",
        "评分表：应交 60 张，已采用 0 张，尚缺 60 张。",
        "退回：question.eml（dzb0104@dangjian.example.cn）",
        "    来自 dzb0104@dangjian.example.cn 的邮件“评分表已填好”没有可用的附件，未收到评分表。",
        f"退回和提示清单：{root / 'reports' / 'rejections-2026-year-end.xlsx'}",
        f"下一步：运行 sheetops status {root} 查看缺交清单",
    ]
    with Ledger(fresh.paths.ledger) as ledger:
        [record] = ledger.files()
    archived = (root / record.archive).read_bytes()
    assert archived == (fresh.paths.inbox / "question.eml").read_bytes()  # the message is kept


# -- IMAP -----------------------------------------------------------------------------------


def test_imap_reads_each_message_once_and_changes_nothing(
    fresh: Round, tmp_path: Path, imap: ImapServer
) -> None:
    folder_name = "考核回执"
    mails = [raw for raw, _, _ in returns(fresh, tmp_path / "returned")]
    imap.append("once", mails[:2], folder=imap_utf7(folder_name))
    settings = ImapSettings(host=HOST, user="once", folder=folder_name, port=imap.ssl_port,
                            password=IMAP_PASSWORD, cafile=imap.certificate.cert)
    box = ImapMailbox(settings)

    first = collect_round(fresh, now=NOW, mailboxes=[box])
    assert [(f.record.name, f.status) for f in first.files] == [
        ("0101-机关办公室党支部.xlsx", "accepted"),
        ("0102-组织人事处党支部.xlsx", "accepted-with-warnings")]
    assert first.files[0].record.source.startswith(
        f"imap://once@{HOST}:{imap.ssl_port}/{folder_name};UIDVALIDITY=")
    flags = imap.flags("once", imap_utf7(folder_name))
    assert len(flags) == 2 and not any("\\Seen" in f for f in flags)  # unread, nothing deleted

    assert collect_round(fresh, now=NOW, mailboxes=[box]).files == []
    imap.append("once", mails[2:3], folder=imap_utf7(folder_name))
    third = collect_round(fresh, now=NOW, mailboxes=[box])
    assert [(f.record.name, f.status) for f in third.files] == [
        ("0103-计划财务处党支部.xlsx", "accepted")]
    with Ledger(fresh.paths.ledger) as ledger:
        seen = MailLog(ledger).seen(settings.mailbox_key)
    assert [(m.uid, m.message_id) for m in seen] == [
        (1, "<return-1@client.example.cn>"), (2, "<return-2@client.example.cn>"),
        (3, "<return-3@client.example.cn>")]


def test_imap_over_starttls_and_plain(fresh: Round, tmp_path: Path, imap: ImapServer) -> None:
    mails = [raw for raw, _, _ in returns(fresh, tmp_path / "returned")]
    imap.append("starttls", mails[:1])
    url = f"imap://starttls@{HOST}:{imap.port}/INBOX"
    result = collect_json(fresh, "--imap", url, "--imap-cafile", str(imap.certificate.cert),
                          env={"SHEETOPS_IMAP_PASSWORD": IMAP_PASSWORD})
    assert result.exit_code == 0, result.output
    assert [f["name"] for f in json.loads(result.stdout)["files"]] == [
        "0101-机关办公室党支部.xlsx"]
    plain = CliRunner().invoke(main, ["collect", str(fresh.paths.root), "--imap", url,
                                      "--imap-security", "plain", "--json"],
                               input=IMAP_PASSWORD + "\n")
    assert plain.exit_code == 0, plain.output
    assert json.loads(plain.stdout)["files"] == []  # nothing new
    assert plain.stderr == f"starttls 在 {HOST}:{imap.port} 的密码: \n"


def test_imap_errors_say_what_went_wrong(fresh: Round, imap: ImapServer) -> None:
    root = str(fresh.paths.root)
    url = f"imaps://nobody-here@{HOST}:{imap.ssl_port}/INBOX"
    cafile = ["--imap-cafile", str(imap.certificate.cert)]
    env = {"SHEETOPS_IMAP_PASSWORD": IMAP_PASSWORD}
    missing = CliRunner().invoke(main, ["collect", root, "--imap", url.replace("INBOX", "无此"),
                                        *cafile], env=env)
    assert missing.exit_code == 1
    assert missing.output.startswith(
        f"错误：收件服务器 {HOST}:{imap.ssl_port} 上打不开邮箱文件夹“无此”：")
    untrusted = CliRunner().invoke(main, ["collect", root, "--imap", url], env=env)
    assert untrusted.exit_code == 1
    assert untrusted.output.startswith(f"错误：无法连接收件服务器 {HOST}:{imap.ssl_port}：")
    assert "CERTIFICATE_VERIFY_FAILED" in untrusted.output
    bad = CliRunner().invoke(main, ["collect", root, "--imap", "https://host/INBOX"], env=env)
    assert (bad.exit_code, bad.output) == (
        1, "错误：收件邮箱地址“https://host/INBOX”格式不对，应为 imaps://用户名@服务器/邮箱文件夹\n")
    # Last: after a failed login Dovecot slows down the next logins from the same address.
    wrong = CliRunner().invoke(main, ["collect", root, "--imap", url, *cafile],
                               env={"SHEETOPS_IMAP_PASSWORD": "wrong"})
    assert wrong.exit_code == 1
    assert wrong.output == (
        f"错误：收件服务器 {HOST}:{imap.ssl_port} 拒绝了 nobody-here 的登录："
        "[AUTHENTICATIONFAILED] Authentication failed.\n")


@pytest.mark.parametrize("url, expected", [
    ("imaps://kh@mail.example.cn/INBOX", ("mail.example.cn", "kh", "INBOX", "ssl", 993)),
    ("imap://kh%40example.cn@mail.example.cn:1143", ("mail.example.cn", "kh@example.cn", "INBOX",
                                                     "starttls", 1143)),
    ("imaps://kh@mail.example.cn/%E8%80%83%E6%A0%B8/2026",
     ("mail.example.cn", "kh", "考核/2026", "ssl", 993)),
])
def test_imap_urls(url: str, expected: tuple[object, ...]) -> None:
    settings = parse_imap_url(url)
    assert (settings.host, settings.user, settings.folder, settings.security,
            settings.effective_port) == expected


def test_imap_folder_names_in_modified_utf7() -> None:
    assert imap_utf7("INBOX") == "INBOX"
    assert imap_utf7("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"  # RFC 3501
    assert imap_utf7("R&D") == "R&-D"


def test_imap_without_user_is_refused() -> None:
    with pytest.raises(MailError) as raised:
        parse_imap_url("imaps://mail.example.cn/INBOX")
    assert raised.value.render("en") == (
        "the mailbox URL 'imaps://mail.example.cn/INBOX' is malformed; expected "
        "imaps://user@host/FOLDER")

