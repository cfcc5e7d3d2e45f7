"""Mail: what recipients read (packs, reminders, feedback) and what staff see of sending."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "mail.greeting": ("{name}：", "Dear {name},"),
    "mail.feedback.subject": (
        "《{title}》结果反馈：{name}（{code}）",
        "{title}: assessment feedback for {name} ({code})",
    ),
    "mail.feedback.subject-provisional": ("【初步结果】{subject}", "[Provisional] {subject}"),
    "mail.feedback.intro-provisional": (
        "《{title}》尚有 {count} 张评分表未收齐或待重交，考核结果还可能变化。现先将你支部的初步考核结果发给你们，供对照整改参考；最终结果以考核办正式通报为准。",
        "The {title} still has {count} forms outstanding, so the results may change. Attached is your branch's provisional feedback, to work from meanwhile; the committee office's final notice is what counts.",
    ),
    "mail.contact": ("如有疑问，请联系：{contact}", "Questions: {contact}"),
    "mail.feedback.intro": (
        "《{title}》已完成汇总排名。现将你支部的考核结果反馈表发给你们，表中列明了综合得分、等级和名次，各板块与平均水平和最高分的比较，失分较多的项目及考评、互评意见，以及建议优先改进的方面，请认真对照整改。",
        "The {title} has been ranked. Attached is your branch's feedback: its score, grade and rank, its sections against the average and the best, the items where it lost most with the inspectors' and peers' notes, and what to improve first.",
    ),
    "mail.feedback.attached": ("附件：{file}", "Attached: {file}"),
    "mail.send.subject": ("{title}评分表：{name}（{code}）", "{title}: scoresheets for {name} ({code})"),
    "mail.send.intro.branch": (
        "现将《{title}》评分表发给你们，请认真填写，并于{deadline}前直接回复本邮件，将填好的工作簿作为附件发回。",
        "Please find attached the scoresheets of the {title}. Fill them in and reply to this message with the completed workbook attached by {deadline}.",
    ),
    "mail.send.intro.inspector": (
        "现将《{title}》考评表发给您，请根据巡查掌握的情况逐项评分，并于{deadline}前直接回复本邮件，将填好的工作簿作为附件发回。",
        "Please find attached the inspection forms of the {title}. Score each branch on what the inspection found, and reply to this message with the completed workbook attached by {deadline}.",
    ),
    "mail.send.attached": (
        "附件“{file}”中共有 {count} 张评分表：",
        "The attached workbook '{file}' holds {count} form(s):",
    ),
    "mail.form-line": ("  · {label}（工作表“{sheet}”）", "  · {label} (sheet '{sheet}')"),
    "mail.form.self": ("本支部自评", "your branch's self-assessment"),
    "mail.form.peer": ("对{target}的互评", "peer rating of {target}"),
    "mail.form.inspector": ("对{target}的考评", "inspection of {target}"),
    "mail.send.rules": (
        "填写要求：\n1. 只在浅黄色单元格中填写。得分须在 0 至该项分值之间；未得满分的项目，请在“扣分说明”栏写明扣分原因。\n2. 一票否决事项请逐项选择“是”或“否”；选“是”的，须在“情况说明”栏写明具体情况。\n3. 请直接在本工作簿中填写，不要复制到新文件，不要增删或改名工作表。\n4. 填好后直接回复本邮件，将整个工作簿作为附件发回，文件名不必修改；如需更正，可再次发送，以最后收到的为准。\n5. 收到后系统将逐项核对，有问题的表格会另行通知。",
        "How to fill in:\n1. Type only into the light yellow cells. A score lies between 0 and the item's maximum; for any item below full marks, say why in the 'Reason for deduction' column.\n2. Answer each veto question Yes or No; for a Yes, give the details.\n3. Fill in this workbook itself: do not copy it into a new file, and do not add, remove or rename sheets.\n4. Reply to this message with the whole workbook attached; there is no need to rename it. To correct something, send it again: the last one received counts.\n5. Every form is checked on arrival; you will be told about any problem.",
    ),
    "mail.remind.subject": (
        "【提醒】{title}：{name}（{code}）尚有 {count} 张评分表待交",
        "Reminder – {title}: {count} form(s) still due from {name} ({code})",
    ),
    "mail.remind.intro": (
        "《{title}》评分表的收取截止日期为{deadline}。截至{today}，你们还有以下评分表需要处理：",
        "The forms of the {title} are due by {deadline}. As of {today}, these still need your attention:",
    ),
    "mail.remind.missing": ("尚未收到（{count} 张）：", "Not received yet ({count}):"),
    "mail.remind.rejected": (
        "已退回，请修改后重新发送（{count} 张）：",
        "Returned: please correct and resend ({count}):",
    ),
    "mail.remind.rejected-form": (
        "  · {label}（工作表“{sheet}”，{date}收到的文件“{file}”）：",
        "  · {label} (sheet '{sheet}', in the file '{file}' received on {date}):",
    ),
    "mail.remind.problem-cell": (
        "      单元格 {cell}：{message}{action}",
        "      cell {cell}: {message} {action}",
    ),
    "mail.remind.problem": ("      {message}{action}", "      {message} {action}"),
    "mail.remind.unusable": (
        "另外，你们发来的以下邮件或文件无法采用（{count} 个）：",
        "These messages or files you sent could not be used ({count}):",
    ),
    "mail.remind.unusable-file": ("  · {file}（{date}收到）：", "  · {file} (received on {date}):"),
    "mail.remind.closing": (
        "已采用的评分表无需重发。请在原工作簿中补填或修改后，直接回复本邮件，将整个工作簿作为附件发回；原工作簿如已遗失，可使用本邮件附件中的工作簿重新填写。",
        "Forms already accepted need not be sent again. Complete or correct your workbook and reply to this message with the whole workbook attached; if you no longer have it, the attached copy can be filled in instead.",
    ),
    "mail.send.summary": (
        "评分表邮件：共 {total} 个收件单位，本次发出 {sent} 封，此前已发送 {already} 个，失败 {failed} 个，情况不明 {uncertain} 个，没有邮箱 {no_address} 个，未发送 {not_attempted} 个。",
        "Scoresheet mail to {total} recipients: {sent} sent now, {already} sent before, {failed} failed, {uncertain} uncertain, {no_address} without an address, {not_attempted} not attempted.",
    ),
    "mail.feedback.summary": (
        "反馈邮件：共 {total} 个支部，本次发出 {sent} 封，反馈表未变不再重复发送 {unchanged} 个，失败 {failed} 个，情况不明 {uncertain} 个，没有邮箱 {no_address} 个，未发送 {not_attempted} 个。",
        "Feedback mail to {total} branches: {sent} sent now, {unchanged} unchanged since last sent, {failed} failed, {uncertain} uncertain, {no_address} without an address, {not_attempted} not attempted.",
    ),
    "mail.remind.summary": (
        "提醒邮件：{total} 个单位尚有评分表未交或被退回，本次发出 {sent} 封，情况未变不再重复提醒 {unchanged} 个，失败 {failed} 个，情况不明 {uncertain} 个，没有邮箱 {no_address} 个，未发送 {not_attempted} 个。",
        "Reminders: {total} recipients still owe or must resend forms: {sent} sent now, {unchanged} unchanged since the last reminder, {failed} failed, {uncertain} uncertain, {no_address} without an address, {not_attempted} not attempted.",
    ),
    "mail.drafts": (
        "已生成 {count} 封邮件草稿（未发送），保存在 {path}",
        "Wrote {count} draft messages (nothing sent) to {path}",
    ),
    "mail.remind.none": ("所有评分表均已采用，无需提醒。", "Every form is in; no reminder is needed."),
    "mail.line.failed": (
        "  失败：{code} {name} <{address}>：{detail}",
        "  Failed: {code} {name} <{address}>: {detail}",
    ),
    "mail.line.uncertain": (
        "  情况不明：{code} {name} <{address}>：上次发送时程序中断，无法确认对方是否已收到。核实后如需重发，请运行 sheetops {kind} {path} --resend --only {code}",
        "  Uncertain: {code} {name} <{address}>: an earlier run stopped while sending this message, so it may or may not have arrived. Once you have checked, resend it with: sheetops {kind} {path} --resend --only {code}",
    ),
    "mail.line.no-address": (
        "  没有邮箱：{code} {name}，请在名册中补填邮箱",
        "  No address: {code} {name}; add one to the roster",
    ),
    "mail.hint.already": (
        "此前已发送的单位本次没有重发；如需重发，请加 --resend（可用 --only 指定单位）。",
        "Recipients sent to before were skipped; to send again, add --resend (and --only CODE to pick recipients).",
    ),
    "mail.hint.unchanged-feedback": (
        "反馈表没有变化的支部本次没有重复发送；如需再次发送，请加 --resend。",
        "Branches whose feedback has not changed were not sent it again; add --resend to send anyway.",
    ),
    "mail.hint.unchanged": (
        "情况未变的单位本次没有重复提醒；如需再次提醒，请加 --resend。",
        "Recipients whose situation has not changed were not reminded again; to remind them anyway, add --resend.",
    ),
    "mail.stopped": (
        "发送中断：{reason}。已发出的邮件不会重发，排除问题后重新运行同一命令即可继续。",
        "Sending stopped: {reason}. What went out will not be sent again: fix the problem and run the same command to continue.",
    ),
    "mail.next.send": (
        "下一步：各单位发回后，运行 sheetops collect {path} 收取",
        "Next: when the returns arrive, run 'sheetops collect {path}'",
    ),
    "mail.next.feedback": (
        "反馈表保存在 {path}/reports/feedback，各支部可据此对照整改",
        "The feedback workbooks are in {path}/reports/feedback",
    ),
    "mail.next.remind": (
        "下一步：运行 sheetops status {path} 查看缺交清单",
        "Next: run 'sheetops status {path}' for the chase list",
    ),
    "mail.password-prompt": ("{user} 在 {server} 的密码", "Password for {user} on {server}"),
    "mail.need-host": (
        "发送邮件需要指定发件服务器：请用 --smtp-host 指定，或设置环境变量 SHEETOPS_SMTP_HOST（只生成草稿请加 --dry-run）",
        "sending needs an outgoing mail server: give --smtp-host or set SHEETOPS_SMTP_HOST (or add --dry-run to write drafts only)",
    ),
    "mail.need-sender": (
        "发送邮件需要指定发件人：请用 --from 指定，或设置环境变量 SHEETOPS_MAIL_FROM",
        "sending needs a sender: give --from or set SHEETOPS_MAIL_FROM",
    ),
    "mail.bad-sender": ("发件人“{value}”不是有效的邮箱地址", "the sender '{value}' is not a valid address"),
    "mail.bad-security": (
        "不支持的连接方式“{value}”，可选：{choices}",
        "unsupported connection security '{value}'; choose one of {choices}",
    ),
    "mail.not-generated": (
        "还没有生成评分表（找不到 {path}）。请先运行 sheetops generate {root}",
        "the scoresheets have not been generated ({path} is missing). Run 'sheetops generate {root}' first",
    ),
    "mail.unknown-recipient": (
        "名册中没有代码为“{code}”的收件单位",
        "the roster has no recipient with code '{code}'",
    ),
    "mail.smtp-unreachable": (
        "无法连接发件服务器 {server}：{reason}",
        "cannot connect to the outgoing mail server {server}: {reason}",
    ),
    "mail.smtp-login-failed": (
        "发件服务器 {server} 拒绝了 {user} 的登录：{reason}",
        "the outgoing mail server {server} refused the login of {user}: {reason}",
    ),
    "mail.imap-bad-url": (
        "收件邮箱地址“{url}”格式不对，应为 imaps://用户名@服务器/邮箱文件夹",
        "the mailbox URL '{url}' is malformed; expected imaps://user@host/FOLDER",
    ),
    "mail.imap-unreachable": (
        "无法连接收件服务器 {server}：{reason}",
        "cannot connect to the mail server {server}: {reason}",
    ),
    "mail.imap-login-failed": (
        "收件服务器 {server} 拒绝了 {user} 的登录：{reason}",
        "the mail server {server} refused the login of {user}: {reason}",
    ),
    "mail.imap-no-mailbox": (
        "收件服务器 {server} 上打不开邮箱文件夹“{mailbox}”：{reason}",
        "the mail server {server} cannot open the folder '{mailbox}': {reason}",
    ),
    "mail.imap-failed": (
        "读取收件服务器 {server} 上的邮件时出错：{reason}",
        "reading mail from {server} failed: {reason}",
    ),
    "mail.portal-link": (
        "也可以打开本单位的专用上传链接，直接上传填好的评分表，上传后马上显示检查结果，有问题可以改正后重新上传：{url}（此链接仅供本单位使用，请勿转发）",
        "You can also upload your filled forms through your own link, see the outcome at once, and upload a corrected form again: {url} (this link is for your unit only: do not forward it)",
    ),
}
