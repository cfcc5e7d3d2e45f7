"""One item costs only itself: damaged .zip files, mail that breaks the parser, impossible dates,
names in GBK bytes or full of control characters, files with thousands of issues.

Each case is the exact item that used to end ``collect`` with a traceback; here each is
reported by name while the good returns beside it are recorded, and a second run goes through
the same inbox again without dying.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheetops.app.collect import collect_round
from sheetops.cli.main import main
from sheetops.intake.sources import Received, scan_sources
from sheetops.ledger.store import Ledger
from sheetops.mail.inbound.imap import ImapMailbox, ImapSettings
from sheetops.mail.inbound.messages import MAIL_FILES, mime_containers
from sheetops.mail.log import MailLog
from sheetops.model.workspace import Round, open_round

from .conftest import NOW
from .crafted import fill_pack, pack_of
from .mailservers import (
    HOST,
    IMAP_PASSWORD,
    ImapServer,
)

SENT = 1_764_000_000  # 2025-11-24: every file's time, so that none is late whatever today is
XLSX = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def no_mail_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SHEETOPS_"):
            monkeypatch.delenv(name)


def pack_bytes(round_: Round, code: str, tmp_path: Path) -> bytes:
    source, pack = pack_of(round_, code)
    return fill_pack(source, tmp_path / f"filled-{code}.xlsx", pack, round_.scheme).read_bytes()


# -- hostile .zip files ---------------------------------------------------------------------


def stored_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_damaged_byte(data: bytes, member: str) -> bytes:
    """One byte of ``member``'s stored bytes flipped: its CRC no longer matches."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:
                                                          info.header_offset + 30])
    offset = info.header_offset + 30 + name_length + extra_length + 100
    return data[:offset] + bytes([data[offset] ^ 0xFF]) + data[offset + 1:]


def with_other_local_name(data: bytes, member: str, other: str) -> bytes:
    """The member's local header names ``other`` (same length) while the directory says
    ``member``."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(member)
    start = info.header_offset + 30
    assert data[start:start + len(member)] == member.encode()
    return data[:start] + other.encode() + data[start + len(member):]


def with_invalid_utf8_name(data: bytes, member: str) -> bytes:
    """Every copy of the member's name, flagged UTF-8, made invalid UTF-8 (same length)."""
    encoded = member.encode()
    assert len(encoded) > 3 and zipfile.ZipFile(io.BytesIO(data)).getinfo(member).flag_bits & 0x800
    return data.replace(encoded, b"\xff\xfe\xfd" + encoded[3:])


def message(sender: str, parts: list[tuple[str, bytes]], *, date: str = "Mon, 24 Nov 2025 10:15:00 +0800",
            subject: str = "scores") -> bytes:
    head = (f"From: {sender}\r\nTo: khb@dangjian.example.cn\r\nSubject: {subject}\r\n"
            f"Date: {date}\r\nMessage-ID: <{subject}@client.example.cn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n').encode()
    body = b"--=_b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplease find attached\r\n"
    for name, data in parts:
        body += (b"--=_b\r\nContent-Type: application/octet-stream\r\n"
                 b'Content-Disposition: attachment; filename="' + name.encode() + b'"\r\n'
                 b"Content-Transfer-Encoding: base64\r\n\r\n"
                 + base64.encodebytes(data).replace(b"\n", b"\r\n"))
    return head + body + b"--=_b--\r\n"


def nested_multipart(levels: int) -> bytes:
    """A 75 KB message whose parts nest ``levels`` deep (each a multipart holding the next)."""
    head = (b"From: dzb0108@dangjian.example.cn\r\nSubject: nested\r\n"
            b"Date: Mon, 24 Nov 2025 10:15:00 +0800\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="=_Part_0"\r\n\r\n')
    body = b"".join(b'--=_Part_%d\r\nContent-Type: multipart/mixed;\r\n boundary="=_Part_%d"'
                    b"\r\n\r\n" % (i, i + 1) for i in range(levels))
    return head + body


def nested_rfc822(levels: int) -> bytes:
    """A message forwarded inside itself ``levels`` times (message/rfc822 in message/rfc822)."""
    return (b"From: dzb0109@dangjian.example.cn\r\nSubject: forwarded\r\n"
            b"Date: Mon, 24 Nov 2025 10:15:00 +0800\r\nMIME-Version: 1.0\r\n"
            + b"Content-Type: message/rfc822\r\n\r\n" * levels
            + b"Subject: inner\r\n\r\nbody\r\n")


def test_the_crafted_messages_are_what_the_report_describes() -> None:
    assert 70_000 < len(nested_multipart(1000)) < 80_000
    assert mime_containers(nested_multipart(1000)) == 1001
    assert mime_containers(nested_rfc822(1000)) == 1000


def hostile_inbox(round_: Round, tmp_path: Path) -> None:
    """Good returns and every hostile item of the report side by side in the inbox."""
    inbox = round_.paths.inbox
    good = {code: pack_bytes(round_, code, tmp_path) for code in
            ("0101", "0102", "0103", "0104", "0105", "0106", "0107")}
    (inbox / "0101.xlsx").write_bytes(good["0101"])
    # a .zip with a good member and one whose stored bytes have one byte flipped
    (inbox / "damaged.zip").write_bytes(with_damaged_byte(
        stored_zip({"0102.xlsx": good["0102"], "copy.xlsx": good["0101"]}), "copy.xlsx"))
    (inbox / "renamed.zip").write_bytes(with_other_local_name(
        stored_zip({"evil.xlsx": good["0101"]}), "evil.xlsx", "good.xlsx"))
    (inbox / "badname.zip").write_bytes(with_invalid_utf8_name(
        stored_zip({"机关.xlsx": good["0101"]}), "机关.xlsx"))
    (inbox / "deep.eml").write_bytes(nested_multipart(1000))
    (inbox / "forwarded.eml").write_bytes(nested_rfc822(1000))
    (inbox / "far-future.eml").write_bytes(message(
        "dzb0103@dangjian.example.cn", [("0103.xlsx", good["0103"])],
        date="Fri, 31 Dec 9999 23:59:59 -1200", subject="future"))
    (inbox / "zip-by-mail.eml").write_bytes(message(
        "dzb0104@dangjian.example.cn", [("回执.zip", with_damaged_byte(
            stored_zip({"0104.xlsx": good["0104"], "broken.xlsx": good["0101"]}),
            "broken.xlsx"))], subject="zipped"))
    # a name in GBK bytes, as an old unzip or a Windows share leaves it
    gbk_name = os.fsencode(inbox) + b"/" + "0105-机关党支部.xlsx".encode("gbk")
    with open(gbk_name, "wb") as handle:
        handle.write(good["0105"])
    # control and bidirectional characters: a cleared screen, "xlsx.exe" shown as "exe.xlsx"
    (inbox / "0106\x1b[2J\u202eexe.xlsx").write_bytes(good["0106"])
    (inbox / "0107.xlsx").write_bytes(good["0107"])
    for path in [*inbox.iterdir(), Path(os.fsdecode(gbk_name))]:
        os.utime(path, (SENT, SENT))


FIRST_RUN = [
    ("0101.xlsx", "accepted", []),
    ("0102.xlsx", "accepted", []),
    ("0103.xlsx", "accepted", []),
    ("0104.xlsx", "accepted", []),
    ("0105-机关党支部.xlsx", "accepted", []),
    ("0106[2Jexe.xlsx", "accepted", []),
    ("0107.xlsx", "accepted", []),
    ("badname.zip", "rejected", ["archive-damaged"]),
    ("damaged.zip", "rejected", ["archive-member-damaged"]),
    ("deep.eml", "rejected", ["message-too-deep"]),
    ("forwarded.eml", "rejected", ["message-too-deep"]),
    ("renamed.zip", "rejected", ["archive-member-damaged"]),
    ("回执.zip", "rejected", ["archive-member-damaged"]),
]


def outcomes(document: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return sorted((f["name"], f["status"], [i["code"] for i in f["issues"]])
                  for f in document["files"])


def test_every_hostile_item_costs_only_itself_twice_in_a_row(fresh: Round, tmp_path: Path) -> None:
    hostile_inbox(fresh, tmp_path)
    root = str(fresh.paths.root)
    first = CliRunner().invoke(main, ["collect", root, "--json"])
    assert first.exit_code == 0, first.output
    assert outcomes(json.loads(first.stdout)) == FIRST_RUN
    messages = {f["name"]: f["issues"][0]["message"] for f in json.loads(first.stdout)["files"]
                if f["issues"]}
    assert messages == {
        "badname.zip": "压缩包“badname.zip”已损坏，无法打开（UnicodeDecodeError: 'utf-8' codec "
                       "can't decode byte 0xff in position 0: invalid start byte），其中的文件都未收取。",
        "damaged.zip": "压缩包“damaged.zip”中的 copy.xlsx 已损坏，无法解压（BadZipFile: Bad "
                       "CRC-32 for file 'copy.xlsx'）；压缩包中的其他文件照常收取。",
        "renamed.zip": "压缩包“renamed.zip”中的 evil.xlsx 已损坏，无法解压（BadZipFile: File "
                       "name in directory 'evil.xlsx' and header b'good.xlsx' differ.）；"
                       "压缩包中的其他文件照常收取。",
        "回执.zip": "压缩包“回执.zip”中的 broken.xlsx 已损坏，无法解压（BadZipFile: Bad CRC-32 "
                   "for file 'broken.xlsx'）；压缩包中的其他文件照常收取。",
        "deep.eml": "邮件中嵌套的分段有 1001 个，超过上限 50 个，未予读取（多次转发的邮件常会这样）。",
        "forwarded.eml": "邮件中嵌套的分段有 1000 个，超过上限 50 个，未予读取（多次转发的邮件常会这样）。",
    }
    with Ledger(fresh.paths.ledger) as ledger:
        files = {f.name: f for f in ledger.files()}
    # The far-future Date counts as none: the file's own time stands as the sender's evidence,
    # and the message arrived when collect first saw it (the first run).
    first_seen = {f["name"]: f["received_at"] for f in json.loads(first.stdout)["files"]}
    assert (files["0103.xlsx"].claimed_at, files["0103.xlsx"].received_at) == (
        "2025-11-24T16:00:00+00:00", first_seen["0103.xlsx"])
    # The .zip that stands for its damaged member is archived whole, as received.
    assert (fresh.paths.root / files["damaged.zip"].archive).read_bytes() == (
        fresh.paths.inbox / "damaged.zip").read_bytes()

    second = CliRunner().invoke(main, ["collect", root, "--json"])
    assert second.exit_code == 0, second.output
    assert outcomes(json.loads(second.stdout)) == [
        (name, "duplicate", []) for name, _, _ in FIRST_RUN]

    text = CliRunner().invoke(main, ["collect", root])
    assert text.exit_code == 0, text.output
    assert "\x1b" not in text.output and "\u202e" not in text.output


def test_the_rejection_report_names_each_bad_item(fresh: Round, tmp_path: Path) -> None:
    import openpyxl

    hostile_inbox(fresh, tmp_path)
    report = collect_round(fresh, now=NOW)
    assert report.rejection_report is not None
    sheet = openpyxl.load_workbook(report.rejection_report)["退回和提示"]
    rows = [(row[10], row[14]) for row in sheet.iter_rows(min_row=5, values_only=True)]
    assert sorted(rows) == sorted((name, codes[0]) for name, status, codes in FIRST_RUN
                                  if status == "rejected")


def test_names_are_repaired_and_stripped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/" + "機關辦公室.xlsx".encode("gbk"), "wb") as handle:
        handle.write(b"x")
    with open(os.fsencode(folder) + b"/" + b"\xff\xfe.xlsx", "wb") as handle:  # neither
        handle.write(b"y")
    (folder / "a\x07b\u2066c\u0085d\u200f.xlsx").write_bytes(b"z")
    items = scan_sources([folder])
    assert sorted(item.name for item in items) == ["abcd.xlsx", "機關辦公室.xlsx", "\ufffd\ufffd.xlsx"]
    assert sorted(item.source for item in items) == sorted(
        f"{folder}/{name}" for name in ("abcd.xlsx", "機關辦公室.xlsx", "\ufffd\ufffd.xlsx"))


# -- mail limits and mail that breaks the parser --------------------------------------------


def set_limits(round_: Round, **values: int) -> Round:
    path = round_.paths.root / "round.toml"
    text = path.read_text("utf-8")
    for key, value in values.items():
        start = text.index(f"\n{key} = ")
        end = text.index("\n", start + 1)
        text = text[:start] + f"\n{key} = {value}" + text[end:]
    path.write_text(text, "utf-8")
    return open_round(round_.paths.root)


def test_mail_over_its_limits_is_one_item_of_its_own(fresh: Round, tmp_path: Path) -> None:
    limited = set_limits(fresh, max_attachments=2, max_message_mb=1)
    data = pack_bytes(fresh, "0101", tmp_path)
    inbox = limited.paths.inbox
    (inbox / "three.eml").write_bytes(message(
        "dzb0101@dangjian.example.cn", [(f"{n}.xlsx", data) for n in range(3)], subject="three"))
    (inbox / "large.eml").write_bytes(message(
        "dzb0101@dangjian.example.cn", [("big.bin", os.urandom(1_100_000))], subject="large"))
    (inbox / "fine.eml").write_bytes(message(
        "dzb0101@dangjian.example.cn", [("0101.xlsx", data)], subject="fine"))
    report = collect_round(limited, now=NOW)
    assert sorted((f.record.name, f.status, [(i.code, dict(i.params)) for i in f.issues])
                  for f in report.files) == [
        ("0101.xlsx", "accepted", []),
        ("large.eml", "rejected", [("message-too-large", {"limit": "1 MB", "size": "1.4 MB"})]),
        ("three.eml", "rejected", [("too-many-attachments", {"count": "3", "limit": "2"})]),
    ]


def test_a_message_that_breaks_the_parser_costs_only_itself(fresh: Round, tmp_path: Path) -> None:
    # With the nesting limit lifted, Python's parser itself recurses too deep.
    lifted = set_limits(fresh, max_mime_nesting=100_000)
    (lifted.paths.inbox / "deep.eml").write_bytes(nested_multipart(1000))
    (lifted.paths.inbox / "0101.xlsx").write_bytes(pack_bytes(fresh, "0101", tmp_path))
    for _ in range(2):
        report = collect_round(lifted, now=NOW)
        assert [(f.record.name, [i.code for i in f.issues]) for f in report.files
                if f.status == "rejected"] in ([("deep.eml", ["item-failed"])], [])
    with Ledger(lifted.paths.ledger) as ledger:
        [record] = [f for f in ledger.files() if f.name == "deep.eml"]
        [found] = ledger.issues(record.sha256)
        assert {f.name for f in ledger.files()} == {"deep.eml", "0101.xlsx"}
    assert (found.code, found.params["step"]) == ("item-failed", "mail")
    assert found.params["detail"] == "RecursionError: maximum recursion depth exceeded"
    assert found.message("zh-CN") == (
        f"处理“{lifted.paths.inbox / 'deep.eml'}”时出错（RecursionError: maximum recursion depth "
        "exceeded），未能收取；其他文件不受影响，出错经过已记入本轮的错误记录。")
    trace = (lifted.paths.private / "errors" / f"{record.sha256}.txt").read_text("utf-8")
    assert trace.startswith(f"deep.eml ({lifted.paths.inbox / 'deep.eml'}), collected ")
    assert "Traceback (most recent call last):" in trace and "RecursionError" in trace


# -- failures while archiving and recording -------------------------------------------------


def test_bytes_that_cannot_be_read_cost_only_their_item(fresh: Round, tmp_path: Path) -> None:
    good = tmp_path / "0101.xlsx"
    good.write_bytes(pack_bytes(fresh, "0101", tmp_path))

    def unreadable() -> io.BytesIO:
        raise PermissionError(13, "Permission denied")

    items = [Received("gone.xlsx", "upload:staff/gone.xlsx", NOW, None, 10, unreadable),
             Received("0101.xlsx", "upload:staff/0101.xlsx", NOW, None, good.stat().st_size,
                      lambda: good.open("rb"))]
    report = collect_round(fresh, now=NOW, received=items)
    assert [(f.record.name, f.record.sha256, f.status, [i.code for i in f.issues])
            for f in report.files] == [
        ("0101.xlsx", report.files[0].record.sha256, "accepted", []),
        ("gone.xlsx", "", "rejected", ["item-failed"])]
    assert report.files[1].issues[0].params == {
        "item": "gone.xlsx", "step": "archive", "detail": "PermissionError: [Errno 13] Permission denied"}
    errors = list((fresh.paths.private / "errors").iterdir())
    assert len(errors) == 1 and "PermissionError" in errors[0].read_text("utf-8")
    with Ledger(fresh.paths.ledger) as ledger:
        assert [f.name for f in ledger.files()] == ["0101.xlsx"]  # nothing to keep of the other


def test_a_failure_while_recording_costs_only_its_file(
    fresh: Round, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sheetops.app.collect as collect_module

    real = collect_module.check_link_owner

    def failing_for_0102(received: Received, forms: Any, view: Any) -> Any:
        if received.name == "0102.xlsx":
            raise ValueError("a bug in a check")
        return real(received, forms, view)

    monkeypatch.setattr(collect_module, "check_link_owner", failing_for_0102)
    for code in ("0101", "0102", "0103"):
        (fresh.paths.inbox / f"{code}.xlsx").write_bytes(pack_bytes(fresh, code, tmp_path))
    report = collect_round(fresh, now=NOW)
    assert [(f.record.name, f.status, [i.code for i in f.issues]) for f in report.files] == [
        ("0101.xlsx", "accepted", []), ("0102.xlsx", "rejected", ["item-failed"]),
        ("0103.xlsx", "accepted", [])]
    assert report.files[1].issues[0].params["step"] == "record"
    sha = report.files[1].record.sha256
    assert "ValueError: a bug in a check" in (
        fresh.paths.private / "errors" / f"{sha}.txt").read_text("utf-8")
    again = collect_round(fresh, now=NOW)
    assert [f.status for f in again.files] == ["duplicate"] * 3


# -- issues per file ------------------------------------------------------------------------


def test_issues_per_file_are_bounded(fresh: Round, tmp_path: Path) -> None:
    limited = set_limits(fresh, max_issues_per_file=5)
    source, pack = pack_of(limited, "0101")
    fill_pack(source, limited.paths.inbox / "junk.xlsx", pack, limited.scheme,
              score=lambda form_id, index, item: 999)
    [outcome] = collect_round(limited, now=NOW).files
    found = len(limited.scheme.items) * len(pack.forms)  # every score out of range
    assert [i.code for i in outcome.issues] == ["score-out-of-range"] * 5 + ["issues-truncated"]
    assert outcome.issues[-1].message("zh-CN") == (
        f"此文件的问题过多，只列出前 5 条，另有 {found - 5} 条未列出。")
    with Ledger(limited.paths.ledger) as ledger:
        assert len(ledger.issues(outcome.record.sha256)) == 6


# -- IMAP -----------------------------------------------------------------------------------


def test_a_bad_message_never_blocks_the_mailbox(fresh: Round, tmp_path: Path,
                                                imap: ImapServer) -> None:
    data = pack_bytes(fresh, "0101", tmp_path)
    imap.append("hostile", [
        nested_rfc822(1000),
        message("dzb0101@dangjian.example.cn", [("0101.xlsx", data)], subject="good"),
        message("dzb0102@dangjian.example.cn", [("回执.zip", with_damaged_byte(
            stored_zip({"0102.xlsx": data}), "0102.xlsx"))], subject="zip"),
    ])
    settings = ImapSettings(host=HOST, user="hostile", port=imap.ssl_port,
                            password=IMAP_PASSWORD, cafile=imap.certificate.cert)
    first = collect_round(fresh, now=NOW, mailboxes=[ImapMailbox(settings)])
    assert sorted((f.record.name, f.status, [i.code for i in f.issues])
                  for f in first.files) == [
        ("0101.xlsx", "accepted", []),
        ("forwarded.eml", "rejected", ["message-too-deep"]),
        ("回执.zip", "rejected", ["archive-member-damaged"]),
    ]
    assert collect_round(fresh, now=NOW, mailboxes=[ImapMailbox(settings)]).files == []
    with Ledger(fresh.paths.ledger) as ledger:
        seen = MailLog(ledger).seen(settings.mailbox_key)
    assert [(m.uid, m.message_id) for m in seen] == [
        (1, None), (2, "<good@client.example.cn>"), (3, "<zip@client.example.cn>")]
    assert not any("\\Seen" in f for f in imap.flags("hostile"))  # the server is unchanged


def test_one_parse_per_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sheetops.mail.inbound.messages as messages

    parses: list[str] = []
    for name in ("parse_message", "parse_headers"):
        real = getattr(messages, name)

        def counted(raw: bytes, real: Any = real, name: str = name) -> Any:
            parses.append(name)
            return real(raw)

        monkeypatch.setattr(messages, name, counted)
    path = tmp_path / "many.eml"
    path.write_bytes(message("dzb0101@dangjian.example.cn",
                             [(f"{n}.xlsx", b"PK" + bytes([n]) * 50) for n in range(40)]))
    items = scan_sources([path], [MAIL_FILES])
    assert {item.name: item.open().read() for item in items} == {
        f"{n}.xlsx": b"PK" + bytes([n]) * 50 for n in range(40)}
    assert parses == ["parse_message"]  # listing and opening all 40 attachments: one parse
