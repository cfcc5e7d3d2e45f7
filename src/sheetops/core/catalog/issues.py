"""The issue registry's texts: for every code, its title, its message and what the sender should do.

Codes are stable API (see docs/issues.md, generated from :mod:`sheetops.core.issues`); the texts
are what staff and branches read, in the round's language."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import IssueText, Text

# group id: its title (zh-CN, en), in the order docs/issues.md lists them
GROUPS: Final[dict[str, Text]] = {
    "file": ("文件", "File"),
    "identity": ("表格身份", "Form identity"),
    "cell": ("单元格", "Cells"),
    "mail": ("邮件", "Mail"),
    "handbook": ("工作手册", "Handbook"),
}

ISSUES: Final[tuple[IssueText, ...]] = (
    # -- file ----------------------------------------------------------------------------------
    IssueText(
        "empty-file", "error", "file",
        title=("空文件", "Empty file"),
        message=(
            "文件是空的（0 字节），可能保存或上传时出错。",
            "The file is empty (0 bytes); saving or attaching it probably failed.",
        ),
        action=("重新保存工作簿后再发送。", "Save the workbook again and resend it."),
    ),
    IssueText(
        "file-too-large", "error", "file",
        title=("文件过大", "File too large"),
        message=(
            "文件大小 {size} 超过上限 {limit}，未予读取。",
            "The file is {size}, over the {limit} limit; it was not read.",
        ),
        action=(
            "只发送下发的评分表工作簿，不要插入图片或附件。",
            "Send only the workbook you were given, without pictures or attachments.",
        ),
    ),
    IssueText(
        "unknown-format", "error", "file",
        title=("无法识别的文件", "Unrecognised file"),
        message=(
            "文件内容不是 Excel、WPS 或 LibreOffice 工作簿。",
            "The file is not an Excel, WPS or LibreOffice workbook.",
        ),
        action=(
            "请发送下发的 Excel 工作簿（.xlsx），不要改扩展名。",
            "Send the Excel workbook (.xlsx) you were given; do not rename its extension.",
        ),
    ),
    IssueText(
        "foreign-format", "error", "file",
        title=("不是 Excel 工作簿", "Not an Excel workbook"),
        message=(
            "收到的文件是{kind}，不是 Excel 工作簿。{how}",
            "The file received is {kind}, not an Excel workbook. {how}",
        ),
        action=(
            "按说明换成 Excel 工作簿（.xlsx）后重新发送。",
            "Resend it as an Excel workbook (.xlsx) as described.",
        ),
    ),
    IssueText(
        "disguised-file", "error", "file",
        title=("扩展名与内容不符", "Not really a workbook"),
        message=(
            "文件名是 {extension}，但内容实际是{kind}，不是 Excel 工作簿。",
            "The file is named {extension} but holds {kind}, not an Excel workbook.",
        ),
        action=(
            "在 Excel 或 WPS 中打开后“另存为”Excel 工作簿（*.xlsx）再发送。",
            "Open it in Excel or WPS and use Save As → Excel Workbook (*.xlsx), then resend.",
        ),
    ),
    IssueText(
        "encrypted-file", "error", "file",
        title=("工作簿设置了打开密码", "Password-protected workbook"),
        message=(
            "工作簿设置了打开密码，无法读取。",
            "The workbook is encrypted with a password and cannot be read.",
        ),
        action=(
            "取消打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新发送。",
            "Remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it) and resend.",
        ),
    ),
    IssueText(
        "corrupt-file", "error", "file",
        title=("文件已损坏", "Damaged file"),
        message=(
            "文件已损坏或不完整，无法读取：{reason}",
            "The file is damaged or incomplete and cannot be read: {reason}",
        ),
        action=(
            "重新打开下发的工作簿，填写保存后再发送。",
            "Open the workbook you were given again, fill it in, save and resend.",
        ),
    ),
    IssueText(
        "decompression-limit", "error", "file",
        title=("解压后过大", "Expands too much"),
        message=(
            "文件解压后的内容过大（{detail}），为安全起见未予读取。",
            "The file expands too much ({detail}); for safety it was not read.",
        ),
        action=("只发送下发的评分表工作簿。", "Send only the workbook you were given."),
    ),
    IssueText(
        "xml-doctype", "error", "file",
        title=("含有不安全的内容", "Unsafe content"),
        message=(
            "文件部件 {part} 含有 DOCTYPE 声明，正常的工作簿不会包含，为安全起见未予读取。",
            "Part {part} declares a DOCTYPE, which real workbooks never do; for safety the file was not read.",
        ),
        action=(
            "重新打开下发的工作簿，填写保存后再发送。",
            "Open the workbook you were given again, fill it in, save and resend.",
        ),
    ),
    IssueText(
        "used-range-too-large", "error", "file",
        title=("使用区域过大", "Used range too large"),
        message=(
            "工作表 {part} 的使用区域过大（{detail}），为安全起见未予读取。",
            "Sheet {part} uses too large an area ({detail}); for safety it was not read.",
        ),
        action=("删除表格以外的多余内容后重新发送。", "Delete anything outside the form and resend."),
    ),
    IssueText(
        "macros-ignored", "warning", "file",
        title=("宏已忽略", "Macros ignored"),
        message=(
            "工作簿含有宏，宏不会被运行，只读取表格内容。",
            "The workbook contains macros; they were not run, only the cells were read.",
        ),
        action=(
            "无需处理；今后请保存为不含宏的 .xlsx 工作簿。",
            "Nothing to do; next time save as a macro-free .xlsx workbook.",
        ),
    ),
    IssueText(
        "external-links-ignored", "warning", "file",
        title=("外部链接已忽略", "External links ignored"),
        message=(
            "工作簿含有外部链接或数据连接（{part}），未予跟随。",
            "The workbook has external links or data connections ({part}); they were not followed.",
        ),
        action=("请直接填写数值，不要引用其他文件。", "Type values directly; do not refer to other files."),
    ),
    IssueText(
        "embedded-content-ignored", "warning", "file",
        title=("嵌入对象已忽略", "Embedded objects ignored"),
        message=(
            "工作簿含有嵌入对象或控件（{part}），未予读取。",
            "The workbook has embedded objects or controls ({part}); they were not read.",
        ),
        action=("无需处理；评分依据请写在“扣分说明”栏。", "Nothing to do; put evidence in the notes column."),
    ),
    IssueText(
        "parse-failed", "error", "file",
        title=("无法读取", "Cannot be read"),
        message=("读取工作簿时出错：{reason}", "Reading the workbook failed: {reason}"),
        action=(
            "重新打开下发的工作簿，填写保存后再发送。",
            "Open the workbook you were given again, fill it in, save and resend.",
        ),
    ),
    IssueText(
        "parse-aborted", "error", "file",
        title=("读取被中止", "Reading stopped"),
        message=(
            "读取工作簿超出了时间或内存限制（{detail}），已中止，其他文件不受影响。",
            "Reading the workbook hit the time or memory limit ({detail}) and was stopped; other files were not affected.",
        ),
        action=(
            "重新打开下发的工作簿，填写保存后再发送。",
            "Open the workbook you were given again, fill it in, save and resend.",
        ),
    ),
    IssueText(
        "check-failed", "error", "file",
        title=("检查出错", "Check failed"),
        message=(
            "检查此文件时程序出错（{detail}），文件已存档但未登记，下次收取时会重新检查；其他文件不受影响。",
            "Checking this file failed with a program error ({detail}); the file is archived but not recorded, and the next collect checks it again. Other files were not affected.",
        ),
        action=(
            "这是考核系统的问题，不是文件有误；考核办修复后会重新收取，无需重新发送。",
            "This is a fault in the assessment system, not in the file; the office will collect it again once it is fixed, there is no need to resend.",
        ),
    ),
    IssueText(
        "item-failed", "error", "file",
        title=("收取出错", "Could not be collected"),
        message=(
            "处理“{item}”时出错（{detail}），未能收取；其他文件不受影响，出错经过已记入本轮的错误记录。",
            "Handling '{item}' failed ({detail}) and it was not collected; other files were not affected, and the details are in the round's error records.",
        ),
        action=(
            "请把填好的工作簿重新保存，直接作为附件重新发送（不要压缩、不要转发）；若仍出错，请与考核办联系。",
            "Save the filled-in workbook again and resend it attached directly (not zipped, not forwarded); if it fails again, contact the committee office.",
        ),
    ),
    IssueText(
        "archive-damaged", "error", "file",
        title=("压缩包已损坏", "Damaged .zip"),
        message=(
            "压缩包“{archive}”已损坏，无法打开（{detail}），其中的文件都未收取。",
            "The .zip '{archive}' is damaged and cannot be opened ({detail}); none of its files was collected.",
        ),
        action=(
            "请重新压缩后再发送，或直接把工作簿作为附件发送。",
            "Zip the files again and resend, or attach the workbooks themselves.",
        ),
    ),
    IssueText(
        "archive-member-damaged", "error", "file",
        title=("压缩包中有文件已损坏", "Damaged file in a .zip"),
        message=(
            "压缩包“{archive}”中的 {members} 已损坏，无法解压（{detail}）；压缩包中的其他文件照常收取。",
            "In the .zip '{archive}', {members} is damaged and cannot be unpacked ({detail}); its other files were collected as usual.",
        ),
        action=(
            "请把这些工作簿重新压缩后再发送，或直接作为附件发送。",
            "Zip these workbooks again and resend, or attach them directly.",
        ),
    ),
    IssueText(
        "archive-too-many-members", "error", "file",
        title=("压缩包中文件过多", "Too many files in a .zip"),
        message=(
            "压缩包“{archive}”中有 {count} 个文件，超过上限 {limit} 个，未予收取。",
            "The .zip '{archive}' holds {count} files, over the limit of {limit}; it was not collected.",
        ),
        action=(
            "只压缩需要交回的评分表工作簿，或分几次发送。",
            "Zip only the workbooks to return, or send them in several parts.",
        ),
    ),
    IssueText(
        "issues-truncated", "warning", "file",
        title=("问题过多，未全部列出", "Too many issues to list"),
        message=(
            "此文件的问题过多，只列出前 {shown} 条，另有 {more} 条未列出。",
            "This file has too many issues: the first {shown} are listed, {more} more are not.",
        ),
        action=(
            "先改正已列出的问题；文件若不是下发的评分表，请改发正确的工作簿。",
            "Fix the issues listed first; if the file is not the workbook you were given, send the right one.",
        ),
    ),
    # -- form identity -------------------------------------------------------------------------
    IssueText(
        "no-forms", "error", "identity",
        title=("没有评分表", "No forms"),
        message=("文件中没有找到本轮的评分表。", "The file holds no form of this round."),
        action=(
            "请发送下发的评分表工作簿本身，不要复制到新文件。",
            "Send the workbook you were given itself, not a copy in a new file.",
        ),
    ),
    IssueText(
        "form-without-identity", "error", "identity",
        title=("表格身份信息丢失", "Form lost its identity"),
        message=(
            "工作表“{sheet}”看起来是{guess}，但它的身份信息已丢失（可能被复制到了新工作簿），无法确认来源。",
            "Sheet '{sheet}' looks like {guess}, but its identity is gone (probably copied into a new workbook), so its origin cannot be confirmed.",
        ),
        action=(
            "不要把表格复制到新工作簿；请在下发的工作簿中填写后原样发回。",
            "Do not copy the form into a new workbook; fill in the workbook you were given and send it back as it is.",
        ),
    ),
    IssueText(
        "meta-damaged", "error", "identity",
        title=("身份信息被改动", "Identity damaged"),
        message=("隐藏的身份信息表已被改动，无法读取。", "The hidden identity sheet was altered and cannot be read."),
        action=(
            "请在下发的工作簿中填写后原样发回。",
            "Fill in the workbook you were given and send it back as it is.",
        ),
    ),
    IssueText(
        "signature-invalid", "error", "identity",
        title=("签名不符", "Signature does not match"),
        message=(
            "表格 {form_id} 的身份信息与签名不符（被改动或伪造），不予采用。",
            "The identity of form {form_id} does not match its signature (edited or forged); it was not used.",
        ),
        action=(
            "请在下发的工作簿中填写后原样发回，不要改动隐藏的信息。",
            "Fill in the workbook you were given and send it back as it is; do not edit hidden information.",
        ),
    ),
    IssueText(
        "wrong-round", "error", "identity",
        title=("不是本轮的表格", "Another round's form"),
        message=(
            "这是“{other}”轮次的表格，不是本轮（{round}）的。",
            "This form belongs to round '{other}', not to this round ({round}).",
        ),
        action=("请使用本轮下发的评分表。", "Use the form sent out for this round."),
    ),
    IssueText(
        "unknown-form", "error", "identity",
        title=("未知的表格", "Unknown form"),
        message=("本轮没有编号为 {form_id} 的表格。", "This round has no form {form_id}."),
        action=("请使用本轮下发的评分表。", "Use the form sent out for this round."),
    ),
    IssueText(
        "unassigned-pair", "error", "identity",
        title=("未安排的评分关系", "Rating not assigned"),
        message=(
            "本轮没有安排 {rater} 以“{role}”身份给 {target} 评分。",
            "This round did not assign {rater} to rate {target} as '{role}'.",
        ),
        action=("请只填写下发给你的表格。", "Fill in only the forms sent to you."),
    ),
    IssueText(
        "scheme-mismatch", "error", "identity",
        title=("考核方案不一致", "Different scheme"),
        message=(
            "表格按考核方案 {scheme} 生成，与本轮方案不一致。",
            "The form was made for scheme {scheme}, not this round's scheme.",
        ),
        action=("请使用本轮下发的评分表。", "Use the form sent out for this round."),
    ),
    IssueText(
        "form-sheet-missing", "error", "identity",
        title=("评分表工作表缺失", "Form sheet missing"),
        message=(
            "工作簿中找不到表格 {form_id} 所在的工作表“{sheet}”（可能被删除或改名）。",
            "Sheet '{sheet}' of form {form_id} is missing (deleted or renamed).",
        ),
        action=(
            "不要删除或改名工作表；请重新填写下发的工作簿。",
            "Do not delete or rename sheets; fill in the workbook you were given again.",
        ),
    ),
    IssueText(
        "form-structure-changed", "error", "identity",
        title=("表格结构被改动", "Form rearranged"),
        message=(
            "工作表的行与考核项目对不上（从 {start} 起），无法确定每个得分对应哪一项。",
            "The sheet's rows no longer match the items (from {start}); scores cannot be matched to items.",
        ),
        action=(
            "不要插入、删除或移动行；请在下发的工作簿中重新填写。",
            "Do not insert, delete or move rows; fill in the workbook you were given again.",
        ),
    ),
    IssueText(
        "form-sheet-mismatch", "error", "identity",
        title=("工作表与身份信息不符", "Sheet and identity disagree"),
        message=(
            "工作表“{sheet}”中记录的表格编号是 {shown}，但隐藏的身份信息说它是表格 {form_id}（身份信息可能是从别的工作簿复制来的），不予采用。",
            "Sheet '{sheet}' holds form number {shown}, but the hidden identity says it holds form {form_id} (the identity was probably copied from another workbook); it was not used.",
        ),
        action=(
            "请在下发给你的工作簿中填写后原样发回，不要从别的工作簿复制工作表或隐藏信息。",
            "Fill in the workbook you were given and send it back as it is; do not copy sheets or hidden information from other workbooks.",
        ),
    ),
    IssueText(
        "duplicate-form", "error", "identity",
        title=("同一表格出现两次", "Form appears twice"),
        message=("表格 {form_id} 在同一文件中出现了两次。", "Form {form_id} appears twice in the file."),
        action=("每张表只保留一份后重新发送。", "Keep one copy of each form and resend."),
    ),
    IssueText(
        "form-not-filled", "warning", "identity",
        title=("表格未填写", "Form not filled in"),
        message=(
            "表格 {form_id}（{sheet}）尚未填写，仍按未交处理。",
            "Form {form_id} ({sheet}) is not filled in and still counts as missing.",
        ),
        action=("填写后重新发送本工作簿。", "Fill it in and send the workbook again."),
    ),
    IssueText(
        "nothing-filled", "error", "identity",
        title=("整个工作簿未填写", "Nothing filled in"),
        message=("工作簿中的表格都没有填写。", "None of the workbook's forms is filled in."),
        action=("填写后重新发送。", "Fill in the forms and resend."),
    ),
    IssueText(
        "not-your-form", "error", "identity",
        title=("不是本单位的表", "Not this recipient's form"),
        message=(
            "工作表“{sheet}”是发给其他单位的表格（{form_id}），不能通过本单位的上传链接提交，未予采用。",
            "Sheet '{sheet}' is a form sent to another recipient ({form_id}): it cannot come through this recipient's link and does not count.",
        ),
        action=(
            "只上传发给本单位的工作簿；其他单位的表请由该单位自己提交。",
            "Upload only the workbook sent to you; another recipient returns its own forms.",
        ),
    ),
    # -- cells ---------------------------------------------------------------------------------
    IssueText(
        "score-missing", "error", "cell",
        title=("缺少得分", "Score missing"),
        message=("{item}没有填写得分。", "No score for {item}."),
        action=("在该单元格填写得分。", "Enter the score in that cell."),
    ),
    IssueText(
        "score-not-number", "error", "cell",
        title=("得分不是数字", "Score is not a number"),
        message=("{item}的得分“{value}”不是数字。", "The score '{value}' for {item} is not a number."),
        action=("用阿拉伯数字填写得分，例如 4.5。", "Enter the score as a number, e.g. 4.5."),
    ),
    IssueText(
        "score-normalised", "warning", "cell",
        title=("得分按全角字符读取", "Score read from full-width text"),
        message=(
            "{item}的得分“{value}”是以文本形式填写的（可能含全角数字、空格或“分”字），按 {reading} 分读取。",
            "The score '{value}' for {item} was typed as text (full-width digits, spaces or a unit); read as {reading}.",
        ),
        action=("请核对读取结果；今后请用半角数字填写。", "Check the reading; next time type half-width digits."),
    ),
    IssueText(
        "score-chinese-numeral", "warning", "cell",
        title=("得分按中文数字读取", "Score read from Chinese numerals"),
        message=(
            "{item}的得分“{value}”是中文数字，按 {reading} 分读取。",
            "The score '{value}' for {item} is written in Chinese numerals; read as {reading}.",
        ),
        action=("请核对读取结果；今后请用阿拉伯数字填写。", "Check the reading; next time type digits."),
    ),
    IssueText(
        "score-date-formatted", "warning", "cell",
        title=("得分单元格被设成日期格式", "Score cell formatted as a date"),
        message=(
            "{item}的得分单元格被设成了日期或时间格式，显示为“{value}”；单元格里存的数是 {reading}，按 {reading} 分读取。",
            "The score cell for {item} is formatted as a date or time and shows '{value}'; the number it holds is {reading}, read as {reading}.",
        ),
        action=(
            "请核对读取结果；如不是所填分数，请把该单元格格式改为“常规”或“数值”后重新填写。",
            "Check the reading; if it is not the score you meant, set the cell's format to General or Number and type the score again.",
        ),
    ),
    IssueText(
        "score-out-of-range", "error", "cell",
        title=("得分超出范围", "Score out of range"),
        message=(
            "{item}的得分 {value} 不在 0 至 {max} 之间。",
            "The score {value} for {item} is not between 0 and {max}.",
        ),
        action=("改为 0 至该项分值之间的分数。", "Enter a score between 0 and the item's maximum."),
    ),
    IssueText(
        "score-step", "error", "cell",
        title=("得分单位不对", "Score not in steps"),
        message=(
            "{item}的得分 {value} 不是 {step} 的整数倍。",
            "The score {value} for {item} is not a multiple of {step}.",
        ),
        action=(
            "按该项的计分单位填写（默认 0.5 分，例如 4 或 4.5）。",
            "Use the item's step (0.5 by default: e.g. 4 or 4.5).",
        ),
    ),
    IssueText(
        "note-missing", "warning", "cell",
        title=("缺少扣分说明", "Deduction not explained"),
        message=(
            "{item}得 {value} 分（满分 {max}），但没有写扣分说明。",
            "{item} scored {value} of {max} without a reason for the deduction.",
        ),
        action=("在“扣分说明”栏写明扣分原因。", "Say why points were deducted in the notes column."),
    ),
    IssueText(
        "score-formula", "warning", "cell",
        title=("得分栏中是公式", "Formula in a score cell"),
        message=(
            "{item}的得分栏中是公式“={formula}”，而不是填写的分数；按表格保存时算出的 {value} 计分。",
            "The score of {item} is the formula '={formula}', not a typed score; the value the "
            "file was saved with, {value}, is used.",
        ),
        action=(
            "请直接填写分数（数字），不要使用公式；如按公式算出的分数不对，请改正后重新发送。",
            "Type the score as a number, not a formula; if the value it gave is wrong, correct "
            "it and resend.",
        ),
    ),
    IssueText(
        "score-formula-no-value", "error", "cell",
        title=("得分栏中的公式没有计算结果", "Formula in a score cell without a value"),
        message=(
            "{item}的得分栏中是公式“={formula}”，但保存时没有算出结果，无法读取得分。",
            "The score of {item} is the formula '={formula}', saved without a computed value: "
            "there is no score to read.",
        ),
        action=(
            "请删去公式，直接填写分数（数字）后重新发送。",
            "Delete the formula, type the score as a number and resend.",
        ),
    ),
    IssueText(
        "veto-missing", "error", "cell",
        title=("否决事项未作答", "Veto question unanswered"),
        message=("一票否决事项“{veto}”没有选择是或否。", "The veto question '{veto}' is unanswered."),
        action=("从下拉列表中选择“是”或“否”。", "Choose Yes or No from the list."),
    ),
    IssueText(
        "veto-invalid", "error", "cell",
        title=("否决事项答案无效", "Veto answer invalid"),
        message=(
            "一票否决事项“{veto}”的答案“{value}”无效，只能是“是”或“否”。",
            "The answer '{value}' to veto question '{veto}' is invalid; use Yes or No.",
        ),
        action=("只能选择“是”或“否”。", "Answer Yes or No only."),
    ),
    IssueText(
        "veto-note-missing", "error", "cell",
        title=("否决事项缺少说明", "Veto without details"),
        message=(
            "一票否决事项“{veto}”选择了“是”，但没有写明具体情况。选“是”会使该支部直接定为不合格，"
            "这张表暂不采用。",
            "The veto question '{veto}' was answered Yes without details. A Yes makes the "
            "branch fail outright, so this form is not taken.",
        ),
        action=(
            "如确有此事，请在“情况说明”栏写明具体情况后重新发送；如是误选，请改为“否”后重新发送。",
            "If it is so, give the details in the details column and resend; if it was a "
            "slip, change it to No and resend.",
        ),
    ),
    IssueText(
        "total-mismatch", "warning", "cell",
        title=("合计与各项不符", "Total does not add up"),
        message=(
            "文件中的{what}为 {claimed}，按各项得分重新计算为 {actual}，以重新计算的结果为准。",
            "The file's {what} says {claimed}; recomputed from the scores it is {actual}, which is used.",
        ),
        action=(
            "不要改动小计和合计公式；以系统重新计算的结果为准。",
            "Do not edit the subtotal and total formulas; the recomputed value is used.",
        ),
    ),
    IssueText(
        "extra-sheet-ignored", "warning", "cell",
        title=("多余的工作表", "Extra sheet ignored"),
        message=(
            "工作表“{sheet}”不是下发的评分表，已忽略。",
            "Sheet '{sheet}' is not one of the forms sent out and was ignored.",
        ),
        action=("无需处理。", "Nothing to do."),
    ),
    # -- mail ----------------------------------------------------------------------------------
    IssueText(
        "no-attachment", "error", "mail",
        title=("邮件没有附件", "No attachment"),
        message=(
            "来自 {sender} 的邮件“{subject}”没有可用的附件，未收到评分表。",
            "The message '{subject}' from {sender} has no usable attachment; no form was received.",
        ),
        action=("把填好的评分表工作簿作为附件，重新回复邮件。", "Reply again with the filled-in workbook attached."),
    ),
    IssueText(
        "sender-mismatch", "warning", "mail",
        title=("发件人与名册不符", "Sender not in the roster"),
        message=(
            "表格 {form_id} 属于{recipient}，名册登记的邮箱是 {expected}，但发件人是 {sender}。"
            "这份表暂不计分，待考核办核实后采用。",
            "Form {form_id} belongs to {recipient}, whose roster address is {expected}, but it was "
            "sent by {sender}. It is held for review and counts only once the committee office "
            "accepts it.",
        ),
        action=(
            "请用名册登记的邮箱发送；邮箱如有变化，请告知考核办更新名册。",
            "Send from the address in the roster; if it changed, ask the committee office to update the roster.",
        ),
    ),
    IssueText(
        "late", "warning", "mail",
        title=("逾期提交", "Late"),
        message=(
            "邮件于 {received} 收到，已过截止日期 {deadline}。",
            "The message arrived on {received}, after the deadline of {deadline}.",
        ),
        action=("无需重发；是否采用由考核办决定。", "Nothing to resend; the committee decides whether to use it."),
    ),
    IssueText(
        "message-too-large", "error", "mail",
        title=("邮件过大", "Message too large"),
        message=(
            "邮件大小 {size} 超过上限 {limit}，未予读取。",
            "The message is {size}, over the {limit} limit; it was not read.",
        ),
        action=(
            "只附上需要交回的评分表工作簿，必要时分几封邮件发送。",
            "Attach only the workbooks to return; send several messages if needed.",
        ),
    ),
    IssueText(
        "message-too-deep", "error", "mail",
        title=("邮件结构过于复杂", "Message too complex"),
        message=(
            "邮件中嵌套的分段有 {count} 个，超过上限 {limit} 个，未予读取（多次转发的邮件常会这样）。",
            "The message declares {count} nested parts, over the limit of {limit}; it was not read (repeatedly forwarded mail often does this).",
        ),
        action=(
            "请新写一封邮件，直接附上填好的工作簿发送，不要转发。",
            "Write a new message with the filled-in workbook attached; do not forward.",
        ),
    ),
    IssueText(
        "too-many-attachments", "error", "mail",
        title=("附件过多", "Too many attachments"),
        message=(
            "邮件有 {count} 个附件，超过上限 {limit} 个，未予读取。",
            "The message has {count} attachments, over the limit of {limit}; it was not read.",
        ),
        action=(
            "只附上需要交回的评分表工作簿，必要时分几封邮件发送。",
            "Attach only the workbooks to return; send several messages if needed.",
        ),
    ),
    # -- handbook ------------------------------------------------------------------------------
    IssueText(
        "handbook-definition-mismatch", "error", "handbook",
        title=("工作手册版本不一致", "Different handbook version"),
        message=(
            "工作手册按 {definition} 生成，与本轮的工作手册定义不一致。",
            "The handbook was made from definition {definition}, not this round's.",
        ),
        action=("请使用本轮下发的工作手册。", "Use the handbook sent out for this round."),
    ),
    IssueText(
        "handbook-structure-changed", "error", "handbook",
        title=("工作手册结构被改动", "Handbook rearranged"),
        message=(
            "工作表“{sheet}”与下发的工作手册不一致（此处应为“{expected}”），无法确定各栏内容。",
            "Sheet '{sheet}' no longer matches the handbook sent out (this cell should read '{expected}'); its columns cannot be told apart.",
        ),
        action=(
            "不要插入、删除或移动行列；请在下发的工作手册中重新填写。",
            "Do not insert, delete or move rows or columns; fill in the handbook you were given again.",
        ),
    ),
    IssueText(
        "handbook-value-missing", "error", "handbook",
        title=("缺少必填内容", "Required value missing"),
        message=("{what}没有填写。", "{what} is missing."),
        action=("补填该单元格；整行作废的请清空整行。", "Fill in that cell; to drop the entry, clear the whole row."),
    ),
    IssueText(
        "handbook-date-invalid", "error", "handbook",
        title=("日期无效", "Not a date"),
        message=("{what}“{value}”不是有效日期。", "{what} '{value}' is not a valid date."),
        action=(
            "按“年-月-日”填写真实存在的日期，例如 2026-03-01。",
            "Enter a real date as year-month-day, e.g. 2026-03-01.",
        ),
    ),
    IssueText(
        "handbook-date-text", "warning", "handbook",
        title=("日期按文字读取", "Date read from text"),
        message=(
            "{what}“{value}”是以文字填写的日期，按 {reading} 读取。",
            "{what} '{value}' was typed as text; read as {reading}.",
        ),
        action=(
            "请核对读取结果；今后请按“年-月-日”直接输入日期。",
            "Check the reading; next time enter the date as year-month-day.",
        ),
    ),
    IssueText(
        "handbook-date-outside-year", "warning", "handbook",
        title=("日期不在本年度", "Date outside the year"),
        message=("{what} {value} 不在 {year} 年内。", "{what} {value} is not in {year}."),
        action=(
            "核对日期；其他年度的记录请登记在当年的工作手册中。",
            "Check the date; records of other years belong in that year's handbook.",
        ),
    ),
    IssueText(
        "handbook-number-invalid", "error", "handbook",
        title=("数字无效", "Not a valid number"),
        message=("{what}“{value}”不是{expected}。", "{what} '{value}' is not a {expected}."),
        action=("用阿拉伯数字填写。", "Enter the number in digits."),
    ),
    IssueText(
        "handbook-number-text", "warning", "handbook",
        title=("数字按文字读取", "Number read from text"),
        message=(
            "{what}“{value}”是以文字填写的数字，按 {reading} 读取。",
            "{what} '{value}' was typed as text; read as {reading}.",
        ),
        action=(
            "请核对读取结果；今后请用半角阿拉伯数字填写，不要加单位。",
            "Check the reading; next time type half-width digits without a unit.",
        ),
    ),
    IssueText(
        "handbook-number-date-formatted", "warning", "handbook",
        title=("数字单元格被设成日期格式", "Number cell formatted as a date"),
        message=(
            "{what}所在单元格被设成了日期或时间格式，显示为“{value}”；单元格里存的数是 {reading}，按 {reading} 读取。",
            "The cell for {what} is formatted as a date or time and shows '{value}'; the number it holds is {reading}, read as {reading}.",
        ),
        action=(
            "请核对读取结果；如不是所填数字，请把该单元格格式改为“常规”或“数值”后重新填写。",
            "Check the reading; if it is not the number you meant, set the cell's format to General or Number and type it again.",
        ),
    ),
    IssueText(
        "handbook-choice-invalid", "error", "handbook",
        title=("不在下拉列表中", "Not one of the options"),
        message=(
            "{what}“{value}”不在下拉列表中（可选：{choices}）。",
            "{what} '{value}' is not one of the options ({choices}).",
        ),
        action=("从下拉列表中选择。", "Choose from the drop-down list."),
    ),
    IssueText(
        "handbook-date-order", "error", "handbook",
        title=("日期先后颠倒", "Dates out of order"),
        message=(
            "{what}（{value}）早于“{earlier}”（{earlier_value}）。",
            "{what} ({value}) is earlier than '{earlier}' ({earlier_value}).",
        ),
        action=("核对两个日期，按实际先后填写。", "Check both dates and enter them as they happened."),
    ),
    IssueText(
        "handbook-stage-too-early", "error", "handbook",
        title=("间隔时间不足", "Too soon after the earlier stage"),
        message=(
            "{name}的“{stage}”（{value}）距“{reference}”（{reference_value}）不足 {interval}，最早应为 {limit}。",
            "{name}: '{stage}' ({value}) comes less than {interval} after '{reference}' ({reference_value}); the earliest date is {limit}.",
        ),
        action=(
            "核对日期；未满规定时间的，不能进入下一阶段。",
            "Check the date; a stage cannot come before its minimum interval has passed.",
        ),
    ),
    IssueText(
        "handbook-stage-too-late", "warning", "handbook",
        title=("超过规定时间", "Later than the rules allow"),
        message=(
            "{name}的“{stage}”（{value}）距“{reference}”（{reference_value}）超过 {interval}，应不迟于 {limit}。",
            "{name}: '{stage}' ({value}) comes more than {interval} after '{reference}' ({reference_value}); it was due by {limit}.",
        ),
        action=(
            "核对日期；确有特殊情况的，在备注中说明。",
            "Check the date; if there was a special reason, explain it in the notes.",
        ),
    ),
    IssueText(
        "handbook-stage-skipped", "warning", "handbook",
        title=("前一阶段未填写", "Earlier stage missing"),
        message=(
            "{name}填写了“{stage}”，但没有填写此前的{missing}。",
            "{name}: '{stage}' is filled in but the earlier {missing} is not.",
        ),
        action=("补填此前各阶段的日期。", "Fill in the dates of the earlier stages."),
    ),
    IssueText(
        "handbook-rows-below-table", "warning", "handbook",
        title=("表格以下另有填写", "Entries below the table"),
        message=(
            "工作表“{sheet}”的表格共 {rows} 行，表格以下又填写了 {count} 行，已一并读取。",
            "Sheet '{sheet}' has a table of {rows} rows and {count} more rows filled in below it; they were read too.",
        ),
        action=(
            "请核对表格以下的记录；表格行数不够用时，请与上级党组织联系。",
            "Check the entries below the table; if the table has too few rows, contact the Party committee.",
        ),
    ),
    IssueText(
        "handbook-count-mismatch", "error", "handbook",
        title=("党员人数前后不一致", "Member counts disagree"),
        message=(
            "基本情况中{category}为 {claimed} 人，党员名册中为 {actual} 人。",
            "The basic information gives {claimed} for {category}; the member roll lists {actual}.",
        ),
        action=(
            "核对党员名册，使“基本情况”中的人数与名册一致。",
            "Check the member roll and make the counts in the basic information agree.",
        ),
    ),
    IssueText(
        "handbook-dues-mismatch", "warning", "handbook",
        title=("应交党费与标准不符", "Dues due do not match the rates"),
        message=(
            "文件中{what}为 {claimed}，按党费标准重新计算为 {actual}，以重新计算的结果为准。",
            "The file's {what} says {claimed}; recomputed from the rates it is {actual}, which is used.",
        ),
        action=(
            "不要改动“应交”公式；以按党费标准重新计算的结果为准。",
            "Do not edit the dues formula; the amount recomputed from the rates is used.",
        ),
    ),
    IssueText(
        "handbook-unknown-member", "warning", "handbook",
        title=("不在党员名册中", "Not in the member roll"),
        message=("{what}“{value}”不在党员名册中。", "{what} '{value}' is not in the member roll."),
        action=("核对姓名，与党员名册保持一致。", "Check the name against the member roll."),
    ),
    IssueText(
        "handbook-category-inconsistent", "warning", "handbook",
        title=("党员类别与转正日期不符", "Category and full-membership date disagree"),
        message=(
            "{name}是{category}，但填写了转正日期 {value}。",
            "{name} is listed as {category} but has a full-membership date ({value}).",
        ),
        action=(
            "已转正的改为正式党员；尚未转正的清空转正日期。",
            "Make a member who has become full a full member; otherwise clear the date.",
        ),
    ),
    IssueText(
        "handbook-present-exceeds", "warning", "handbook",
        title=("实到人数多于党员人数", "More present than members"),
        message=(
            "{what}为 {value} 人，多于党员名册的 {total} 人。",
            "{what} is {value}, more than the {total} members on the roll.",
        ),
        action=(
            "核对实到人数（列席的非党员不计入）。",
            "Check the number present (guests who are not members do not count).",
        ),
    ),
)
