"""``send`` and ``remind``: drafts, real SMTP (aiosmtpd on 127.0.0.1), resuming, reminders."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import os
from collections.abc import Iterator
from email.message import EmailMessage, Message
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from sheetops.app.collect import collect_round
from sheetops.app.generate import generate_scoresheets
from sheetops.app.init import init_round
from sheetops.app.remind import remind_recipients
from sheetops.app.send import send_packs
from sheetops.cli.main import main
from sheetops.layout.packs import PackPlan, handbook_file, plan_packs
from sheetops.ledger.store import Ledger
from sheetops.mail.log import MailLog, MailRecord
from sheetops.mail.outbound.transport import DraftFolder, SmtpSettings, SmtpTransport
from sheetops.model.workspace import Round

from .conftest import NOW, TODAY
from .crafted import filled
from .mailservers import (
    HOST,
    SMTP_PASSWORD,
    SMTP_USER,
    Certificate,
    SmtpServer,
    running_smtp,
)

pytestmark = pytest.mark.filterwarnings(
    "ignore:Session.login_data is deprecated:DeprecationWarning")

SENDER = f"党委组织部考核办 <{SMTP_USER}>"
TITLE = "2026年度党支部建设目标管理年终考核"


@pytest.fixture(autouse=True)
def no_mail_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's own SHEETOPS_* settings must not leak into the tests."""
    for name in list(os.environ):
        if name.startswith("SHEETOPS_"):
            monkeypatch.delenv(name)


@pytest.fixture
def smtp(certificate: Certificate) -> Iterator[SmtpServer]:
    with running_smtp("starttls", certificate) as server:
        yield server


def invoke(*args: object, password: str | None = SMTP_PASSWORD,
           input: str | None = None) -> Result:
    env = {"SHEETOPS_SMTP_PASSWORD": password} if password is not None else {}
    return CliRunner().invoke(main, [str(a) for a in args], env=env, input=input)


def packs_of(round_: Round) -> list[PackPlan]:
    return plan_packs(round_.config, round_.scheme, round_.roster, generated_at="")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def attachments(message: EmailMessage) -> list[tuple[str | None, str]]:
    return [(part.get_filename(), sha(part.get_content()))
            for part in message.iter_attachments()]


def handbook_of(round_: Round, pack: PackPlan) -> list[tuple[str | None, str]]:
    """A branch's work handbook, attached after its pack (inspectors have none)."""
    path = round_.paths.outbox / handbook_file(pack.recipient, pack.recipient_name, round_.lang)
    return [(path.name, sha(path.read_bytes()))] if pack.recipient_kind == "branch" else []


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def mail_log(round_: Round) -> list[MailRecord]:
    with Ledger(round_.paths.ledger) as ledger:
        return MailLog(ledger).messages()


def summary(sent: int, already: int = 0, failed: int = 0, uncertain: int = 0,
            not_attempted: int = 0, total: int = 14) -> str:
    return (f"评分表邮件：共 {total} 个收件单位，本次发出 {sent} 封，此前已发送 {already} 个，"
            f"失败 {failed} 个，情况不明 {uncertain} 个，没有邮箱 0 个，未发送 {not_attempted} 个。")


PACK_BODY_0101 = """机关办公室党支部：

现将《2026年度党支部建设目标管理年终考核》评分表发给你们，请认真填写，并于2026年12月11日前直接回复本邮件，将填好的工作簿作为附件发回。

附件“0101-机关办公室党支部.xlsx”中共有 4 张评分表：
  · 本支部自评（工作表“自评”）
  · 对组织人事处党支部的互评（工作表“互评-0102”）
  · 对交通运营公司党支部的互评（工作表“互评-0110”）
  · 对设计研究院党支部的互评（工作表“互评-0112”）

填写要求：
1. 只在浅黄色单元格中填写。得分须在 0 至该项分值之间；未得满分的项目，请在“扣分说明”栏写明扣分原因。
2. 一票否决事项请逐项选择“是”或“否”；选“是”的，须在“情况说明”栏写明具体情况。
3. 请直接在本工作簿中填写，不要复制到新文件，不要增删或改名工作表。
4. 填好后直接回复本邮件，将整个工作簿作为附件发回，文件名不必修改；如需更正，可再次发送，以最后收到的为准。
5. 收到后系统将逐项核对，有问题的表格会另行通知。

党委组织部考核办
2026年11月27日
"""


# -- dry run --------------------------------------------------------------------------------


def test_dry_run_writes_one_draft_per_recipient(fresh: Round) -> None:
    root = fresh.paths.root
    folder = root / "outbox" / "mail"
    result = invoke("send", root, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output == f"已生成 14 封邮件草稿（未发送），保存在 {folder}\n"
    packs = packs_of(fresh)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"send-{p.recipient}-{p.recipient_name}.eml" for p in packs)
    for pack in packs:
        raw = (folder / f"send-{pack.recipient}-{pack.recipient_name}.eml").read_bytes()
        message = parse(raw)
        assert message["To"] == f"{pack.recipient_name} <{pack.email}>"
        assert message["From"] is None  # left to the mail client that opens the draft
        assert message["X-Unsent"] == "1"
        assert message["Subject"] == f"{TITLE}评分表：{pack.recipient_name}（{pack.recipient}）"
        pack_bytes = (fresh.paths.outbox / pack.file).read_bytes()
        assert attachments(message) == [(Path(pack.file).name, sha(pack_bytes)),
                                        *handbook_of(fresh, pack)]
        assert b"\r\nSubject: =?utf-8?b?" in raw
        encoded_name = "".join(f"%{b:02X}" if b > 0x7E or b in b"%'* " else chr(b)
                               for b in Path(pack.file).name.encode())
        assert f"filename*=utf-8''{encoded_name}".encode() in raw
    assert mail_log(fresh) == []  # drafts are not sends


def test_draft_body_in_chinese(fresh: Round) -> None:
    report = send_packs(fresh, DraftFolder(fresh.paths.outbox / "mail", SENDER), now=NOW)
    assert report.counts() == {"drafted": 14}
    message = parse((fresh.paths.outbox / "mail" / "send-0101-机关办公室党支部.eml").read_bytes())
    assert message["From"] == SENDER
    assert message["Date"] == "Fri, 27 Nov 2026 09:30:00 +0000"
    assert body(message) == PACK_BODY_0101
    inspector = parse((fresh.paths.outbox / "mail" / "send-X01-第一巡查组.eml").read_bytes())
    assert body(inspector).splitlines()[:5] == [
        "第一巡查组：",
        "",
        "现将《2026年度党支部建设目标管理年终考核》考评表发给您，请根据巡查掌握的情况逐项评分，"
        "并于2026年12月11日前直接回复本邮件，将填好的工作簿作为附件发回。",
        "",
        "附件“X01-第一巡查组.xlsx”中共有 6 张评分表：",
    ]
    assert "  · 对机关办公室党支部的考评（工作表“考评-0101”）" in body(inspector)


# -- real sending ----------------------------------------------------------------------------


def test_send_to_the_local_smtp_server(fresh: Round, smtp: SmtpServer) -> None:
    root = fresh.paths.root
    result = invoke("send", root, *smtp.options())
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"{summary(14)}\n下一步：各单位发回后，运行 sheetops collect {root} 收取\n")
    packs = packs_of(fresh)
    captured = smtp.handler.messages
    assert [(c.mail_from, c.rcpt_tos) for c in captured] == [
        (SMTP_USER, (p.email,)) for p in packs]
    records = mail_log(fresh)
    for pack, item, record in zip(packs, captured, records, strict=True):
        message = item.message()
        assert message["Subject"] == f"{TITLE}评分表：{pack.recipient_name}（{pack.recipient}）"
        assert message["From"] == SENDER
        assert message["To"] == f"{pack.recipient_name} <{pack.email}>"
        assert "X-Unsent" not in message
        assert body(message).startswith(f"{pack.recipient_name}：\n\n现将《{TITLE}》")
        expected = [(Path(pack.file).name,
                     sha((fresh.paths.outbox / pack.file).read_bytes())),
                    *handbook_of(fresh, pack)]
        assert attachments(message) == expected
        assert (record.kind, record.recipient, record.address, record.status) == (
            "send", pack.recipient, pack.email, "sent")
        assert record.message_id == message["Message-ID"]
        assert [(a["name"], a["sha256"]) for a in record.attachments] == expected


def test_a_rerun_sends_nothing_twice_unless_asked(fresh: Round, smtp: SmtpServer) -> None:
    root = fresh.paths.root
    assert invoke("send", root, *smtp.options()).exit_code == 0
    again = invoke("send", root, *smtp.options())
    assert again.exit_code == 0, again.output
    assert again.output == (
        f"{summary(0, already=14)}\n"
        "此前已发送的单位本次没有重发；如需重发，请加 --resend（可用 --only 指定单位）。\n"
        f"下一步：各单位发回后，运行 sheetops collect {root} 收取\n")
    assert len(smtp.handler.messages) == 14
    once_more = invoke("send", root, *smtp.options(), "--resend", "--only", "0103")
    assert once_more.exit_code == 0, once_more.output
    assert once_more.output.splitlines()[0] == summary(1, total=1)
    assert [c.rcpt_tos for c in smtp.handler.messages[14:]] == [("dzb0103@dangjian.example.cn",)]
    first, second = (r for r in mail_log(fresh) if r.recipient == "0103")
    assert first.message_id != second.message_id  # a deliberate resend is a new message


def test_a_send_interrupted_halfway_completes_without_duplicates(
    fresh: Round, smtp: SmtpServer
) -> None:
    root = fresh.paths.root
    smtp.handler.busy_after = 7  # the server starts refusing: rate limit
    first = invoke("send", root, *smtp.options())
    assert first.exit_code == 1
    assert first.output == (
        f"{summary(7, failed=1, not_attempted=6)}\n"
        "  失败：0108 工程建设公司第一党支部 <dzb0108@dangjian.example.cn>："
        "421 4.7.0 Too many messages, try again later\n"
        "发送中断：421 4.7.0 Too many messages, try again later。"
        "已发出的邮件不会重发，排除问题后重新运行同一命令即可继续。\n")
    smtp.handler.busy_after = None
    second = invoke("send", root, *smtp.options())
    assert second.exit_code == 0, second.output
    assert second.output.splitlines()[0] == summary(7, already=7)
    recipients = [c.rcpt_tos[0] for c in smtp.handler.messages]
    assert sorted(recipients) == sorted(p.email for p in packs_of(fresh))  # each exactly once
    assert [(r.recipient, r.status) for r in mail_log(fresh)].count(("0108", "failed")) == 1


def test_a_crash_inside_a_transaction_is_never_guessed(
    fresh: Round, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = SmtpTransport.deliver

    def dies_after_the_third(self: SmtpTransport, message: Message, address: str) -> None:
        original(self, message, address)
        if address == "dzb0103@dangjian.example.cn":
            raise KeyboardInterrupt  # the server has the message; the run dies before noting it

    monkeypatch.setattr(SmtpTransport, "deliver", dies_after_the_third)
    settings = SmtpSettings(host=HOST, port=smtp.port, sender=SENDER, user=SMTP_USER,
                            password=SMTP_PASSWORD, cafile=smtp.certificate.cert
                            if smtp.certificate else None)
    with pytest.raises(KeyboardInterrupt):
        send_packs(fresh, SmtpTransport(settings))
    monkeypatch.undo()
    assert [(r.recipient, r.status) for r in mail_log(fresh)] == [
        ("0101", "sent"), ("0102", "sent"), ("0103", "pending")]

    root = fresh.paths.root
    rerun = invoke("send", root, *smtp.options())
    assert rerun.exit_code == 1
    assert rerun.output == (
        f"{summary(11, already=2, uncertain=1)}\n"
        "  情况不明：0103 计划财务处党支部 <dzb0103@dangjian.example.cn>：上次发送时程序中断，"
        "无法确认对方是否已收到。核实后如需重发，请运行 "
        f"sheetops send {root} --resend --only 0103\n"
        "此前已发送的单位本次没有重发；如需重发，请加 --resend（可用 --only 指定单位）。\n"
        f"下一步：各单位发回后，运行 sheetops collect {root} 收取\n")
    recipients = [c.rcpt_tos[0] for c in smtp.handler.messages]
    assert len(recipients) == len(set(recipients)) == 14

    resent = invoke("send", root, *smtp.options(), "--resend", "--only", "0103")
    assert resent.exit_code == 0, resent.output
    copies = [c.message()["Message-ID"] for c in smtp.handler.messages
              if c.rcpt_tos == ("dzb0103@dangjian.example.cn",)]
    assert len(copies) == 2 and copies[0] == copies[1]  # one message, as clients will see


@pytest.mark.parametrize("security", ["ssl", "plain"])
def test_other_connection_security(fresh: Round, certificate: Certificate,
                                   security: str) -> None:
    with running_smtp(security, certificate) as server:
        result = invoke("send", fresh.paths.root, *server.options(login=security != "plain"),
                        "--only", "0101")
        assert result.exit_code == 0, result.output
        assert [c.rcpt_tos for c in server.handler.messages] == [
            ("dzb0101@dangjian.example.cn",)]


def test_the_password_is_asked_for_when_not_in_the_environment(
    fresh: Round, smtp: SmtpServer
) -> None:
    result = invoke("send", fresh.paths.root, *smtp.options(), "--only", "0101", password=None,
                    input=SMTP_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{SMTP_USER} 在 {HOST}:{smtp.port} 的密码: \n"
    assert len(smtp.handler.messages) == 1
    assert SMTP_PASSWORD not in fresh.paths.ledger.read_bytes().decode("utf-8", "replace")


def test_a_wrong_password_stops_before_anything_is_sent(fresh: Round, smtp: SmtpServer) -> None:
    result = invoke("send", fresh.paths.root, *smtp.options(), password="wrong")
    assert result.exit_code == 1
    assert result.output == (
        f"错误：发件服务器 {HOST}:{smtp.port} 拒绝了 {SMTP_USER} 的登录："
        "535 5.7.8 Authentication credentials invalid\n")
    assert smtp.handler.messages == [] and mail_log(fresh) == []


def test_a_refused_recipient_does_not_stop_the_others(fresh: Round, smtp: SmtpServer) -> None:
    smtp.handler.refuse = {"dzb0105@dangjian.example.cn"}
    root = fresh.paths.root
    result = invoke("send", root, *smtp.options())
    assert result.exit_code == 1
    assert result.output == (
        f"{summary(13, failed=1)}\n"
        "  失败：0105 科技信息处党支部 <dzb0105@dangjian.example.cn>："
        "550 5.1.1 <dzb0105@dangjian.example.cn>: mailbox unavailable\n"
        f"下一步：各单位发回后，运行 sheetops collect {root} 收取\n")
    smtp.handler.refuse = set()
    retry = invoke("send", root, *smtp.options())
    assert retry.exit_code == 0
    assert retry.output.splitlines()[0] == summary(1, already=13)


def test_a_real_send_needs_a_server_and_a_sender(fresh: Round) -> None:
    no_host = invoke("send", fresh.paths.root)
    assert no_host.exit_code == 2
    assert no_host.output.endswith(
        "错误：发送邮件需要指定发件服务器：请用 --smtp-host 指定，或设置环境变量 "
        "SHEETOPS_SMTP_HOST（只生成草稿请加 --dry-run）\n")
    no_sender = invoke("send", fresh.paths.root, "--smtp-host", HOST)
    assert no_sender.exit_code == 2
    assert no_sender.output.endswith(
        "错误：发送邮件需要指定发件人：请用 --from 指定，或设置环境变量 SHEETOPS_MAIL_FROM\n")


def test_unknown_recipient_and_ungenerated_round(fresh: Round, tmp_path: Path) -> None:
    unknown = invoke("send", fresh.paths.root, "--dry-run", "--only", "9999")
    assert (unknown.exit_code, unknown.output) == (
        1, "错误：名册中没有代码为“9999”的收件单位\n")
    bare = init_round(tmp_path / "bare", fresh.paths.root / "roster.xlsx", today=TODAY).round
    result = invoke("send", bare.paths.root, "--dry-run")
    assert (result.exit_code, result.output) == (1, (
        f"错误：还没有生成评分表（找不到 {bare.paths.outbox / 'branches' / '0101-机关办公室党支部.xlsx'}）。"
        f"请先运行 sheetops generate {bare.paths.root}\n"))


def test_an_english_round_writes_english_mail(fresh: Round, tmp_path: Path) -> None:
    english = init_round(tmp_path / "en", fresh.paths.root / "roster.xlsx", language="en",
                         today=TODAY).round
    generate_scoresheets(english, now=NOW)
    send_packs(english, DraftFolder(english.paths.outbox / "mail", SENDER), only=["0101"],
               now=NOW)
    [draft] = sorted((english.paths.outbox / "mail").iterdir())
    message = parse(draft.read_bytes())
    assert message["Subject"] == (
        "2026 Party Branch Target-Management Year-End Assessment: scoresheets for "
        "机关办公室党支部 (0101)")
    assert body(message).splitlines()[:6] == [
        "Dear 机关办公室党支部,",
        "",
        "Please find attached the scoresheets of the 2026 Party Branch Target-Management "
        "Year-End Assessment. Fill them in and reply to this message with the completed "
        "workbook attached by 2026-12-11.",
        "",
        "The attached workbook '0101-机关办公室党支部.xlsx' holds 4 form(s):",
        "  · your branch's self-assessment (sheet 'Self')",
    ]


# -- reminders ------------------------------------------------------------------------------


def returns_for_reminders(round_: Round) -> None:
    """0101 returns a clean pack; 0102's self form is rejected; 0103 sends a web page by mail;
    all collected on 30 November (when they arrive)."""
    seen = dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    stamp = seen.timestamp()
    for code, edits in (("0101", {}), ("0102", {"自评": {"F7": "很好"}})):
        path = filled(round_, code, f"{code}.xlsx", edits=edits)
        os.utime(path, (stamp, stamp))
    page = b"<html><body><table><tr><td>95</td></tr></table></body></html>"
    import base64

    (round_.paths.inbox / "from-0103.eml").write_bytes(
        b"From: dzb0103@dangjian.example.cn\r\nTo: khb@dangjian.example.cn\r\n"
        b"Subject: =?GB2312?B?" + base64.b64encode("考核表".encode("gb2312")) + b"?=\r\n"
        b"Date: Mon, 30 Nov 2026 10:15:00 +0800\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n\xe8\xa7\x81\xe9\x99\x84\xe4\xbb\xb6\r\n"
        b'--b\r\nContent-Type: application/vnd.ms-excel; name="scores.xls"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(page) + b"\r\n--b--\r\n")
    collect_round(round_, now=seen)


REMINDER_0102 = """组织人事处党支部：

《2026年度党支部建设目标管理年终考核》评分表的收取截止日期为2026年12月11日。截至2026年11月27日，你们还有以下评分表需要处理：

已退回，请修改后重新发送（1 张）：
  · 本支部自评（工作表“自评”，2026年11月30日收到的文件“0102.xlsx”）：
      单元格 F7：第1项“支部委员会坚持集体学习，深入学习…”的得分“很好”不是数字。用阿拉伯数字填写得分，例如 4.5。

已采用的评分表无需重发。请在原工作簿中补填或修改后，直接回复本邮件，将整个工作簿作为附件发回；原工作簿如已遗失，可使用本邮件附件中的工作簿重新填写。

党委组织部考核办
2026年11月27日
"""

REMINDER_0103 = """计划财务处党支部：

《2026年度党支部建设目标管理年终考核》评分表的收取截止日期为2026年12月11日。截至2026年11月27日，你们还有以下评分表需要处理：

尚未收到（4 张）：
  · 本支部自评（工作表“自评”）
  · 对机关办公室党支部的互评（工作表“互评-0101”）
  · 对组织人事处党支部的互评（工作表“互评-0102”）
  · 对工程建设公司第一党支部的互评（工作表“互评-0108”）

另外，你们发来的以下邮件或文件无法采用（1 个）：
  · scores.xls（2026年11月30日收到）：
      文件名是 .xls，但内容实际是网页（HTML），不是 Excel 工作簿。在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再发送。

已采用的评分表无需重发。请在原工作簿中补填或修改后，直接回复本邮件，将整个工作簿作为附件发回；原工作簿如已遗失，可使用本邮件附件中的工作簿重新填写。

党委组织部考核办
2026年11月27日
"""


def test_reminder_drafts_list_exactly_what_is_due(fresh: Round) -> None:
    returns_for_reminders(fresh)
    folder = fresh.paths.outbox / "mail"
    report = remind_recipients(fresh, DraftFolder(folder, SENDER), now=NOW)
    assert [o.recipient for o in report.outcomes] == [
        p.recipient for p in packs_of(fresh) if p.recipient != "0101"]
    reminder = parse((folder / "remind-0102-组织人事处党支部.eml").read_bytes())
    assert reminder["Subject"] == f"【提醒】{TITLE}：组织人事处党支部（0102）尚有 1 张评分表待交"
    assert body(reminder) == REMINDER_0102
    assert attachments(reminder) == [("0102-组织人事处党支部.xlsx", sha(
        (fresh.paths.outbox / "branches" / "0102-组织人事处党支部.xlsx").read_bytes())),
        *handbook_of(fresh, packs_of(fresh)[1])]
    other = parse((folder / "remind-0103-计划财务处党支部.eml").read_bytes())
    assert other["Subject"] == f"【提醒】{TITLE}：计划财务处党支部（0103）尚有 4 张评分表待交"
    assert body(other) == REMINDER_0103


def test_remind_sends_once_per_situation(fresh: Round, smtp: SmtpServer) -> None:
    returns_for_reminders(fresh)
    root = fresh.paths.root
    first = invoke("remind", root, *smtp.options())
    assert first.exit_code == 0, first.output
    assert first.output == (
        "提醒邮件：13 个单位尚有评分表未交或被退回，本次发出 13 封，情况未变不再重复提醒 0 个，"
        "失败 0 个，情况不明 0 个，没有邮箱 0 个，未发送 0 个。\n"
        f"下一步：运行 sheetops status {root} 查看缺交清单\n")
    assert [c.rcpt_tos[0] for c in smtp.handler.messages][:2] == [
        "dzb0102@dangjian.example.cn", "dzb0103@dangjian.example.cn"]
    assert smtp.handler.messages[0].message()["Subject"] == (
        f"【提醒】{TITLE}：组织人事处党支部（0102）尚有 1 张评分表待交")
    again = invoke("remind", root, *smtp.options())
    assert again.exit_code == 0
    assert again.output.splitlines()[:2] == [
        "提醒邮件：13 个单位尚有评分表未交或被退回，本次发出 0 封，情况未变不再重复提醒 13 个，"
        "失败 0 个，情况不明 0 个，没有邮箱 0 个，未发送 0 个。",
        "情况未变的单位本次没有重复提醒；如需再次提醒，请加 --resend。"]
    filled(fresh, "0104", "0104.xlsx", skip=("peer-0104-0105",))
    collect_round(fresh, now=NOW)
    changed = invoke("remind", root, *smtp.options())
    assert changed.output.splitlines()[0].startswith(
        "提醒邮件：13 个单位尚有评分表未交或被退回，本次发出 1 封，情况未变不再重复提醒 12 个")
    assert smtp.handler.messages[-1].message()["Subject"] == (
        f"【提醒】{TITLE}：规划发展处党支部（0104）尚有 1 张评分表待交")
    forced = invoke("remind", root, *smtp.options(), "--resend", "--only", "0105")
    assert forced.output.splitlines()[0].startswith(
        "提醒邮件：1 个单位尚有评分表未交或被退回，本次发出 1 封")
    assert len(smtp.handler.messages) == 15


def test_nothing_to_remind_when_every_form_is_in(fresh: Round, smtp: SmtpServer) -> None:
    for pack in packs_of(fresh):
        filled(fresh, pack.recipient, f"{pack.recipient}.xlsx")
    collect_round(fresh, now=NOW)
    result = invoke("remind", fresh.paths.root, *smtp.options())
    assert (result.exit_code, result.output) == (0, "所有评分表均已采用，无需提醒。\n")
    assert smtp.handler.messages == []


def test_send_feedback_mails_each_branch_its_own(fresh: Round, smtp: SmtpServer) -> None:
    for code in ("0101", "0102", "X01"):
        filled(fresh, code, f"{code}.xlsx")
    collect_round(fresh, now=NOW)
    root = fresh.paths.root
    toml = fresh.paths.config.read_text("utf-8").replace(
        'contact = ""', 'contact = "组织部考核办 王老师，电话 0851-12345678"')
    fresh.paths.config.write_text(toml, "utf-8")
    # Forms are outstanding: feedback goes out only when marked provisional.
    refused = invoke("send", root, "--feedback", "--dry-run")
    assert refused.exit_code == 1
    assert "还有 46 张评分表未收齐、被退回或待审核，现在反馈的结果还可能变化。" in refused.output
    assert not (root / "outbox" / "mail").exists()
    drafts = invoke("send", root, "--feedback", "--provisional", "--dry-run")
    assert drafts.exit_code == 0, drafts.output
    folder = root / "outbox" / "mail"
    branches = fresh.roster.branches
    assert sorted(p.name for p in folder.glob("feedback-*.eml")) == sorted(
        f"feedback-{b.code}-{b.name}.eml" for b in branches)
    message = parse((folder / "feedback-0101-机关办公室党支部.eml").read_bytes())
    assert message["Subject"] == f"【初步结果】《{TITLE}》结果反馈：机关办公室党支部（0101）"
    workbook = root / "reports" / "feedback" / "0101-机关办公室党支部-考核反馈.xlsx"
    assert attachments(message) == [("0101-机关办公室党支部-考核反馈.xlsx",
                                     sha(workbook.read_bytes()))]
    assert body(message).splitlines()[2] == (
        f"《{TITLE}》尚有 46 张评分表未收齐或待重交，考核结果还可能变化。现先将你支部的初步"
        "考核结果发给你们，供对照整改参考；最终结果以考核办正式通报为准。")
    assert "如有疑问，请联系：组织部考核办 王老师，电话 0851-12345678" in body(message)
    page = openpyxl.load_workbook(workbook).active
    assert page is not None
    assert page["A3"].value.startswith("初步结果：尚有 46 张评分表未收齐或待重交")
    assert page.oddHeader.center.text == "初步结果　仅供参考"

    sent = invoke("send", root, "--feedback", "--provisional", *smtp.options())
    assert sent.exit_code == 0, sent.output
    assert [c.rcpt_tos for c in smtp.handler.messages] == [(b.email,) for b in branches]
    again = invoke("send", root, "--feedback", "--provisional", *smtp.options())
    assert again.exit_code == 0, again.output
    assert len(smtp.handler.messages) == 12  # the same feedback is not sent twice
    assert "反馈表没有变化的支部本次没有重复发送；如需再次发送，请加 --resend。" in again.output
    assert [r.kind for r in mail_log(fresh)] == ["feedback"] * 12


def test_feedback_of_a_complete_round_is_final(fresh: Round) -> None:
    for code in [b.code for b in fresh.roster.branches] + [i.code for i in fresh.roster.inspectors]:
        filled(fresh, code, f"{code}.xlsx")
    collect_round(fresh, now=NOW)
    root = fresh.paths.root
    drafts = invoke("send", root, "--feedback", "--dry-run")
    assert drafts.exit_code == 0, drafts.output
    message = parse((root / "outbox" / "mail" / "feedback-0101-机关办公室党支部.eml").read_bytes())
    assert message["Subject"] == f"《{TITLE}》结果反馈：机关办公室党支部（0101）"
    assert "初步" not in body(message)
    page = openpyxl.load_workbook(
        root / "reports" / "feedback" / "0101-机关办公室党支部-考核反馈.xlsx").active
    assert page is not None and page.oddHeader.center.text is None
    assert sorted(p.name for p in (root / "reports" / "feedback").iterdir()) == sorted(
        f"{b.code}-{b.name}-考核反馈.xlsx" for b in fresh.roster.branches)


def test_feedback_fingerprint_ignores_when_the_workbook_was_written(tmp_path: Path) -> None:
    import xlsxwriter

    from sheetops.mail.outbound.compose import file_sha256, workbook_content_sha256

    def write(name: str, created: dt.datetime, score: float) -> Path:
        path = tmp_path / name
        book = xlsxwriter.Workbook(str(path))
        book.set_properties({"created": created})
        book.add_worksheet("反馈").write_number(0, 0, score)
        book.close()
        return path

    first = write("a.xlsx", dt.datetime(2026, 11, 27, 9, 0, 0), 95.5)
    later = write("b.xlsx", dt.datetime(2026, 11, 27, 9, 0, 1), 95.5)
    changed = write("c.xlsx", dt.datetime(2026, 11, 27, 9, 0, 0), 95.0)
    assert file_sha256(first) != file_sha256(later)
    assert workbook_content_sha256(first) == workbook_content_sha256(later)
    assert workbook_content_sha256(first) != workbook_content_sha256(changed)
