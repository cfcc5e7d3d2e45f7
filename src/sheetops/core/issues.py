"""Problems found in returned workbooks: the issue-code registry and issue values.

Codes are API: stable, kebab-case, never renamed without a CHANGELOG entry under the exact old
spelling. Each code has a severity, a title, what it means, what the sender should do and a
message template, in every supported language. ``docs/issues.md`` is generated from this
registry (:func:`render_issue_docs`); a test keeps the two equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

from sheetops.core.errors import Severity

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class IssueType:
    """One registered issue code."""

    code: str
    severity: Severity
    group: str
    title: Mapping[str, str]
    action: Mapping[str, str]
    template: Mapping[str, str]


def _t(zh: str, en: str) -> Mapping[str, str]:
    return MappingProxyType({"zh-CN": zh, "en": en})


_GROUPS: Final = {
    "file": _t("文件", "File"),
    "identity": _t("表格身份", "Form identity"),
    "cell": _t("单元格", "Cells"),
    "mail": _t("邮件", "Mail"),
    "handbook": _t("工作手册", "Handbook"),
}

_REGISTRY: list[IssueType] = [
    # -- the file as a whole, before and while parsing ----------------------------------------
    IssueType(
        "empty-file", ERROR, "file",
        _t("空文件", "Empty file"),
        _t("重新保存工作簿后再发送。", "Save the workbook again and resend it."),
        _t("文件是空的（0 字节），可能保存或上传时出错。",
           "The file is empty (0 bytes); saving or attaching it probably failed."),
    ),
    IssueType(
        "file-too-large", ERROR, "file",
        _t("文件过大", "File too large"),
        _t("只发送下发的评分表工作簿，不要插入图片或附件。",
           "Send only the workbook you were given, without pictures or attachments."),
        _t("文件大小 {size} 超过上限 {limit}，未予读取。",
           "The file is {size}, over the {limit} limit; it was not read."),
    ),
    IssueType(
        "unknown-format", ERROR, "file",
        _t("无法识别的文件", "Unrecognised file"),
        _t("请发送下发的 Excel 工作簿（.xlsx），不要改扩展名。",
           "Send the Excel workbook (.xlsx) you were given; do not rename its extension."),
        _t("文件内容不是 Excel、WPS 或 LibreOffice 工作簿。",
           "The file is not an Excel, WPS or LibreOffice workbook."),
    ),
    IssueType(
        "disguised-file", ERROR, "file",
        _t("扩展名与内容不符", "Not really a workbook"),
        _t("在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再发送。",
           "Open it in Excel or WPS and use Save As → Excel Workbook (*.xlsx), then resend."),
        _t("文件名是 {extension}，但内容实际是{kind}，不是 Excel 工作簿。",
           "The file is named {extension} but holds {kind}, not an Excel workbook."),
    ),
    IssueType(
        "encrypted-file", ERROR, "file",
        _t("工作簿设置了打开密码", "Password-protected workbook"),
        _t("取消打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新发送。",
           "Remove the password (File → Info → Protect Workbook → Encrypt with Password, clear "
           "it) and resend."),
        _t("工作簿设置了打开密码，无法读取。",
           "The workbook is encrypted with a password and cannot be read."),
    ),
    IssueType(
        "corrupt-file", ERROR, "file",
        _t("文件已损坏", "Damaged file"),
        _t("重新打开下发的工作簿，填写保存后再发送。",
           "Open the workbook you were given again, fill it in, save and resend."),
        _t("文件已损坏或不完整，无法读取：{reason}",
           "The file is damaged or incomplete and cannot be read: {reason}"),
    ),
    IssueType(
        "decompression-limit", ERROR, "file",
        _t("解压后过大", "Expands too much"),
        _t("只发送下发的评分表工作簿。", "Send only the workbook you were given."),
        _t("文件解压后的内容过大（{detail}），为安全起见未予读取。",
           "The file expands too much ({detail}); for safety it was not read."),
    ),
    IssueType(
        "xml-doctype", ERROR, "file",
        _t("含有不安全的内容", "Unsafe content"),
        _t("重新打开下发的工作簿，填写保存后再发送。",
           "Open the workbook you were given again, fill it in, save and resend."),
        _t("文件部件 {part} 含有 DOCTYPE 声明，正常的工作簿不会包含，为安全起见未予读取。",
           "Part {part} declares a DOCTYPE, which real workbooks never do; for safety the file "
           "was not read."),
    ),
    IssueType(
        "used-range-too-large", ERROR, "file",
        _t("使用区域过大", "Used range too large"),
        _t("删除表格以外的多余内容后重新发送。", "Delete anything outside the form and resend."),
        _t("工作表 {part} 的使用区域过大（{detail}），为安全起见未予读取。",
           "Sheet {part} uses too large an area ({detail}); for safety it was not read."),
    ),
    IssueType(
        "macros-ignored", WARNING, "file",
        _t("宏已忽略", "Macros ignored"),
        _t("无需处理；今后请保存为不含宏的 .xlsx 工作簿。",
           "Nothing to do; next time save as a macro-free .xlsx workbook."),
        _t("工作簿含有宏，宏不会被运行，只读取表格内容。",
           "The workbook contains macros; they were not run, only the cells were read."),
    ),
    IssueType(
        "external-links-ignored", WARNING, "file",
        _t("外部链接已忽略", "External links ignored"),
        _t("请直接填写数值，不要引用其他文件。",
           "Type values directly; do not refer to other files."),
        _t("工作簿含有外部链接或数据连接（{part}），未予跟随。",
           "The workbook has external links or data connections ({part}); they were not "
           "followed."),
    ),
    IssueType(
        "embedded-content-ignored", WARNING, "file",
        _t("嵌入对象已忽略", "Embedded objects ignored"),
        _t("无需处理；评分依据请写在“扣分说明”栏。",
           "Nothing to do; put evidence in the notes column."),
        _t("工作簿含有嵌入对象或控件（{part}），未予读取。",
           "The workbook has embedded objects or controls ({part}); they were not read."),
    ),
    IssueType(
        "parse-failed", ERROR, "file",
        _t("无法读取", "Cannot be read"),
        _t("重新打开下发的工作簿，填写保存后再发送。",
           "Open the workbook you were given again, fill it in, save and resend."),
        _t("读取工作簿时出错：{reason}", "Reading the workbook failed: {reason}"),
    ),
    IssueType(
        "parse-aborted", ERROR, "file",
        _t("读取被中止", "Reading stopped"),
        _t("重新打开下发的工作簿，填写保存后再发送。",
           "Open the workbook you were given again, fill it in, save and resend."),
        _t("读取工作簿超出了时间或内存限制（{detail}），已中止，其他文件不受影响。",
           "Reading the workbook hit the time or memory limit ({detail}) and was stopped; "
           "other files were not affected."),
    ),
    IssueType(
        "check-failed", ERROR, "file",
        _t("检查出错", "Check failed"),
        _t("这是考核系统的问题，不是文件有误；考核办修复后会重新收取，无需重新发送。",
           "This is a fault in the assessment system, not in the file; the office will "
           "collect it again once it is fixed, there is no need to resend."),
        _t("检查此文件时程序出错（{detail}），文件已存档但未登记，下次收取时会重新检查；"
           "其他文件不受影响。",
           "Checking this file failed with a program error ({detail}); the file is archived "
           "but not recorded, and the next collect checks it again. Other files were not "
           "affected."),
    ),
    # -- which forms the file carries --------------------------------------------------------
    IssueType(
        "no-forms", ERROR, "identity",
        _t("没有评分表", "No forms"),
        _t("请发送下发的评分表工作簿本身，不要复制到新文件。",
           "Send the workbook you were given itself, not a copy in a new file."),
        _t("文件中没有找到本轮的评分表。", "The file holds no form of this round."),
    ),
    IssueType(
        "form-without-identity", ERROR, "identity",
        _t("表格身份信息丢失", "Form lost its identity"),
        _t("不要把表格复制到新工作簿；请在下发的工作簿中填写后原样发回。",
           "Do not copy the form into a new workbook; fill in the workbook you were given "
           "and send it back as it is."),
        _t("工作表“{sheet}”看起来是{guess}，但它的身份信息已丢失（可能被复制到了新工作簿），"
           "无法确认来源。",
           "Sheet '{sheet}' looks like {guess}, but its identity is gone (probably copied "
           "into a new workbook), so its origin cannot be confirmed."),
    ),
    IssueType(
        "meta-damaged", ERROR, "identity",
        _t("身份信息被改动", "Identity damaged"),
        _t("请在下发的工作簿中填写后原样发回。",
           "Fill in the workbook you were given and send it back as it is."),
        _t("隐藏的身份信息表已被改动，无法读取。",
           "The hidden identity sheet was altered and cannot be read."),
    ),
    IssueType(
        "signature-invalid", ERROR, "identity",
        _t("签名不符", "Signature does not match"),
        _t("请在下发的工作簿中填写后原样发回，不要改动隐藏的信息。",
           "Fill in the workbook you were given and send it back as it is; do not edit hidden "
           "information."),
        _t("表格 {form_id} 的身份信息与签名不符（被改动或伪造），不予采用。",
           "The identity of form {form_id} does not match its signature (edited or forged); "
           "it was not used."),
    ),
    IssueType(
        "wrong-round", ERROR, "identity",
        _t("不是本轮的表格", "Another round's form"),
        _t("请使用本轮下发的评分表。", "Use the form sent out for this round."),
        _t("这是“{other}”轮次的表格，不是本轮（{round}）的。",
           "This form belongs to round '{other}', not to this round ({round})."),
    ),
    IssueType(
        "unknown-form", ERROR, "identity",
        _t("未知的表格", "Unknown form"),
        _t("请使用本轮下发的评分表。", "Use the form sent out for this round."),
        _t("本轮没有编号为 {form_id} 的表格。", "This round has no form {form_id}."),
    ),
    IssueType(
        "unassigned-pair", ERROR, "identity",
        _t("未安排的评分关系", "Rating not assigned"),
        _t("请只填写下发给你的表格。", "Fill in only the forms sent to you."),
        _t("本轮没有安排 {rater} 以“{role}”身份给 {target} 评分。",
           "This round did not assign {rater} to rate {target} as '{role}'."),
    ),
    IssueType(
        "scheme-mismatch", ERROR, "identity",
        _t("考核方案不一致", "Different scheme"),
        _t("请使用本轮下发的评分表。", "Use the form sent out for this round."),
        _t("表格按考核方案 {scheme} 生成，与本轮方案不一致。",
           "The form was made for scheme {scheme}, not this round's scheme."),
    ),
    IssueType(
        "form-sheet-missing", ERROR, "identity",
        _t("评分表工作表缺失", "Form sheet missing"),
        _t("不要删除或改名工作表；请重新填写下发的工作簿。",
           "Do not delete or rename sheets; fill in the workbook you were given again."),
        _t("工作簿中找不到表格 {form_id} 所在的工作表“{sheet}”（可能被删除或改名）。",
           "Sheet '{sheet}' of form {form_id} is missing (deleted or renamed)."),
    ),
    IssueType(
        "form-structure-changed", ERROR, "identity",
        _t("表格结构被改动", "Form rearranged"),
        _t("不要插入、删除或移动行；请在下发的工作簿中重新填写。",
           "Do not insert, delete or move rows; fill in the workbook you were given again."),
        _t("工作表的行与考核项目对不上（从 {start} 起），无法确定每个得分对应哪一项。",
           "The sheet's rows no longer match the items (from {start}); scores cannot be "
           "matched to items."),
    ),
    IssueType(
        "duplicate-form", ERROR, "identity",
        _t("同一表格出现两次", "Form appears twice"),
        _t("每张表只保留一份后重新发送。", "Keep one copy of each form and resend."),
        _t("表格 {form_id} 在同一文件中出现了两次。", "Form {form_id} appears twice in the file."),
    ),
    IssueType(
        "form-not-filled", WARNING, "identity",
        _t("表格未填写", "Form not filled in"),
        _t("填写后重新发送本工作簿。", "Fill it in and send the workbook again."),
        _t("表格 {form_id}（{sheet}）尚未填写，仍按未交处理。",
           "Form {form_id} ({sheet}) is not filled in and still counts as missing."),
    ),
    IssueType(
        "nothing-filled", ERROR, "identity",
        _t("整个工作簿未填写", "Nothing filled in"),
        _t("填写后重新发送。", "Fill in the forms and resend."),
        _t("工作簿中的表格都没有填写。", "None of the workbook's forms is filled in."),
    ),
    # -- cells -------------------------------------------------------------------------------
    IssueType(
        "score-missing", ERROR, "cell",
        _t("缺少得分", "Score missing"),
        _t("在该单元格填写得分。", "Enter the score in that cell."),
        _t("{item}没有填写得分。", "No score for {item}."),
    ),
    IssueType(
        "score-not-number", ERROR, "cell",
        _t("得分不是数字", "Score is not a number"),
        _t("用阿拉伯数字填写得分，例如 4.5。", "Enter the score as a number, e.g. 4.5."),
        _t("{item}的得分“{value}”不是数字。", "The score '{value}' for {item} is not a number."),
    ),
    IssueType(
        "score-normalised", WARNING, "cell",
        _t("得分按全角字符读取", "Score read from full-width text"),
        _t("请核对读取结果；今后请用半角数字填写。",
           "Check the reading; next time type half-width digits."),
        _t("{item}的得分“{value}”是以文本形式填写的（可能含全角数字、空格或“分”字），"
           "按 {reading} 分读取。",
           "The score '{value}' for {item} was typed as text (full-width digits, spaces or a "
           "unit); read as {reading}."),
    ),
    IssueType(
        "score-chinese-numeral", WARNING, "cell",
        _t("得分按中文数字读取", "Score read from Chinese numerals"),
        _t("请核对读取结果；今后请用阿拉伯数字填写。",
           "Check the reading; next time type digits."),
        _t("{item}的得分“{value}”是中文数字，按 {reading} 分读取。",
           "The score '{value}' for {item} is written in Chinese numerals; read as {reading}."),
    ),
    IssueType(
        "score-out-of-range", ERROR, "cell",
        _t("得分超出范围", "Score out of range"),
        _t("改为 0 至该项分值之间的分数。", "Enter a score between 0 and the item's maximum."),
        _t("{item}的得分 {value} 不在 0 至 {max} 之间。",
           "The score {value} for {item} is not between 0 and {max}."),
    ),
    IssueType(
        "score-step", ERROR, "cell",
        _t("得分单位不对", "Score not in steps"),
        _t("按该项的计分单位填写（默认 0.5 分，例如 4 或 4.5）。",
           "Use the item's step (0.5 by default: e.g. 4 or 4.5)."),
        _t("{item}的得分 {value} 不是 {step} 的整数倍。",
           "The score {value} for {item} is not a multiple of {step}."),
    ),
    IssueType(
        "note-missing", WARNING, "cell",
        _t("缺少扣分说明", "Deduction not explained"),
        _t("在“扣分说明”栏写明扣分原因。", "Say why points were deducted in the notes column."),
        _t("{item}得 {value} 分（满分 {max}），但没有写扣分说明。",
           "{item} scored {value} of {max} without a reason for the deduction."),
    ),
    IssueType(
        "veto-missing", ERROR, "cell",
        _t("否决事项未作答", "Veto question unanswered"),
        _t("从下拉列表中选择“是”或“否”。", "Choose Yes or No from the list."),
        _t("一票否决事项“{veto}”没有选择是或否。", "The veto question '{veto}' is unanswered."),
    ),
    IssueType(
        "veto-invalid", ERROR, "cell",
        _t("否决事项答案无效", "Veto answer invalid"),
        _t("只能选择“是”或“否”。", "Answer Yes or No only."),
        _t("一票否决事项“{veto}”的答案“{value}”无效，只能是“是”或“否”。",
           "The answer '{value}' to veto question '{veto}' is invalid; use Yes or No."),
    ),
    IssueType(
        "veto-note-missing", WARNING, "cell",
        _t("否决事项缺少说明", "Veto without details"),
        _t("在“情况说明”栏写明具体情况。", "Give the details in the details column."),
        _t("一票否决事项“{veto}”选择了“是”，但没有写明具体情况。",
           "The veto question '{veto}' was answered Yes without details."),
    ),
    IssueType(
        "total-mismatch", WARNING, "cell",
        _t("合计与各项不符", "Total does not add up"),
        _t("不要改动小计和合计公式；以系统重新计算的结果为准。",
           "Do not edit the subtotal and total formulas; the recomputed value is used."),
        _t("文件中的{what}为 {claimed}，按各项得分重新计算为 {actual}，以重新计算的结果为准。",
           "The file's {what} says {claimed}; recomputed from the scores it is {actual}, which "
           "is used."),
    ),
    IssueType(
        "extra-sheet-ignored", WARNING, "cell",
        _t("多余的工作表", "Extra sheet ignored"),
        _t("无需处理。", "Nothing to do."),
        _t("工作表“{sheet}”不是下发的评分表，已忽略。",
           "Sheet '{sheet}' is not one of the forms sent out and was ignored."),
    ),
    # -- mail: who sent it, when, and whether anything was attached ---------------------------
    IssueType(
        "no-attachment", ERROR, "mail",
        _t("邮件没有附件", "No attachment"),
        _t("把填好的评分表工作簿作为附件，重新回复邮件。",
           "Reply again with the filled-in workbook attached."),
        _t("来自 {sender} 的邮件“{subject}”没有可用的附件，未收到评分表。",
           "The message '{subject}' from {sender} has no usable attachment; no form was "
           "received."),
    ),
    IssueType(
        "sender-mismatch", WARNING, "mail",
        _t("发件人与名册不符", "Sender not in the roster"),
        _t("请用名册登记的邮箱发送；邮箱如有变化，请告知考核办更新名册。",
           "Send from the address in the roster; if it changed, ask the committee office to "
           "update the roster."),
        _t("文件中的评分表属于{recipient}，名册登记的邮箱是 {expected}，但发件人是 {sender}。",
           "The file's forms belong to {recipient}, whose roster address is {expected}, but it "
           "was sent by {sender}."),
    ),
    IssueType(
        "late", WARNING, "mail",
        _t("逾期提交", "Late"),
        _t("无需重发；是否采用由考核办决定。",
           "Nothing to resend; the committee decides whether to use it."),
        _t("邮件于 {received} 收到，已过截止日期 {deadline}。",
           "The message arrived on {received}, after the deadline of {deadline}."),
    ),
    # -- the branch work handbook: its records and the rules between them ---------------------
    IssueType(
        "handbook-definition-mismatch", ERROR, "handbook",
        _t("工作手册版本不一致", "Different handbook version"),
        _t("请使用本轮下发的工作手册。", "Use the handbook sent out for this round."),
        _t("工作手册按 {definition} 生成，与本轮的工作手册定义不一致。",
           "The handbook was made from definition {definition}, not this round's."),
    ),
    IssueType(
        "handbook-structure-changed", ERROR, "handbook",
        _t("工作手册结构被改动", "Handbook rearranged"),
        _t("不要插入、删除或移动行列；请在下发的工作手册中重新填写。",
           "Do not insert, delete or move rows or columns; fill in the handbook you were "
           "given again."),
        _t("工作表“{sheet}”与下发的工作手册不一致（此处应为“{expected}”），无法确定各栏内容。",
           "Sheet '{sheet}' no longer matches the handbook sent out (this cell should read "
           "'{expected}'); its columns cannot be told apart."),
    ),
    IssueType(
        "handbook-value-missing", ERROR, "handbook",
        _t("缺少必填内容", "Required value missing"),
        _t("补填该单元格；整行作废的请清空整行。",
           "Fill in that cell; to drop the entry, clear the whole row."),
        _t("{what}没有填写。", "{what} is missing."),
    ),
    IssueType(
        "handbook-date-invalid", ERROR, "handbook",
        _t("日期无效", "Not a date"),
        _t("按“年-月-日”填写真实存在的日期，例如 2026-03-01。",
           "Enter a real date as year-month-day, e.g. 2026-03-01."),
        _t("{what}“{value}”不是有效日期。", "{what} '{value}' is not a valid date."),
    ),
    IssueType(
        "handbook-date-text", WARNING, "handbook",
        _t("日期按文字读取", "Date read from text"),
        _t("请核对读取结果；今后请按“年-月-日”直接输入日期。",
           "Check the reading; next time enter the date as year-month-day."),
        _t("{what}“{value}”是以文字填写的日期，按 {reading} 读取。",
           "{what} '{value}' was typed as text; read as {reading}."),
    ),
    IssueType(
        "handbook-date-outside-year", WARNING, "handbook",
        _t("日期不在本年度", "Date outside the year"),
        _t("核对日期；其他年度的记录请登记在当年的工作手册中。",
           "Check the date; records of other years belong in that year's handbook."),
        _t("{what} {value} 不在 {year} 年内。", "{what} {value} is not in {year}."),
    ),
    IssueType(
        "handbook-number-invalid", ERROR, "handbook",
        _t("数字无效", "Not a valid number"),
        _t("用阿拉伯数字填写。", "Enter the number in digits."),
        _t("{what}“{value}”不是{expected}。", "{what} '{value}' is not a {expected}."),
    ),
    IssueType(
        "handbook-number-text", WARNING, "handbook",
        _t("数字按文字读取", "Number read from text"),
        _t("请核对读取结果；今后请用半角阿拉伯数字填写，不要加单位。",
           "Check the reading; next time type half-width digits without a unit."),
        _t("{what}“{value}”是以文字填写的数字，按 {reading} 读取。",
           "{what} '{value}' was typed as text; read as {reading}."),
    ),
    IssueType(
        "handbook-choice-invalid", ERROR, "handbook",
        _t("不在下拉列表中", "Not one of the options"),
        _t("从下拉列表中选择。", "Choose from the drop-down list."),
        _t("{what}“{value}”不在下拉列表中（可选：{choices}）。",
           "{what} '{value}' is not one of the options ({choices})."),
    ),
    IssueType(
        "handbook-date-order", ERROR, "handbook",
        _t("日期先后颠倒", "Dates out of order"),
        _t("核对两个日期，按实际先后填写。", "Check both dates and enter them as they happened."),
        _t("{what}（{value}）早于“{earlier}”（{earlier_value}）。",
           "{what} ({value}) is earlier than '{earlier}' ({earlier_value})."),
    ),
    IssueType(
        "handbook-stage-too-early", ERROR, "handbook",
        _t("间隔时间不足", "Too soon after the earlier stage"),
        _t("核对日期；未满规定时间的，不能进入下一阶段。",
           "Check the date; a stage cannot come before its minimum interval has passed."),
        _t("{name}的“{stage}”（{value}）距“{reference}”（{reference_value}）不足 {interval}，"
           "最早应为 {limit}。",
           "{name}: '{stage}' ({value}) comes less than {interval} after '{reference}' "
           "({reference_value}); the earliest date is {limit}."),
    ),
    IssueType(
        "handbook-stage-too-late", WARNING, "handbook",
        _t("超过规定时间", "Later than the rules allow"),
        _t("核对日期；确有特殊情况的，在备注中说明。",
           "Check the date; if there was a special reason, explain it in the notes."),
        _t("{name}的“{stage}”（{value}）距“{reference}”（{reference_value}）超过 {interval}，"
           "应不迟于 {limit}。",
           "{name}: '{stage}' ({value}) comes more than {interval} after '{reference}' "
           "({reference_value}); it was due by {limit}."),
    ),
    IssueType(
        "handbook-stage-skipped", WARNING, "handbook",
        _t("前一阶段未填写", "Earlier stage missing"),
        _t("补填此前各阶段的日期。", "Fill in the dates of the earlier stages."),
        _t("{name}填写了“{stage}”，但没有填写此前的{missing}。",
           "{name}: '{stage}' is filled in but the earlier {missing} is not."),
    ),
    IssueType(
        "handbook-count-mismatch", ERROR, "handbook",
        _t("党员人数前后不一致", "Member counts disagree"),
        _t("核对党员名册，使“基本情况”中的人数与名册一致。",
           "Check the member roll and make the counts in the basic information agree."),
        _t("基本情况中{category}为 {claimed} 人，党员名册中为 {actual} 人。",
           "The basic information gives {claimed} for {category}; the member roll lists "
           "{actual}."),
    ),
    IssueType(
        "handbook-dues-mismatch", WARNING, "handbook",
        _t("应交党费与标准不符", "Dues due do not match the rates"),
        _t("不要改动“应交”公式；以按党费标准重新计算的结果为准。",
           "Do not edit the dues formula; the amount recomputed from the rates is used."),
        _t("文件中{what}为 {claimed}，按党费标准重新计算为 {actual}，以重新计算的结果为准。",
           "The file's {what} says {claimed}; recomputed from the rates it is {actual}, which "
           "is used."),
    ),
    IssueType(
        "handbook-unknown-member", WARNING, "handbook",
        _t("不在党员名册中", "Not in the member roll"),
        _t("核对姓名，与党员名册保持一致。", "Check the name against the member roll."),
        _t("{what}“{value}”不在党员名册中。", "{what} '{value}' is not in the member roll."),
    ),
    IssueType(
        "handbook-category-inconsistent", WARNING, "handbook",
        _t("党员类别与转正日期不符", "Category and full-membership date disagree"),
        _t("已转正的改为正式党员；尚未转正的清空转正日期。",
           "Make a member who has become full a full member; otherwise clear the date."),
        _t("{name}是{category}，但填写了转正日期 {value}。",
           "{name} is listed as {category} but has a full-membership date ({value})."),
    ),
    IssueType(
        "handbook-present-exceeds", WARNING, "handbook",
        _t("实到人数多于党员人数", "More present than members"),
        _t("核对实到人数（列席的非党员不计入）。",
           "Check the number present (guests who are not members do not count)."),
        _t("{what}为 {value} 人，多于党员名册的 {total} 人。",
           "{what} is {value}, more than the {total} members on the roll."),
    ),
]

REGISTRY: Final[Mapping[str, IssueType]] = MappingProxyType({t.code: t for t in _REGISTRY})


@dataclass(frozen=True)
class Issue:
    """A problem found in a returned file, located as precisely as possible.

    Attributes:
        code: registered issue code.
        severity: from the registry (``note-missing`` can be raised to error by the round).
        sheet: worksheet name, or None for the file as a whole.
        cell: Excel address such as ``F12``, or None.
        params: values for the message template.
        form_id: the form the issue belongs to, or None for the file.
    """

    code: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    form_id: str | None = None

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        template = REGISTRY[self.code].template
        values = {"form_id": self.form_id, "sheet": self.sheet, **self.params}
        return (template.get(lang) or template["zh-CN"]).format(**values)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """Return the JSON shape of PRODUCT.md: code, severity, sheet, cell, message."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
        }

    def params_json(self) -> str:
        """Return the parameters as JSON (for the ledger)."""
        return json.dumps(dict(self.params), ensure_ascii=False, sort_keys=True)


def issue(
    code: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    form_id: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Issue:
    """Make an issue of a registered ``code`` (KeyError for an unregistered one: a bug)."""
    registered = REGISTRY[code]
    return Issue(code, severity or registered.severity, sheet, cell, MappingProxyType(params),
                 form_id)


def render_issue_docs() -> str:
    """Return ``docs/issues.md``: every code with severity, meaning and what to do."""
    lines = [
        "# Validation issue codes",
        "",
        "Every problem `sheetops collect` finds in a returned file has one of these codes.",
        "Codes are stable API: they appear in `collect --json`, the ledger and the rejection",
        "report. Messages are shown in the round's language; both are listed here.",
        "This page is generated from `src/sheetops/issues.py` (`python -m sheetops.core.issues`).",
        "",
    ]
    for group, title in _GROUPS.items():
        lines += [f"## {title['en']} ({title['zh-CN']})", ""]
        lines += ["| code | severity | meaning | message | what the sender should do |",
                  "|---|---|---|---|---|"]
        for entry in _REGISTRY:
            if entry.group != group:
                continue
            cells = [
                f"`{entry.code}`",
                entry.severity.value,
                f"{entry.title['en']}<br>{entry.title['zh-CN']}",
                f"{entry.template['en']}<br>{entry.template['zh-CN']}",
                f"{entry.action['en']}<br>{entry.action['zh-CN']}",
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    lines += [
        "`note-missing` is a warning by default; `note_below_max = \"error\"` in round.toml",
        "makes it an error.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_issue_docs(), end="")
