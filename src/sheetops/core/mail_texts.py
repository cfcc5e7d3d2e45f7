"""Message templates of the mail commands (merged into :data:`sheetops.core.i18n.CATALOG`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

MAIL_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {
    # -- what recipients read: the pack ------------------------------------------------------
    "mail.greeting": {"zh-CN": "{name}：", "en": "Dear {name},"},
    "mail.feedback.subject": {
        "zh-CN": "{title}考核结果反馈：{name}（{code}）",
        "en": "{title}: assessment feedback for {name} ({code})",
    },
    "mail.feedback.intro": {
        "zh-CN": "《{title}》已完成汇总排名。现将你支部的考核结果反馈表发给你们，"
        "表中列明了综合得分、等级和名次，各板块与平均水平和最高分的比较，失分较多的项目及"
        "考评、互评意见，以及建议优先改进的方面，请认真对照整改。",
        "en": "The {title} has been ranked. Attached is your branch's feedback: its score, "
        "grade and rank, its sections against the average and the best, the items where it "
        "lost most with the inspectors' and peers' notes, and what to improve first.",
    },
    "mail.feedback.attached": {
        "zh-CN": "附件：{file}",
        "en": "Attached: {file}",
    },
    "mail.send.subject": {
        "zh-CN": "{title}评分表：{name}（{code}）",
        "en": "{title}: scoresheets for {name} ({code})",
    },
    "mail.send.intro.branch": {
        "zh-CN": "现将《{title}》评分表发给你们，请认真填写，并于{deadline}前直接回复本邮件，"
        "将填好的工作簿作为附件发回。",
        "en": "Please find attached the scoresheets of the {title}. Fill them in and reply to "
        "this message with the completed workbook attached by {deadline}.",
    },
    "mail.send.intro.inspector": {
        "zh-CN": "现将《{title}》考评表发给您，请根据巡查掌握的情况逐项评分，并于{deadline}前"
        "直接回复本邮件，将填好的工作簿作为附件发回。",
        "en": "Please find attached the inspection forms of the {title}. Score each branch "
        "on what the inspection found, and reply to this message with the completed workbook "
        "attached by {deadline}.",
    },
    "mail.send.attached": {
        "zh-CN": "附件“{file}”中共有 {count} 张评分表：",
        "en": "The attached workbook '{file}' holds {count} form(s):",
    },
    "mail.form-line": {
        "zh-CN": "  · {label}（工作表“{sheet}”）",
        "en": "  · {label} (sheet '{sheet}')",
    },
    "mail.form.self": {"zh-CN": "本支部自评", "en": "your branch's self-assessment"},
    "mail.form.peer": {"zh-CN": "对{target}的互评", "en": "peer rating of {target}"},
    "mail.form.inspector": {"zh-CN": "对{target}的考评", "en": "inspection of {target}"},
    "mail.send.rules": {
        "zh-CN": "填写要求：\n"
        "1. 只在浅黄色单元格中填写。得分须在 0 至该项分值之间；未得满分的项目，请在“扣分说明”栏"
        "写明扣分原因。\n"
        "2. 一票否决事项请逐项选择“是”或“否”；选“是”的，须在“情况说明”栏写明具体情况。\n"
        "3. 请直接在本工作簿中填写，不要复制到新文件，不要增删或改名工作表。\n"
        "4. 填好后直接回复本邮件，将整个工作簿作为附件发回，文件名不必修改；如需更正，可再次发送，"
        "以最后收到的为准。\n"
        "5. 收到后系统将逐项核对，有问题的表格会另行通知。",
        "en": "How to fill in:\n"
        "1. Type only into the light yellow cells. A score lies between 0 and the item's "
        "maximum; for any item below full marks, say why in the 'Reason for deduction' "
        "column.\n"
        "2. Answer each veto question Yes or No; for a Yes, give the details.\n"
        "3. Fill in this workbook itself: do not copy it into a new file, and do not add, "
        "remove or rename sheets.\n"
        "4. Reply to this message with the whole workbook attached; there is no need to "
        "rename it. To correct something, send it again: the last one received counts.\n"
        "5. Every form is checked on arrival; you will be told about any problem.",
    },
    # -- what recipients read: the reminder ------------------------------------------------
    "mail.remind.subject": {
        "zh-CN": "【提醒】{title}：{name}（{code}）尚有 {count} 张评分表待交",
        "en": "Reminder – {title}: {count} form(s) still due from {name} ({code})",
    },
    "mail.remind.intro": {
        "zh-CN": "《{title}》评分表的收取截止日期为{deadline}。截至{today}，你们还有以下评分表"
        "需要处理：",
        "en": "The forms of the {title} are due by {deadline}. As of {today}, these still need "
        "your attention:",
    },
    "mail.remind.missing": {
        "zh-CN": "尚未收到（{count} 张）：",
        "en": "Not received yet ({count}):",
    },
    "mail.remind.rejected": {
        "zh-CN": "已退回，请修改后重新发送（{count} 张）：",
        "en": "Returned: please correct and resend ({count}):",
    },
    "mail.remind.rejected-form": {
        "zh-CN": "  · {label}（工作表“{sheet}”，{date}收到的文件“{file}”）：",
        "en": "  · {label} (sheet '{sheet}', in the file '{file}' received on {date}):",
    },
    "mail.remind.problem-cell": {
        "zh-CN": "      单元格 {cell}：{message}{action}",
        "en": "      cell {cell}: {message} {action}",
    },
    "mail.remind.problem": {
        "zh-CN": "      {message}{action}",
        "en": "      {message} {action}",
    },
    "mail.remind.unusable": {
        "zh-CN": "另外，你们发来的以下邮件或文件无法采用（{count} 个）：",
        "en": "These messages or files you sent could not be used ({count}):",
    },
    "mail.remind.unusable-file": {
        "zh-CN": "  · {file}（{date}收到）：",
        "en": "  · {file} (received on {date}):",
    },
    "mail.remind.closing": {
        "zh-CN": "已采用的评分表无需重发。请在原工作簿中补填或修改后，直接回复本邮件，将整个工作簿"
        "作为附件发回；原工作簿如已遗失，可使用本邮件附件中的工作簿重新填写。",
        "en": "Forms already accepted need not be sent again. Complete or correct your "
        "workbook and reply to this message with the whole workbook attached; if you no "
        "longer have it, the attached copy can be filled in instead.",
    },
    # -- what staff read: send and remind ----------------------------------------------------
    "mail.send.summary": {
        "zh-CN": "评分表邮件：共 {total} 个收件单位，本次发出 {sent} 封，此前已发送 {already} 个，"
        "失败 {failed} 个，情况不明 {uncertain} 个，没有邮箱 {no_address} 个，"
        "未发送 {not_attempted} 个。",
        "en": "Scoresheet mail to {total} recipients: {sent} sent now, {already} sent before, "
        "{failed} failed, {uncertain} uncertain, {no_address} without an address, "
        "{not_attempted} not attempted.",
    },
    "mail.feedback.summary": {
        "zh-CN": "反馈邮件：共 {total} 个支部，本次发出 {sent} 封，"
        "反馈表未变不再重复发送 {unchanged} 个，失败 {failed} 个，情况不明 {uncertain} 个，"
        "没有邮箱 {no_address} 个，未发送 {not_attempted} 个。",
        "en": "Feedback mail to {total} branches: {sent} sent now, {unchanged} unchanged since "
        "last sent, {failed} failed, {uncertain} uncertain, {no_address} without an address, "
        "{not_attempted} not attempted.",
    },
    "mail.remind.summary": {
        "zh-CN": "提醒邮件：{total} 个单位尚有评分表未交或被退回，本次发出 {sent} 封，"
        "情况未变不再重复提醒 {unchanged} 个，失败 {failed} 个，情况不明 {uncertain} 个，"
        "没有邮箱 {no_address} 个，未发送 {not_attempted} 个。",
        "en": "Reminders: {total} recipients still owe or must resend forms: {sent} sent now, "
        "{unchanged} unchanged since the last reminder, {failed} failed, {uncertain} "
        "uncertain, {no_address} without an address, {not_attempted} not attempted.",
    },
    "mail.drafts": {
        "zh-CN": "已生成 {count} 封邮件草稿（未发送），保存在 {path}",
        "en": "Wrote {count} draft messages (nothing sent) to {path}",
    },
    "mail.remind.none": {
        "zh-CN": "所有评分表均已采用，无需提醒。",
        "en": "Every form is in; no reminder is needed.",
    },
    "mail.line.failed": {
        "zh-CN": "  失败：{code} {name} <{address}>：{detail}",
        "en": "  Failed: {code} {name} <{address}>: {detail}",
    },
    "mail.line.uncertain": {
        "zh-CN": "  情况不明：{code} {name} <{address}>：上次发送时程序中断，"
        "无法确认对方是否已收到。核实后如需重发，请运行 "
        "sheetops {kind} {path} --resend --only {code}",
        "en": "  Uncertain: {code} {name} <{address}>: an earlier run stopped while sending "
        "this message, so it may or may not have arrived. Once you have checked, resend it "
        "with: sheetops {kind} {path} --resend --only {code}",
    },
    "mail.line.no-address": {
        "zh-CN": "  没有邮箱：{code} {name}，请在名册中补填邮箱",
        "en": "  No address: {code} {name}; add one to the roster",
    },
    "mail.hint.already": {
        "zh-CN": "此前已发送的单位本次没有重发；如需重发，请加 --resend（可用 --only 指定单位）。",
        "en": "Recipients sent to before were skipped; to send again, add --resend (and "
        "--only CODE to pick recipients).",
    },
    "mail.hint.unchanged-feedback": {
        "zh-CN": "反馈表没有变化的支部本次没有重复发送；如需再次发送，请加 --resend。",
        "en": "Branches whose feedback has not changed were not sent it again; add --resend "
        "to send anyway.",
    },
    "mail.hint.unchanged": {
        "zh-CN": "情况未变的单位本次没有重复提醒；如需再次提醒，请加 --resend。",
        "en": "Recipients whose situation has not changed were not reminded again; to remind "
        "them anyway, add --resend.",
    },
    "mail.stopped": {
        "zh-CN": "发送中断：{reason}。已发出的邮件不会重发，排除问题后重新运行同一命令即可继续。",
        "en": "Sending stopped: {reason}. What went out will not be sent again: fix the "
        "problem and run the same command to continue.",
    },
    "mail.next.send": {
        "zh-CN": "下一步：各单位发回后，运行 sheetops collect {path} 收取",
        "en": "Next: when the returns arrive, run 'sheetops collect {path}'",
    },
    "mail.next.feedback": {
        "zh-CN": "反馈表保存在 {path}/reports/feedback，各支部可据此对照整改",
        "en": "The feedback workbooks are in {path}/reports/feedback",
    },
    "mail.next.remind": {
        "zh-CN": "下一步：运行 sheetops status {path} 查看缺交清单",
        "en": "Next: run 'sheetops status {path}' for the chase list",
    },
    "mail.password-prompt": {
        "zh-CN": "{user} 在 {server} 的密码",
        "en": "Password for {user} on {server}",
    },
    # -- what staff read: errors -------------------------------------------------------------
    "mail.need-host": {
        "zh-CN": "发送邮件需要指定发件服务器：请用 --smtp-host 指定，或设置环境变量 "
        "SHEETOPS_SMTP_HOST（只生成草稿请加 --dry-run）",
        "en": "sending needs an outgoing mail server: give --smtp-host or set "
        "SHEETOPS_SMTP_HOST (or add --dry-run to write drafts only)",
    },
    "mail.need-sender": {
        "zh-CN": "发送邮件需要指定发件人：请用 --from 指定，或设置环境变量 SHEETOPS_MAIL_FROM",
        "en": "sending needs a sender: give --from or set SHEETOPS_MAIL_FROM",
    },
    "mail.bad-sender": {
        "zh-CN": "发件人“{value}”不是有效的邮箱地址",
        "en": "the sender '{value}' is not a valid address",
    },
    "mail.bad-security": {
        "zh-CN": "不支持的连接方式“{value}”，可选：{choices}",
        "en": "unsupported connection security '{value}'; choose one of {choices}",
    },
    "mail.not-generated": {
        "zh-CN": "还没有生成评分表（找不到 {path}）。请先运行 sheetops generate {root}",
        "en": "the scoresheets have not been generated ({path} is missing). Run "
        "'sheetops generate {root}' first",
    },
    "mail.unknown-recipient": {
        "zh-CN": "名册中没有代码为“{code}”的收件单位",
        "en": "the roster has no recipient with code '{code}'",
    },
    "mail.smtp-unreachable": {
        "zh-CN": "无法连接发件服务器 {server}：{reason}",
        "en": "cannot connect to the outgoing mail server {server}: {reason}",
    },
    "mail.smtp-login-failed": {
        "zh-CN": "发件服务器 {server} 拒绝了 {user} 的登录：{reason}",
        "en": "the outgoing mail server {server} refused the login of {user}: {reason}",
    },
    "mail.imap-bad-url": {
        "zh-CN": "收件邮箱地址“{url}”格式不对，应为 imaps://用户名@服务器/邮箱文件夹",
        "en": "the mailbox URL '{url}' is malformed; expected imaps://user@host/FOLDER",
    },
    "mail.imap-unreachable": {
        "zh-CN": "无法连接收件服务器 {server}：{reason}",
        "en": "cannot connect to the mail server {server}: {reason}",
    },
    "mail.imap-login-failed": {
        "zh-CN": "收件服务器 {server} 拒绝了 {user} 的登录：{reason}",
        "en": "the mail server {server} refused the login of {user}: {reason}",
    },
    "mail.imap-no-mailbox": {
        "zh-CN": "收件服务器 {server} 上打不开邮箱文件夹“{mailbox}”：{reason}",
        "en": "the mail server {server} cannot open the folder '{mailbox}': {reason}",
    },
    "mail.imap-failed": {
        "zh-CN": "读取收件服务器 {server} 上的邮件时出错：{reason}",
        "en": "reading mail from {server} failed: {reason}",
    },
}
