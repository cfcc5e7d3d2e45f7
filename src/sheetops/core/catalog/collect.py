"""Collecting returns: progress, results per file, the chase list and the rejection report."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "collect.no-source": ("找不到收件来源 {path}", "collect source {path} does not exist"),
    "collect.held": (
        "另有 {count} 个文件待审核：发件人不是表格所属单位在名册中登记的邮箱，审核采用前不计分。"
        "运行 sheetops status {path} 查看。",
        "{count} more file(s) held for review: not sent from the roster address of their "
        "forms' recipients, they count only once accepted. Run 'sheetops status {path}'.",
    ),
    "collect.veto": (
        "一票否决：{name} 中的{sheet}（{form_id}）对“{veto}”选择了“是”，排名时该支部将定为不合格。情况说明：{note}",
        "Veto: {sheet} ({form_id}) in {name} answers Yes to '{veto}'; the branch will fail in "
        "the ranking. Details: {note}",
    ),
    "collect.summary": (
        "本次收到 {files} 个文件：采用 {accepted} 个（其中 {warnings} 个有提示），退回 {rejected} 个，重复 {duplicate} 个，已被新版本替代 {superseded} 个。",
        "Received {files} files: {accepted} accepted ({warnings} with warnings), {rejected} rejected, {duplicate} duplicates, {superseded} superseded.",
    ),
    "collect.forms": (
        "评分表：应交 {expected} 张，已采用 {accepted} 张，尚缺 {missing} 张。",
        "Forms: {expected} expected, {accepted} accepted, {missing} still missing.",
    ),
    "collect.partly-rejected": (
        "部分退回：{name}（{sender}），其中 {count} 张表被退回，其余已采用",
        "Partly rejected: {name} ({sender}): {count} form(s) rejected, the rest accepted",
    ),
    "collect.rejected-file": ("退回：{name}（{sender}）", "Rejected: {name} ({sender})"),
    "collect.more-reasons": (
        "    ……另有 {count} 处问题，见退回清单",
        "    … and {count} more, see the rejection report",
    ),
    "collect.report": ("退回和提示清单：{path}", "Rejections and warnings: {path}"),
    "collect.inbox-empty": (
        "收件文件夹 {inbox} 中没有文件。请先把各单位发回的工作簿（或 .zip 压缩包、.eml 邮件）"
        "保存到这个文件夹，再运行 sheetops collect {path}；文件放在别处的，把文件或文件夹写在"
        "命令后面，如 sheetops collect {path} 附件文件夹",
        "The inbox {inbox} holds no files. Save the returned workbooks (or .zip archives, .eml "
        "messages) there, then run 'sheetops collect {path}'; for files elsewhere, name the "
        "files or folders after the command: 'sheetops collect {path} FOLDER'",
    ),
    "collect.next": (
        "下一步：运行 sheetops status {path} 查看缺交清单",
        "Next: run 'sheetops status {path}' for the chase list",
    ),
    "collect.progress": ("正在收取", "Collecting"),
    "collect.unknown-sender": ("发件人不明", "sender unknown"),
    "status.recipient": (
        "{code} {name}（{kind}）：已交 {done}/{total}",
        "{code} {name} ({kind}): {done}/{total} returned",
    ),
    "status.kind.branch": ("支部", "branch"),
    "status.kind.inspector": ("巡查", "inspector"),
    "status.form": (
        "  {mark} {form_id}  {sheet}  {status}",
        "  {mark} {form_id}  {sheet}  {status}",
    ),
    "status.accepted": ("已采用", "accepted"),
    "status.accepted-with-warnings": ("已采用（有提示）", "accepted, with warnings"),
    "status.rejected": ("被退回，待重交", "rejected, awaiting resubmission"),
    "status.missing": ("未交", "missing"),
    "status.held": ("待审核（发件人不是名册登记的邮箱）", "held for review (not sent from the roster address)"),
    "status.newer-held": (
        "已采用本单位的版本；之后另有一份从其他邮箱发来的，待审核",
        "the recipient's own version counts; a later copy from another address awaits review",
    ),
    "status.held-files": (
        "待审核的文件 {count} 个（发件人不是表格所属单位在名册中登记的邮箱，审核前不计分）：",
        "{count} file(s) held for review (not sent from the address the roster gives for their forms; they do not count until accepted):",
    ),
    "status.held-file": (
        "  {sha}  {name}  发件人 {sender}，{count} 张表：{forms}",
        "  {sha}  {name}  from {sender}, {count} form(s): {forms}",
    ),
    "status.held-next": (
        "核实发件人后，运行 sheetops accept {path} <文件指纹> --note \"核实情况\" 计入考核；不予采用的无需处理。",
        "Once the sender is confirmed, run 'sheetops accept {path} <fingerprint> --note \"how it was confirmed\"' to count it; leave the others alone.",
    ),
    "accept.done": (
        "已审核采用：{name}（{sha}），计入 {count} 张表：{forms}。说明：{note}",
        "Accepted after review: {name} ({sha}), {count} form(s) now count: {forms}. Note: {note}",
    ),
    "accept.note-required": ("请写明采用的理由（如何核实了发件人）", "give the reason (how the sender was confirmed)"),
    "accept.bad-sha": (
        "“{value}”不是文件指纹：请输入 sheetops status 列出的指纹，至少前 {least} 位",
        "'{value}' is not a fingerprint: give the one 'sheetops status' lists, at least its first {least} characters",
    ),
    "accept.unknown": (
        "没有指纹以“{value}”开头的待审核文件，请用 sheetops status 查看待审核清单",
        "no file held for review has a fingerprint starting '{value}'; 'sheetops status' lists them",
    ),
    "accept.not-held": (
        "文件 {name}（{sha}）没有待审核的表格，无需采用",
        "the file {name} ({sha}) holds no form awaiting review; nothing to accept",
    ),
    "accept.ambiguous": (
        "有 {count} 个待审核文件的指纹以“{value}”开头，请多输入几位",
        "{count} held files have fingerprints starting '{value}'; give more characters",
    ),
    "status.newer-rejected": (
        "已采用之前的版本；之后重交的版本被退回，请核实",
        "the earlier version counts; a later resubmission was rejected, check it",
    ),
    "status.summary": (
        "合计 {total} 张：已采用 {accepted}（有提示 {warnings}），被退回 {rejected}，未交 {missing}。",
        "{total} forms: {accepted} accepted ({warnings} with warnings), {rejected} rejected, {missing} missing.",
    ),
    "status.complete": ("全部评分表均已收齐。", "Every form is in."),
    "status.xlsx": ("催交清单：{path}", "Chase list workbook: {path}"),
    "chase.sheet": ("催交清单", "Chase list"),
    "chase.title": ("{round}：催交清单", "{round}: chase list"),
    "chase.made": (
        "截至 {time}，尚有 {count} 个单位未交齐（截止日期 {deadline}）。请逐一电话联系，并在“联系记录”栏记下情况。",
        "As of {time}, {count} still owe forms (deadline {deadline}). Phone each one and note the call in the last column.",
    ),
    "chase.col.number": ("序号", "No."),
    "chase.col.code": ("代码", "Code"),
    "chase.col.name": ("单位名称", "Name"),
    "chase.col.kind": ("类别", "Kind"),
    "chase.col.secretary": ("书记", "Secretary"),
    "chase.col.phone": ("联系电话", "Phone"),
    "chase.col.email": ("邮箱", "E-mail"),
    "chase.col.missing": ("未交的表", "Not returned"),
    "chase.col.rejected": ("被退回的表及原因", "Sent back, and why"),
    "chase.col.held": ("待审核的表", "Held for review"),
    "chase.col.reminded": ("上次催交", "Last reminded"),
    "chase.col.notes": ("联系记录", "Call notes"),
    "chase.rejected-line": ("{sheet}：{reason}", "{sheet}: {reason}"),
    "chase.reason": ("{where} {message}", "{where}: {message}"),
    "chase.never-reminded": ("未催交", "never"),
    "chase.nothing-owed": ("全部评分表均已收齐，无需催交。", "Every form is in; nobody to chase."),
    "rejections.title": ("{round}：退回和提示清单", "{round}: rejections and warnings"),
    "rejections.generated": (
        "生成时间：{time}。错误须改正后重新发送；提示请核对，无需重新发送。",
        "Made {time}. Errors must be fixed and the file resent; warnings need checking only.",
    ),
    "rejections.sheet": ("退回和提示", "Issues"),
    "rejections.col.recipient": ("填报单位代码", "Recipient"),
    "rejections.col.recipient_name": ("填报单位", "Recipient name"),
    "rejections.col.file": ("文件名", "File"),
    "rejections.col.sender": ("发件人", "Sender"),
    "rejections.col.received": ("收到时间", "Received"),
    "rejections.col.status": ("文件状态", "File status"),
    "rejections.col.form_status": ("表格状态", "Form status"),
    "rejections.col.form": ("表格编号", "Form"),
    "rejections.col.sheet": ("工作表", "Sheet"),
    "rejections.col.cell": ("单元格", "Cell"),
    "rejections.col.severity": ("类别", "Severity"),
    "rejections.col.code": ("问题代码", "Code"),
    "rejections.col.message": ("问题说明", "Problem"),
    "rejections.col.action": ("处理办法", "What to do"),
    "rejections.col.sha256": ("文件指纹（SHA-256）", "SHA-256"),
    "rejections.col.title": ("问题", "Problem"),
    "rejections.col.cells": ("涉及单元格", "Cells"),
    "rejections.col.count": ("处数", "Places"),
    "rejections.col.forms": ("涉及表格", "Forms"),
    "rejections.col.recipients": ("涉及单位", "Recipients"),
    "rejections.col.files": ("文件数", "Files"),
    "rejections.col.rejected_files": ("退回文件", "Rejected files"),
    "rejections.col.errors": ("错误处数", "Errors"),
    "rejections.col.warnings": ("提示处数", "Warnings"),
    "rejections.col.resend": ("须重新报送", "Must resend"),
    "rejections.col.secretary": ("支部书记及电话", "Secretary and phone"),
    "rejections.col.email": ("电子邮箱", "E-mail"),
    "rejections.col.number": ("序号", "No."),
    "rejections.col.superseded_by": ("替代文件", "Superseded by"),
    "rejections.summary.sheet": ("汇总", "Summary"),
    "rejections.summary.codes": ("一、按问题类型统计", "1. By problem"),
    "rejections.summary.resend": (
        "二、须改正后重新报送的单位（错误多的在前，请逐一通知）",
        "2. Recipients who must fix and resend (most errors first: call them in this order)",
    ),
    "rejections.summary.no-resend": ("没有须重新报送的单位。", "No recipient has to resend."),
    "rejections.summary.recipients": ("三、各单位问题统计", "3. By recipient"),
    "rejections.summary.details": (
        "每张表的问题见“{sheet}”工作表（同一问题的单元格合为一行）；逐个单元格的完整清单见同一文件夹中的 {csv}。",
        "Each form's problems are on the '{sheet}' sheet (one row per problem, its cells together); the full cell-by-cell list is {csv}, in the same folder.",
    ),
    "rejections.unknown-recipient": ("（未能确定单位）", "(recipient unknown)"),
    "rejections.yes": ("是", "yes"),
    "rejections.superseded-file": ("{file}（{time} 收到）", "{file} (received {time})"),
    "rejections.superseded-action": ("无须重新报送，已由之后收到的文件替代：{files}。", "Nothing to resend: superseded by {files}."),
    "rejections.cells-more": ("{cells}等", "{cells} …"),
    "rejections.summary.superseded": (
        "另有 {count} 个文件的各张表已由之后收到的文件改正，仍列在“{sheet}”工作表中（各单位的末尾，灰色），不计入以上统计，无须重新报送。",
        "{count} more files had every form put right by files received later: they stay on the '{sheet}' sheet (greyed, after each recipient's open files), are not counted above and need not be resent.",
    ),
    "issues.grouped": ("共 {count} 处。第一处：{first}", "{count} places. The first: {first}"),
    "file-status.accepted": ("已采用", "accepted"),
    "file-status.accepted-with-warnings": ("已采用（有提示）", "accepted with warnings"),
    "file-status.rejected": ("退回", "rejected"),
    "file-status.held": ("待审核", "held for review"),
    "file-status.duplicate": ("重复", "duplicate"),
    "file-status.superseded": ("已被新版本替代", "superseded"),
    "precheck.kind.html": ("网页（HTML）", "a web page (HTML)"),
    "precheck.kind.xml2003": ("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"),
    "precheck.kind.text": ("纯文本或 CSV", "plain text or CSV"),
    "precheck.foreign.wps": ("WPS 表格专用格式（.et/.ett）文件", "a file in WPS Spreadsheets' own format (.et/.ett)"),
    "precheck.foreign.wps.how": (
        "请在 WPS 表格中打开它，点“文件”→“另存为”，文件类型选“Microsoft Excel 文件（*.xlsx）”，保存后发送新文件。",
        "Open it in WPS Spreadsheets, choose File → Save As, pick the type Microsoft Excel file (*.xlsx) and send the new file.",
    ),
    "precheck.foreign.numbers": ("苹果 Numbers 表格", "an Apple Numbers spreadsheet"),
    "precheck.foreign.numbers.how": (
        "请在 Numbers 中打开它，点“文件”→“导出为”→“Excel”，导出 .xlsx 文件后发送。",
        "Open it in Numbers, choose File → Export To → Excel and send the .xlsx file it makes.",
    ),
    "precheck.foreign.csv": ("CSV 文本表格", "a CSV text table"),
    "precheck.foreign.csv.how": (
        "CSV 只保存文字，丢失了表格编号等信息，无法计分。请在下发的 Excel 工作簿中填写，直接保存（.xlsx）后发送，不要另存为 CSV。",
        "CSV keeps only text and loses the form's identity, so it cannot be scored. Fill in the Excel workbook you were given, save it as it is (.xlsx) and send it; do not save it as CSV.",
    ),
    "precheck.foreign.image": ("图片（照片或截图）", "a picture (a photo or screenshot)"),
    "precheck.foreign.image.how": (
        "照片和截图无法读取分数。请发送填好的 Excel 工作簿文件本身（.xlsx），不要拍照或截图。",
        "Scores cannot be read from photos or screenshots. Send the filled Excel workbook file itself (.xlsx), not a picture of it.",
    ),
    "precheck.foreign.pdf": ("PDF 文档", "a PDF document"),
    "precheck.foreign.pdf.how": (
        "PDF 和扫描件无法读取分数。请发送填好的 Excel 工作簿文件本身（.xlsx），不要转成 PDF 或扫描。",
        "Scores cannot be read from a PDF or a scan. Send the filled Excel workbook file itself (.xlsx), not a PDF of it.",
    ),
    "precheck.foreign.word": ("Word 文档", "a Word document"),
    "precheck.foreign.word.how": (
        "Word 文档无法读取分数。请把分数填在下发的 Excel 工作簿中，保存为 .xlsx 后发送。",
        "Scores cannot be read from a Word document. Enter them in the Excel workbook you were given, save it as .xlsx and send it.",
    ),
    "precheck.foreign.powerpoint": ("PowerPoint 演示文稿", "a PowerPoint presentation"),
    "precheck.foreign.powerpoint.how": (
        "演示文稿无法读取分数。请把分数填在下发的 Excel 工作簿中，保存为 .xlsx 后发送。",
        "Scores cannot be read from a presentation. Enter them in the Excel workbook you were given, save it as .xlsx and send it.",
    ),
    "collect.guess.form": ("表格 {form_id}", "form {form_id}"),
    "collect.guess.scoresheet": ("一张评分表", "a scoresheet"),
}
