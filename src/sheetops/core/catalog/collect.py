"""Collecting returns: progress, results per file, the chase list and the rejection report."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "collect.no-source": ("找不到收件来源 {path}", "collect source {path} does not exist"),
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
    "status.newer-rejected": (
        "已采用之前的版本；之后重交的版本被退回，请核实",
        "the earlier version counts; a later resubmission was rejected, check it",
    ),
    "status.summary": (
        "合计 {total} 张：已采用 {accepted}（有提示 {warnings}），被退回 {rejected}，未交 {missing}。",
        "{total} forms: {accepted} accepted ({warnings} with warnings), {rejected} rejected, {missing} missing.",
    ),
    "status.complete": ("全部评分表均已收齐。", "Every form is in."),
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
    "rejections.col.form": ("表格编号", "Form"),
    "rejections.col.sheet": ("工作表", "Sheet"),
    "rejections.col.cell": ("单元格", "Cell"),
    "rejections.col.severity": ("类别", "Severity"),
    "rejections.col.code": ("问题代码", "Code"),
    "rejections.col.message": ("问题说明", "Problem"),
    "rejections.col.action": ("处理办法", "What to do"),
    "rejections.col.sha256": ("文件指纹（SHA-256）", "SHA-256"),
    "file-status.accepted": ("已采用", "accepted"),
    "file-status.accepted-with-warnings": ("已采用（有提示）", "accepted with warnings"),
    "file-status.rejected": ("退回", "rejected"),
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
