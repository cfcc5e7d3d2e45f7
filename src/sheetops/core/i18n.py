"""Texts people read, in the round's language.

Every sentence a branch or committee staff member reads comes from :data:`CATALOG`, keyed by a
stable message key, with one template per language. Code never builds user-facing sentences
from fragments; it picks a key and passes named parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from sheetops.core.mail_texts import MAIL_TEXTS

LANGUAGES: Final = ("zh-CN", "en")
DEFAULT_LANGUAGE: Final = "zh-CN"

_CORE: Final[Mapping[str, Mapping[str, str]]] = {
    # -- generic ---------------------------------------------------------------------------
    "problem.error": {"zh-CN": "错误", "en": "error"},
    "problem.warning": {"zh-CN": "提示", "en": "warning"},
    "error.unknown-language": {
        "zh-CN": "不支持的语言“{value}”，可选：{choices}",
        "en": "unsupported language '{value}'; choose one of {choices}",
    },
    # -- scheme ----------------------------------------------------------------------------
    "scheme.unreadable": {
        "zh-CN": "无法读取考核方案 {path}：{reason}",
        "en": "cannot read scoring scheme {path}: {reason}",
    },
    "scheme.unknown-format": {
        "zh-CN": "无法识别考核方案文件 {path}：应为 .yaml 或 .xlsx 文件",
        "en": "cannot tell the format of scoring scheme {path}: expected a .yaml or .xlsx file",
    },
    "scheme.invalid": {
        "zh-CN": "考核方案 {path} 有 {count} 处问题：",
        "en": "scoring scheme {path} has {count} problem(s):",
    },
    "scheme.ok": {
        "zh-CN": "考核方案 {path} 检查通过：{sections} 个板块，{items} 个考核项目，"
        "满分 {total} 分，{vetoes} 项一票否决事项。",
        "en": "scoring scheme {path} is valid: {sections} sections, {items} items, "
        "{total} points in all, {vetoes} veto questions.",
    },
    "scheme.exported": {
        "zh-CN": "已导出考核方案“{title}”到 {path}。",
        "en": "Exported scoring scheme '{title}' to {path}.",
    },
    "scheme.missing-field": {
        "zh-CN": "缺少“{field}”",
        "en": "'{field}' is missing",
    },
    "scheme.empty-text": {
        "zh-CN": "“{field}”不能为空",
        "en": "'{field}' must not be empty",
    },
    "scheme.not-a-list": {
        "zh-CN": "“{field}”应为列表",
        "en": "'{field}' must be a list",
    },
    "scheme.not-a-mapping": {
        "zh-CN": "此处应为键值表",
        "en": "expected a mapping here",
    },
    "scheme.bad-id": {
        "zh-CN": "代码“{value}”格式不对：须以英文字母开头，只含英文字母、数字和下划线，"
        "不超过 40 个字符",
        "en": "id '{value}' is malformed: it must start with a letter and contain only "
        "letters, digits and underscores, at most 40 characters",
    },
    "scheme.duplicate-id": {
        "zh-CN": "代码“{value}”重复（首次出现在 {first}）",
        "en": "id '{value}' is used twice (first at {first})",
    },
    "scheme.bad-number": {
        "zh-CN": "“{field}”应为数字，实际为“{value}”",
        "en": "'{field}' must be a number, got '{value}'",
    },
    "scheme.not-positive": {
        "zh-CN": "“{field}”应大于 0，实际为 {value}",
        "en": "'{field}' must be greater than 0, got {value}",
    },
    "scheme.max-not-multiple": {
        "zh-CN": "分值 {max} 不是步长 {step} 的整数倍",
        "en": "max {max} is not a multiple of step {step}",
    },
    "scheme.section-empty": {
        "zh-CN": "板块“{section}”没有考核项目",
        "en": "section '{section}' has no items",
    },
    "scheme.total-mismatch": {
        "zh-CN": "各项分值合计 {actual} 分，与满分 {expected} 分不符",
        "en": "item maxima add up to {actual}, but the total is {expected}",
    },
    "scheme.no-sections": {
        "zh-CN": "方案中没有任何考核板块",
        "en": "the scheme has no sections",
    },
    "scheme.no-grades": {
        "zh-CN": "方案中没有等级设置",
        "en": "the scheme defines no grades",
    },
    "scheme.grades-order": {
        "zh-CN": "等级应按分数线从高到低排列，最后一级分数线为 0",
        "en": "grades must be listed from the highest threshold down, the last one at 0",
    },
    "scheme.bad-language": {
        "zh-CN": "语言“{value}”不受支持，可选：zh-CN、en",
        "en": "language '{value}' is not supported; use zh-CN or en",
    },
    "scheme.inconsistent-section": {
        "zh-CN": "板块“{section}”的名称前后不一致：“{first}”与“{other}”",
        "en": "section '{section}' has two titles: '{first}' and '{other}'",
    },
    "scheme.missing-sheet": {
        "zh-CN": "缺少工作表“{sheet}”",
        "en": "worksheet '{sheet}' is missing",
    },
    "scheme.missing-column": {
        "zh-CN": "工作表缺少列“{column}”",
        "en": "the worksheet has no column '{column}'",
    },
    # -- roster ----------------------------------------------------------------------------
    "roster.unreadable": {
        "zh-CN": "无法读取名册 {path}：{reason}",
        "en": "cannot read roster {path}: {reason}",
    },
    "roster.invalid": {
        "zh-CN": "名册 {path} 有 {count} 处问题：",
        "en": "roster {path} has {count} problem(s):",
    },
    "roster.missing-sheet": {
        "zh-CN": "缺少工作表“{sheet}”",
        "en": "worksheet '{sheet}' is missing",
    },
    "roster.missing-column": {
        "zh-CN": "缺少列“{column}”（可用表头：{aliases}）",
        "en": "column '{column}' is missing (accepted headers: {aliases})",
    },
    "roster.bad-code": {
        "zh-CN": "代码“{value}”格式不对：只能含字母、数字、点、横线和下划线，不超过 20 个字符",
        "en": "code '{value}' is malformed: letters, digits, '.', '-' and '_' only, "
        "at most 20 characters",
    },
    "roster.empty-code": {
        "zh-CN": "代码为空",
        "en": "the code is empty",
    },
    "roster.empty-name": {
        "zh-CN": "“{code}”的名称为空",
        "en": "'{code}' has no name",
    },
    "roster.duplicate-code": {
        "zh-CN": "代码“{code}”重复（首次出现在 {first}）",
        "en": "code '{code}' is used twice (first at {first})",
    },
    "roster.unknown-branch": {
        "zh-CN": "支部代码“{code}”不在 branches 表中",
        "en": "branch code '{code}' is not in the branches sheet",
    },
    "roster.self-peer": {
        "zh-CN": "支部“{code}”被安排给自己互评",
        "en": "branch '{code}' is assigned to rate itself",
    },
    "roster.duplicate-peer": {
        "zh-CN": "互评安排“{rater} → {target}”重复（首次出现在 {first}）",
        "en": "peer assignment '{rater} → {target}' appears twice (first at {first})",
    },
    "roster.too-many-peers": {
        "zh-CN": "每个支部安排 {peers} 个互评支部，但名册只有 {branches} 个支部"
        "（最多可安排 {most} 个）",
        "en": "{peers} peer raters per branch were asked for, but the roster has only "
        "{branches} branches (at most {most} possible)",
    },
    "roster.no-branches": {
        "zh-CN": "branches 表中没有任何支部",
        "en": "the branches sheet lists no branch",
    },
    "roster.no-inspectors": {
        "zh-CN": "inspectors 表中没有任何巡查人员，所有支部将缺少考评分",
        "en": "the inspectors sheet lists nobody: every branch will lack inspector scores",
    },
    "roster.missing-email": {
        "zh-CN": "“{code}”没有填写邮箱，无法通过邮件发送",
        "en": "'{code}' has no email address and cannot be sent mail",
    },
    "roster.bad-email": {
        "zh-CN": "“{code}”的邮箱“{value}”格式不对",
        "en": "'{code}' has a malformed email address '{value}'",
    },
    "roster.numeric-code": {
        "zh-CN": "代码“{code}”是以数字格式填写的，如原代码有前导零（如 0012）已经丢失；"
        "请把代码列设为文本格式后重新填写",
        "en": "code '{code}' was entered as a number, so leading zeros (as in 0012) are lost; "
        "format the code column as text and type the codes again",
    },
    "roster.uninspected": {
        "zh-CN": "支部“{code}”没有安排巡查人员，将没有考评分、无法定级",
        "en": "branch '{code}' has no inspector and will stay pending",
    },
    # -- round -----------------------------------------------------------------------------
    "round.exists": {
        "zh-CN": "{path} 已经是一个考核轮次，不会覆盖。如需重建，请换一个目录。",
        "en": "{path} already holds a round; it will not be overwritten. Choose another folder.",
    },
    "round.not-empty": {
        "zh-CN": "{path} 不是空目录，不会在其中创建考核轮次。请换一个新目录。",
        "en": "{path} is not empty; a round is only created in a new or empty folder.",
    },
    "round.missing": {
        "zh-CN": "{path} 不是考核轮次目录（找不到 round.toml）。请先运行 sheetops init。",
        "en": "{path} is not a round folder (no round.toml). Run 'sheetops init' first.",
    },
    "round.bad-config": {
        "zh-CN": "round.toml 有误：{reason}",
        "en": "round.toml is invalid: {reason}",
    },
    "round.bad-value": {
        "zh-CN": "round.toml 中 {key} 的值“{value}”无效：{expected}",
        "en": "round.toml: {key} = '{value}' is invalid: {expected}",
    },
    "round.bad-id": {
        "zh-CN": "轮次代码“{value}”格式不对：只能含字母、数字、点、横线和下划线",
        "en": "round id '{value}' is malformed: letters, digits, '.', '-' and '_' only",
    },
    "expected.table": {"zh-CN": "应为一个表（[节]）", "en": "a table"},
    "expected.integer": {"zh-CN": "应为不小于 {low} 的整数", "en": "an integer ≥ {low}"},
    "expected.date": {"zh-CN": "应为日期，例如 2026-12-31", "en": "a date such as 2026-12-31"},
    "expected.number": {"zh-CN": "应为不小于 0 的数", "en": "a number ≥ 0"},
    "expected.weights": {"zh-CN": "三项权重之和应为 1", "en": "the weights must add up to 1"},
    "expected.roles": {"zh-CN": "应为由 self、peer、inspector 组成的列表",
                       "en": "a list of self, peer, inspector"},
    "expected.file": {"zh-CN": "应为本目录中的文件名", "en": "a file name in the round folder"},
    "expected.text": {"zh-CN": "应为文字（加引号）", "en": "text in quotes"},
    "expected.folder": {"zh-CN": "应为加引号的目录路径，或留空", "en": "a folder path in quotes, or empty"},
    "expected.seconds": {"zh-CN": "应为大于 0 的秒数", "en": "a number of seconds > 0"},
    "expected.choice": {"zh-CN": "可选：{choices}", "en": "one of {choices}"},
    "expected.half-year": {"zh-CN": "合并的轮次应为半年考核（period = \"half-year\"）",
                           "en": "the combined round must be a half-year round"},
    "round.key-missing": {
        "zh-CN": "找不到本轮签名密钥 {path}，无法生成或核验表格。",
        "en": "the round's signing key {path} is missing; forms cannot be signed or checked.",
    },
    "round.created": {
        "zh-CN": "已创建考核轮次“{title}”（{id}）：{path}",
        "en": "Created round '{title}' ({id}) in {path}",
    },
    "round.created-detail": {
        "zh-CN": "  {branches} 个支部，{inspectors} 名巡查人员；考核方案：{scheme}（{version}）",
        "en": "  {branches} branches, {inspectors} inspectors; scheme: {scheme} ({version})",
    },
    "round.next-generate": {
        "zh-CN": "下一步：检查 round.toml 后运行 sheetops generate {path}",
        "en": "Next: review round.toml, then run: sheetops generate {path}",
    },
    # -- generate --------------------------------------------------------------------------
    "generate.done": {
        "zh-CN": "已生成 {packs} 个工作簿，共 {forms} 张评分表（自评 {self}、互评 {peer}、"
        "考评 {inspector}），保存在 {path}",
        "en": "Generated {packs} workbooks holding {forms} forms ({self} self, {peer} peer, "
        "{inspector} inspector) in {path}",
    },
    "generate.manifest": {
        "zh-CN": "表格清单：{path}",
        "en": "Manifest: {path}",
    },
    "generate.next-send": {
        "zh-CN": "下一步：把各工作簿发给对应支部和巡查人员，收回后放入 {inbox}",
        "en": "Next: send each workbook to its recipient; put returned files into {inbox}",
    },
    # -- forms (what raters read) ------------------------------------------------------------
    "role.self": {"zh-CN": "自评", "en": "Self"},
    "role.peer": {"zh-CN": "互评", "en": "Peer"},
    "role.inspector": {"zh-CN": "考评", "en": "Inspection"},
    "sheet.self": {"zh-CN": "自评", "en": "Self"},
    "sheet.peer": {"zh-CN": "互评-{code}", "en": "Peer-{code}"},
    "sheet.inspector": {"zh-CN": "考评-{code}", "en": "Inspect-{code}"},
    "form.subtitle": {
        "zh-CN": "{scheme}（{role}）",
        "en": "{scheme} ({role})",
    },
    "form.parties": {
        "zh-CN": "评分单位：{rater}    被评支部：{target}    表格编号：{form_id}",
        "en": "Rater: {rater}    Branch rated: {target}    Form: {form_id}",
    },
    "form.intro.self": {
        "zh-CN": "本表由本支部对照考核标准逐项自查自评。",
        "en": "Your branch checks and scores itself against each target below.",
    },
    "form.intro.peer": {
        "zh-CN": "本表由贵支部对{target}进行互评，请实事求是、客观公正地逐项打分。",
        "en": "Your branch scores {target}; please score each target fairly and on the evidence.",
    },
    "form.intro.inspector": {
        "zh-CN": "本表由巡查人员对{target}逐项考评，请依据检查掌握的情况打分。",
        "en": "As inspector, score {target} on each target from what the inspection found.",
    },
    "form.instructions": {
        "zh-CN": "填表说明：只在浅黄色单元格中填写。得分须在 0 至该项分值之间，以 {step} 分为单位；"
        "未得满分的项目，请在“扣分说明”栏写明扣分原因。小计、合计自动计算，请勿改动。"
        "请于 {deadline} 前将本工作簿原样发回，不要增删、改名工作表。",
        "en": "How to fill in: type only into the light yellow cells. A score lies between 0 "
        "and the item's maximum, in steps of {step}; for any item below full marks, say why "
        "in the 'Reason for deduction' column. Subtotals and the total are calculated; do "
        "not change them. Return this workbook as it is by {deadline}; do not add, remove or "
        "rename sheets.",
    },
    "form.col.number": {"zh-CN": "序号", "en": "No."},
    "form.col.section": {"zh-CN": "考核项目", "en": "Section"},
    "form.col.target": {"zh-CN": "考核内容", "en": "Target"},
    "form.col.rule": {"zh-CN": "评分标准", "en": "Scoring rule"},
    "form.col.max": {"zh-CN": "分值", "en": "Max"},
    "form.col.score": {"zh-CN": "得分", "en": "Score"},
    "form.col.note": {"zh-CN": "扣分说明", "en": "Reason for deduction"},
    "form.subtotal": {"zh-CN": "{section} 小计", "en": "{section}: subtotal"},
    "form.total": {"zh-CN": "合计", "en": "Total"},
    "form.veto.head": {"zh-CN": "一票否决事项", "en": "One-vote veto"},
    "form.veto.answer": {"zh-CN": "是/否", "en": "Yes/No"},
    "form.veto.note": {"zh-CN": "情况说明", "en": "Details"},
    "form.veto.explain": {
        "zh-CN": "请逐项选择“是”或“否”；选“是”的，须在“情况说明”栏写明具体情况。"
        "任一项为“是”的，该支部考核等次为不合格，不参加排名。",
        "en": "Choose Yes or No for each question; for a Yes, give the details. A single Yes "
        "makes the branch unqualified, whatever its score, and it is not ranked.",
    },
    "form.veto.yes": {"zh-CN": "是", "en": "Yes"},
    "form.veto.no": {"zh-CN": "否", "en": "No"},
    "form.signature": {
        "zh-CN": "评分人（签名）：____________        填表日期：______年____月____日",
        "en": "Rater's signature: ____________        Date: ______________",
    },
    "form.footer": {"zh-CN": "第 &P 页，共 &N 页", "en": "Page &P of &N"},
    "form.score.prompt-title": {"zh-CN": "填写得分", "en": "Score"},
    "form.score.prompt": {
        "zh-CN": "请填写 0 至 {max} 之间的分数，以 {step} 分为单位。",
        "en": "Enter a score from 0 to {max}, in steps of {step}.",
    },
    "form.score.error-title": {"zh-CN": "得分超出范围", "en": "Score out of range"},
    "form.score.error": {
        "zh-CN": "本项满分 {max} 分，得分须在 0 至 {max} 之间，请用阿拉伯数字重新填写。",
        "en": "This item's maximum is {max}: enter a number from 0 to {max}.",
    },
    "form.veto.prompt-title": {"zh-CN": "一票否决", "en": "Veto"},
    "form.veto.prompt": {
        "zh-CN": "请从下拉列表中选择“是”或“否”。",
        "en": "Choose Yes or No from the list.",
    },
    "form.veto.error-title": {"zh-CN": "请选择是或否", "en": "Yes or No only"},
    "form.veto.error": {
        "zh-CN": "只能填写“是”或“否”。",
        "en": "Only Yes or No can be entered here.",
    },
    "form.deadline": {"zh-CN": "{year}年{month}月{day}日", "en": "{date}"},
    "form.party": {"zh-CN": "{name}（{code}）", "en": "{name} ({code})"},
    # -- collect and status ----------------------------------------------------------------
    "collect.no-source": {
        "zh-CN": "找不到收件来源 {path}",
        "en": "collect source {path} does not exist",
    },
    "collect.bad-archive": {
        "zh-CN": "无法打开压缩包 {path}：{reason}",
        "en": "cannot open archive {path}: {reason}",
    },
    "collect.summary": {
        "zh-CN": "本次收到 {files} 个文件：采用 {accepted} 个（其中 {warnings} 个有提示），"
        "退回 {rejected} 个，重复 {duplicate} 个，已被新版本替代 {superseded} 个。",
        "en": "Received {files} files: {accepted} accepted ({warnings} with warnings), "
        "{rejected} rejected, {duplicate} duplicates, {superseded} superseded.",
    },
    "collect.forms": {
        "zh-CN": "评分表：应交 {expected} 张，已采用 {accepted} 张，尚缺 {missing} 张。",
        "en": "Forms: {expected} expected, {accepted} accepted, {missing} still missing.",
    },
    "collect.partly-rejected": {
        "zh-CN": "部分退回：{name}（{sender}），其中 {count} 张表被退回，其余已采用",
        "en": "Partly rejected: {name} ({sender}): {count} form(s) rejected, the rest accepted",
    },
    "collect.rejected-file": {
        "zh-CN": "退回：{name}（{sender}）",
        "en": "Rejected: {name} ({sender})",
    },
    "collect.more-reasons": {
        "zh-CN": "    ……另有 {count} 处问题，见退回清单",
        "en": "    … and {count} more, see the rejection report",
    },
    "collect.report": {
        "zh-CN": "退回和提示清单：{path}",
        "en": "Rejections and warnings: {path}",
    },
    "collect.next": {
        "zh-CN": "下一步：运行 sheetops status {path} 查看缺交清单",
        "en": "Next: run 'sheetops status {path}' for the chase list",
    },
    "collect.progress": {"zh-CN": "正在收取", "en": "Collecting"},
    "collect.unknown-sender": {"zh-CN": "发件人不明", "en": "sender unknown"},
    "status.recipient": {
        "zh-CN": "{code} {name}（{kind}）：已交 {done}/{total}",
        "en": "{code} {name} ({kind}): {done}/{total} returned",
    },
    "status.kind.branch": {"zh-CN": "支部", "en": "branch"},
    "status.kind.inspector": {"zh-CN": "巡查", "en": "inspector"},
    "status.form": {
        "zh-CN": "  {mark} {form_id}  {sheet}  {status}",
        "en": "  {mark} {form_id}  {sheet}  {status}",
    },
    "status.accepted": {"zh-CN": "已采用", "en": "accepted"},
    "status.accepted-with-warnings": {"zh-CN": "已采用（有提示）", "en": "accepted, with warnings"},
    "status.rejected": {"zh-CN": "被退回，待重交", "en": "rejected, awaiting resubmission"},
    "status.missing": {"zh-CN": "未交", "en": "missing"},
    "status.newer-rejected": {
        "zh-CN": "已采用之前的版本；之后重交的版本被退回，请核实",
        "en": "the earlier version counts; a later resubmission was rejected, check it",
    },
    "status.summary": {
        "zh-CN": "合计 {total} 张：已采用 {accepted}（有提示 {warnings}），被退回 {rejected}，"
        "未交 {missing}。",
        "en": "{total} forms: {accepted} accepted ({warnings} with warnings), {rejected} "
        "rejected, {missing} missing.",
    },
    "status.complete": {
        "zh-CN": "全部评分表均已收齐。",
        "en": "Every form is in.",
    },
    "item.label": {"zh-CN": "第{number}项“{target}”", "en": "item {number} '{target}'"},
    # -- rejection report ------------------------------------------------------------------
    "rejections.title": {
        "zh-CN": "{round}：退回和提示清单",
        "en": "{round}: rejections and warnings",
    },
    "rejections.generated": {
        "zh-CN": "生成时间：{time}。错误须改正后重新发送；提示请核对，无需重新发送。",
        "en": "Made {time}. Errors must be fixed and the file resent; warnings need checking "
        "only.",
    },
    "rejections.sheet": {"zh-CN": "退回和提示", "en": "Issues"},
    "rejections.col.recipient": {"zh-CN": "填报单位代码", "en": "Recipient"},
    "rejections.col.recipient_name": {"zh-CN": "填报单位", "en": "Recipient name"},
    "rejections.col.file": {"zh-CN": "文件名", "en": "File"},
    "rejections.col.sender": {"zh-CN": "发件人", "en": "Sender"},
    "rejections.col.received": {"zh-CN": "收到时间", "en": "Received"},
    "rejections.col.status": {"zh-CN": "文件状态", "en": "File status"},
    "rejections.col.form": {"zh-CN": "表格编号", "en": "Form"},
    "rejections.col.sheet": {"zh-CN": "工作表", "en": "Sheet"},
    "rejections.col.cell": {"zh-CN": "单元格", "en": "Cell"},
    "rejections.col.severity": {"zh-CN": "类别", "en": "Severity"},
    "rejections.col.code": {"zh-CN": "问题代码", "en": "Code"},
    "rejections.col.message": {"zh-CN": "问题说明", "en": "Problem"},
    "rejections.col.action": {"zh-CN": "处理办法", "en": "What to do"},
    "rejections.col.sha256": {"zh-CN": "文件指纹（SHA-256）", "en": "SHA-256"},
    "file-status.accepted": {"zh-CN": "已采用", "en": "accepted"},
    "file-status.accepted-with-warnings": {"zh-CN": "已采用（有提示）",
                                           "en": "accepted with warnings"},
    "file-status.rejected": {"zh-CN": "退回", "en": "rejected"},
    "file-status.duplicate": {"zh-CN": "重复", "en": "duplicate"},
    "file-status.superseded": {"zh-CN": "已被新版本替代", "en": "superseded"},
    "severity.error": {"zh-CN": "错误", "en": "error"},
    "severity.warning": {"zh-CN": "提示", "en": "warning"},
    # -- veto and rank ----------------------------------------------------------------------
    "veto.unknown-branch": {
        "zh-CN": "名册中没有代码为“{code}”的支部",
        "en": "the roster has no branch '{code}'",
    },
    "veto.unknown-veto": {
        "zh-CN": "考核方案中没有否决事项“{value}”，可选：{choices}",
        "en": "the scheme has no veto question '{value}'; choose one of {choices}",
    },
    "veto.already": {
        "zh-CN": "支部“{branch}”已有生效的“{veto}”否决（{at} 记录），未重复记录",
        "en": "branch '{branch}' already has an active '{veto}' veto (recorded {at}); "
        "nothing was added",
    },
    "veto.note-required": {
        "zh-CN": "请用 --note 写明否决依据",
        "en": "give the reason with --note",
    },
    "veto.recorded": {
        "zh-CN": "已记录：{branch} {name} 因“{veto}”一票否决。依据：{note}",
        "en": "Recorded: {branch} {name} is vetoed for '{veto}'. Reason: {note}",
    },
    "veto.removed": {
        "zh-CN": "已撤销 {branch} {name} 的“{veto}”否决（{count} 条）。说明：{note}",
        "en": "Revoked the '{veto}' veto on {branch} {name} ({count}). Note: {note}",
    },
    "veto.nothing-to-remove": {
        "zh-CN": "{branch} {name} 没有生效的“{veto}”否决，无需撤销。",
        "en": "{branch} {name} has no active '{veto}' veto; nothing was revoked.",
    },
    "veto.next": {
        "zh-CN": "重新运行 sheetops rank {path} 更新排名。",
        "en": "Run 'sheetops rank {path}' again to update the ranking.",
    },
    "rank.done": {
        "zh-CN": "已排名：{ranked} 个支部参加排名，{vetoed} 个被一票否决，{pending} 个待定"
        "（缺少考评分）。",
        "en": "Ranked {ranked} branches; {vetoed} vetoed, {pending} pending (no inspector "
        "score).",
    },
    "rank.grades": {
        "zh-CN": "等级：{counts}",
        "en": "Grades: {counts}",
    },
    "rank.line": {
        "zh-CN": "  {rank:>4}  {code}  {name}  {score}  {grade}{extra}",
        "en": "  {rank:>4}  {code}  {name}  {score}  {grade}{extra}",
    },
    "rank.vetoed-mark": {"zh-CN": "（一票否决：{reasons}）", "en": " (vetoed: {reasons})"},
    "rank.incomplete-mark": {"zh-CN": "（评分不完整）", "en": " (incomplete)"},
    "rank.summary": {
        "zh-CN": "汇总表：{path}",
        "en": "Summary workbook: {path}",
    },
    "rank.no-rank": {"zh-CN": "—", "en": "—"},
    # -- summary workbook -----------------------------------------------------------------
    "summary.sheet.ranking": {"zh-CN": '排名', "en": 'Ranking'},
    "summary.sheet.sections": {"zh-CN": '分项得分', "en": 'Sections'},
    "summary.sheet.detail": {"zh-CN": '评分明细', "en": 'Detail'},
    "summary.sheet.returns": {"zh-CN": '收交情况', "en": 'Returns'},
    "summary.sheet.advanced": {"zh-CN": '先进名单', "en": 'Advanced'},
    "summary.sheet.detail-more": {"zh-CN": '评分明细（{number}）', "en": 'Detail ({number})'},
    "summary.sheet.method": {"zh-CN": '计算方法', "en": 'Method'},
    "summary.sheet.chart": {"zh-CN": '得分图', "en": 'Chart'},
    "summary.title.ranking": {"zh-CN": '{round}：综合得分排名', "en": '{round}: ranking'},
    "summary.title.sections": {"zh-CN": '{round}：各板块得分及与最高分的差距', "en": '{round}: section scores and gap to the best'},
    "summary.title.detail": {"zh-CN": '{round}：评分明细（每个数字都可追溯到收到的文件）', "en": '{round}: every score, traceable to the file it came from'},
    "summary.title.detail-more": {"zh-CN": '{round}：评分明细（续，第 {number} 张，共 {count} 张）', "en": '{round}: every score, continued (sheet {number} of {count})'},
    "summary.title.returns": {"zh-CN": '{round}：评分表收交情况', "en": '{round}: returns per form'},
    "summary.title.advanced": {"zh-CN": '{round}\n先进党支部名单', "en": '{round}\nAdvanced Party branches'},
    "summary.title.method": {"zh-CN": '{round}：计算方法和依据', "en": '{round}: method and basis'},
    "summary.title.chart": {"zh-CN": '综合得分', "en": 'Final scores'},
    "summary.chart.line": {"zh-CN": '{threshold} 分线', "en": '{threshold}-point line'},
    "summary.col.rank": {"zh-CN": '名次', "en": 'Rank'},
    "summary.col.code": {"zh-CN": '代码', "en": 'Code'},
    "summary.col.name": {"zh-CN": '支部名称', "en": 'Branch'},
    "summary.col.score": {"zh-CN": '综合得分', "en": 'Final score'},
    "summary.col.grade": {"zh-CN": '等级', "en": 'Grade'},
    "summary.col.veto": {"zh-CN": '否决原因', "en": 'Veto reason'},
    "summary.col.self": {"zh-CN": '自评', "en": 'Self'},
    "summary.col.peer": {"zh-CN": '互评', "en": 'Peer'},
    "summary.col.inspector": {"zh-CN": '考评', "en": 'Inspector'},
    "summary.col.peer_forms": {"zh-CN": '互评份数', "en": 'Peer forms'},
    "summary.col.complete": {"zh-CN": '评分完整', "en": 'Complete'},
    "summary.col.gap": {"zh-CN": '差距', "en": 'Gap'},
    "summary.col.section_head": {"zh-CN": '{title}\n（满分 {max}）', "en": '{title}\n(max {max})'},
    "summary.col.target_code": {"zh-CN": '被评支部代码', "en": 'Branch code'},
    "summary.col.target_name": {"zh-CN": '被评支部', "en": 'Branch'},
    "summary.col.role": {"zh-CN": '评分角色', "en": 'Role'},
    "summary.col.rater": {"zh-CN": '评分单位', "en": 'Rater'},
    "summary.col.form": {"zh-CN": '表格编号', "en": 'Form'},
    "summary.col.section": {"zh-CN": '考核项目', "en": 'Section'},
    "summary.col.item": {"zh-CN": '项目代码', "en": 'Item'},
    "summary.col.target": {"zh-CN": '考核内容', "en": 'Target'},
    "summary.col.max": {"zh-CN": '分值', "en": 'Max'},
    "summary.col.item_score": {"zh-CN": '得分', "en": 'Score'},
    "summary.col.note": {"zh-CN": '扣分说明', "en": 'Note'},
    "summary.col.counted": {"zh-CN": '计入情况', "en": 'Counted'},
    "summary.col.sha256": {"zh-CN": '文件指纹（SHA-256）', "en": 'File SHA-256'},
    "summary.col.received": {"zh-CN": '收到时间', "en": 'Received'},
    "summary.col.status": {"zh-CN": '状态', "en": 'Status'},
    "summary.col.file": {"zh-CN": '文件', "en": 'File'},
    "summary.col.issues": {"zh-CN": '问题数', "en": 'Issues'},
    "summary.col.number": {"zh-CN": '序号', "en": 'No.'},
    "summary.col.secretary": {"zh-CN": '支部书记', "en": 'Secretary'},
    "summary.col.key": {"zh-CN": '项目', "en": 'Item'},
    "summary.col.value": {"zh-CN": '内容', "en": 'Value'},
    "summary.row.best": {"zh-CN": '最高分', "en": 'Best'},
    "summary.row.max": {"zh-CN": '满分', "en": 'Maximum'},
    "summary.value.yes": {"zh-CN": '是', "en": 'yes'},
    "summary.value.no": {"zh-CN": '否', "en": 'no'},
    "summary.value.counted": {"zh-CN": '计入', "en": 'counted'},
    "summary.value.dropped": {"zh-CN": '去掉最高/最低分，不计入', "en": 'trimmed, not counted'},
    "summary.value.committee": {"zh-CN": '党委决定', "en": 'committee decision'},
    "summary.value.veto_reason": {"zh-CN": '{veto}（{source}{rater}{note}）', "en": '{veto} ({source}{rater}{note})'},
    "summary.sheet.analysis": {"zh-CN": '评分分析', "en": 'Rater analysis'},
    "summary.title.analysis": {"zh-CN": '{round}：评分分析（供复核参考，不影响得分）', "en": '{round}: rater analysis (for review; scores are not changed)'},
    "summary.analysis.inflation": {"zh-CN": '一、自评偏高（自评比考评或互评高出 {points} 分及以上的标红）', "en": '1. Self-inflation (self at least {points} above inspector or peers in red)'},
    "summary.analysis.leniency": {"zh-CN": '二、互评尺度（互评单位平均偏离同一支部其他互评单位 {points} 分及以上的标红）', "en": '2. Peer leniency (mean deviation from the other peers of at least {points} in red)'},
    "summary.analysis.uniform": {"zh-CN": '三、打分无区分度（全部满分，或给每个支部的总分都相同）', "en": '3. Scores that do not discriminate (all full marks, or the same total for everyone)'},
    "summary.analysis.reciprocal": {"zh-CN": '四、互相抬分（两个支部互评都高出共识 {points} 分及以上）', "en": '4. Reciprocal high scoring (both above consensus by at least {points})'},
    "summary.analysis.trimming": {"zh-CN": '五、去掉最高最低分对名次的影响', "en": '5. Whether peer trimming changed ranks'},
    "summary.analysis.trimming.none": {"zh-CN": '去掉最高最低分没有改变任何支部的名次。', "en": "Trimming changed no branch's rank."},
    "summary.analysis.nothing": {"zh-CN": '未发现需要提示的情况。', "en": 'Nothing to flag.'},
    "summary.analysis.flag.inflation": {"zh-CN": '自评偏高', "en": 'self-inflated'},
    "summary.analysis.flag.lenient": {"zh-CN": '偏松', "en": 'lenient'},
    "summary.analysis.flag.harsh": {"zh-CN": '偏严', "en": 'harsh'},
    "summary.analysis.flag.all-full-marks": {"zh-CN": '全部满分', "en": 'all full marks'},
    "summary.analysis.flag.same-total": {"zh-CN": '总分全部相同', "en": 'same total for all'},
    "summary.col.over_inspector": {"zh-CN": '高于考评', "en": 'Over inspector'},
    "summary.col.over_peers": {"zh-CN": '高于互评', "en": 'Over peers'},
    "summary.col.flag": {"zh-CN": '提示', "en": 'Flag'},
    "summary.col.forms": {"zh-CN": '评分表数', "en": 'Forms'},
    "summary.col.deviation": {"zh-CN": '平均偏离', "en": 'Mean deviation'},
    "summary.col.first": {"zh-CN": '支部甲', "en": 'Branch A'},
    "summary.col.second": {"zh-CN": '支部乙', "en": 'Branch B'},
    "summary.col.first_over": {"zh-CN": '甲给乙高出共识', "en": 'A over consensus on B'},
    "summary.col.second_over": {"zh-CN": '乙给甲高出共识', "en": 'B over consensus on A'},
    "summary.col.untrimmed_rank": {"zh-CN": '不去最高最低分时的名次', "en": 'Rank without trimming'},
    "summary.col.this_round": {"zh-CN": '本轮得分', "en": 'This round'},
    "summary.col.combined_with": {"zh-CN": '半年考核得分', "en": 'Half-year'},
    "summary.col.previous": {"zh-CN": '上轮得分', "en": 'Previous round'},
    "summary.col.change": {"zh-CN": '变化', "en": 'Change'},
    "summary.method.combine": {"zh-CN": '合并半年考核', "en": 'Combined with half-year'},
    "summary.method.combine_value": {"zh-CN": '综合得分 = 本轮 × (1 − {weight}) + 半年考核（{round}）× {weight}', "en": 'final = this round × (1 − {weight}) + half-year ({round}) × {weight}'},
    "summary.method.compare": {"zh-CN": '比较轮次', "en": 'Compared with'},
    "summary.method.compare_value": {"zh-CN": '与 {round} 比较，见“上轮得分”“变化”两列', "en": '{round}: see the previous and change columns'},
    "summary.analysis.trimming.not-applied": {"zh-CN": '本轮没有支部的互评表达到 {min} 份，未去掉最高最低分。', "en": 'No branch had {min} or more peer forms, so nothing was trimmed.'},
    "summary.col.remark": {"zh-CN": '备注', "en": 'Remark'},
    "summary.value.incomplete": {"zh-CN": '评分不完整（缺自评或互评）', "en": 'incomplete (self or peer missing)'},
    "summary.method.round": {"zh-CN": '轮次', "en": 'Round'},
    "summary.method.scheme": {"zh-CN": '考核方案', "en": 'Scheme'},
    "summary.method.scheme_hash": {"zh-CN": '方案指纹', "en": 'Scheme hash'},
    "summary.method.weights": {"zh-CN": '权重', "en": 'Weights'},
    "summary.method.weights_value": {"zh-CN": '自评 {self}，互评 {peer}，考评 {inspector}', "en": 'self {self}, peer {peer}, inspector {inspector}'},
    "summary.method.trim": {"zh-CN": '互评去极值', "en": 'Peer trimming'},
    "summary.method.trim_value": {"zh-CN": '互评表不少于 {min} 份时，去掉最高分 {high} 份、最低分 {low} 份后取平均', "en": 'with at least {min} peer forms, drop the {high} highest and {low} lowest totals, then average'},
    "summary.method.missing": {"zh-CN": '缺项处理', "en": 'Missing roles'},
    "summary.method.missing_value": {"zh-CN": '自评：{self}；互评：{peer}；考评：{inspector}', "en": 'self: {self}; peer: {peer}; inspector: {inspector}'},
    "summary.method.policy.renormalise": {"zh-CN": '按其余权重折算', "en": 'weights renormalised'},
    "summary.method.policy.zero": {"zh-CN": '按 0 分计', "en": 'counted as 0'},
    "summary.method.policy.pending": {"zh-CN": '待定（不定级、不排名）', "en": 'pending (not graded, not ranked)'},
    "summary.method.grades": {"zh-CN": '等级标准', "en": 'Grades'},
    "summary.method.grade_value": {"zh-CN": '{name}：综合得分 ≥ {min}', "en": '{name}: final score ≥ {min}'},
    "summary.method.veto": {"zh-CN": '一票否决', "en": 'One-vote veto'},
    "summary.method.veto_value": {"zh-CN": '自评表或考评表任一否决事项为“是”，或党委决定否决的，等级为{grade}，不参加排名', "en": 'a Yes on any veto question of a self or inspector form, or a committee veto: grade {grade}, not ranked'},
    "summary.method.ties": {"zh-CN": '同分处理', "en": 'Ties'},
    "summary.method.ties_value": {"zh-CN": '综合得分相同的，依次比较{roles}得分；仍相同的并列', "en": 'equal final scores are separated by {roles} score; still equal share a rank'},
    "summary.method.rounding": {"zh-CN": '小数', "en": 'Rounding'},
    "summary.method.rounding_value": {"zh-CN": '保留 {decimals} 位小数，四舍五入', "en": '{decimals} decimals, half up'},
    "summary.method.computed": {"zh-CN": '计算时间', "en": 'Computed at'},
    "summary.method.basis": {"zh-CN": '计算依据', "en": 'Basis'},
    "summary.method.basis_value": {"zh-CN": '已采用评分表 {forms} 张（应交 {expected} 张），来自 {files} 个文件；党委否决 {vetoes} 项', "en": '{forms} accepted forms of {expected} expected, from {files} files; {vetoes} committee vetoes'},
    "summary.method.committee": {"zh-CN": '党委否决记录', "en": 'Committee vetoes'},
    # -- feedback --------------------------------------------------------------------------
    "feedback.sheet": {"zh-CN": '考核反馈', "en": 'Feedback'},
    "feedback.title": {"zh-CN": '{round}\n考核结果反馈', "en": '{round}\nAssessment feedback'},
    "feedback.headline": {"zh-CN": '综合得分 {score} 分，等级：{grade}，{place}。', "en": 'Final score {score}, grade: {grade}, {place}.'},
    "feedback.rank": {"zh-CN": '在 {count} 个参加排名的支部中列第 {rank} 名', "en": 'rank {rank} of {count} ranked branches'},
    "feedback.vetoed": {"zh-CN": '因一票否决不参加排名', "en": 'not ranked because of a veto'},
    "feedback.pending": {"zh-CN": '因缺少考评分暂不定级、不排名', "en": 'not graded or ranked yet: no inspector score'},
    "feedback.change": {"zh-CN": '与上轮（{previous} 分）相比变化 {change} 分。', "en": ' Change since the previous round ({previous}): {change}.'},
    "feedback.veto": {"zh-CN": '一票否决：{question} 情况说明：{note}', "en": 'Veto: {question} Details: {note}'},
    "feedback.sections": {"zh-CN": '一、各板块得分', "en": '1. Section scores'},
    "feedback.chart": {"zh-CN": '各板块得分对比', "en": 'Section scores compared'},
    "feedback.losses": {"zh-CN": '二、失分较多的项目', "en": '2. Where points were lost'},
    "feedback.no-losses": {"zh-CN": '各项目均得满分。', "en": 'Full marks on every item.'},
    "feedback.improve": {"zh-CN": '三、建议优先改进', "en": '3. Improve first'},
    "feedback.advice": {"zh-CN": '{number}. {target}（失 {lost} 分）。评分标准：{rule}', "en": '{number}. {target} (lost {lost}). Scoring rule: {rule}'},
    "feedback.anonymous": {"zh-CN": '互评单位{number}', "en": 'Peer {number}'},
    "feedback.col.section": {"zh-CN": '板块', "en": 'Section'},
    "feedback.col.max": {"zh-CN": '满分', "en": 'Max'},
    "feedback.col.own": {"zh-CN": '本支部', "en": 'This branch'},
    "feedback.col.average": {"zh-CN": '平均', "en": 'Average'},
    "feedback.col.best": {"zh-CN": '最高', "en": 'Best'},
    "feedback.col.gap": {"zh-CN": '与最高差距', "en": 'Gap to best'},
    "feedback.col.item": {"zh-CN": '考核内容', "en": 'Target'},
    "feedback.col.lost": {"zh-CN": '失分', "en": 'Lost'},
    "feedback.col.inspector_notes": {"zh-CN": '考评意见', "en": "Inspectors' notes"},
    "feedback.col.peer_notes": {"zh-CN": '互评意见', "en": "Peers' notes"},
    "feedback.done": {"zh-CN": '已为 {count} 个支部生成考核反馈表：{path}', "en": 'Wrote feedback for {count} branches in {path}'},
    # -- handbook (definition, workbook, checks) -------------------------------------------
    "handbook.unreadable": {"zh-CN": "无法读取工作手册定义 {path}：{reason}", "en": "cannot read handbook definition {path}: {reason}"},
    "handbook.invalid": {"zh-CN": "工作手册定义 {path} 有 {count} 处问题：", "en": "handbook definition {path} has {count} problem(s):"},
    "handbook.bad-choice": {"zh-CN": "“{field}”应为 {choices} 之一，实际为“{value}”", "en": "'{field}' must be one of {choices}, got '{value}'"},
    "handbook.bad-integer": {"zh-CN": "“{field}”应为不小于 0 的整数，实际为“{value}”", "en": "'{field}' must be a whole number of at least 0, got '{value}'"},
    "handbook.not-text-list": {"zh-CN": "“{field}”应为文字列表", "en": "'{field}' must be a list of texts"},
    "handbook.bad-rate": {"zh-CN": "交纳比例 {value} 应在 0 至 1 之间（小数，如 0.005）", "en": "rate {value} must lie between 0 and 1 (a fraction, e.g. 0.005)"},
    "handbook.brackets-open": {"zh-CN": "党费档次中只有最后一档的 up_to 为 null（无上限）", "en": "only the last dues bracket has up_to: null (no limit)"},
    "handbook.brackets-order": {"zh-CN": "党费档次的上限应由低到高排列", "en": "dues brackets must be listed with rising upper limits"},
    "handbook.unknown-stage": {"zh-CN": "时间间隔所依据的阶段“{value}”不在此前的阶段中（可选：{choices}）", "en": "the interval counts from stage '{value}', which is not an earlier stage (choose from {choices})"},
    "handbook.interval-unit": {"zh-CN": "时间间隔须且只能写 months 或 days 其中一项", "en": "an interval needs exactly one of months or days"},
    "handbook.missing-part": {"zh-CN": "缺少说明部分“{value}”", "en": "text part '{value}' is missing"},
    "handbook.empty": {"zh-CN": "“{field}”不能为空", "en": "'{field}' must not be empty"},
    "handbook.categories": {"zh-CN": "党员类别须恰好为 {choices} 两类", "en": "member categories must be exactly {choices}"},
    "handbook.sheet.basic_info": {"zh-CN": "基本情况", "en": "Basic Information"},
    "handbook.sheet.members": {"zh-CN": "党员名册", "en": "Members"},
    "handbook.sheet.activities": {"zh-CN": "工作记录", "en": "Activities"},
    "handbook.sheet.dues": {"zh-CN": "党费收缴", "en": "Dues"},
    "handbook.sheet.admissions": {"zh-CN": "发展党员", "en": "Admissions"},
    "handbook.sheet.handover": {"zh-CN": "换届交接", "en": "Handover"},
    "handbook.sheet-title": {"zh-CN": "{title}：{sheet}", "en": "{title}: {sheet}"},
    "handbook.sheet-info": {"zh-CN": "党支部：{branch}    年度：{year}年    表格编号：{form_id}", "en": "Branch: {branch}    Year: {year}    Form: {form_id}"},
    "handbook.year": {"zh-CN": "{year}年度", "en": "{year}"},
    "handbook.cover-note": {"zh-CN": "本手册随“{round}”下发（编号 {form_id}）。只在浅黄色单元格中填写，填好后将本工作簿原样发回，不要增删、改名工作表。", "en": "Sent with '{round}' (form {form_id}). Type only into the light yellow cells and return this workbook as it is; do not add, remove or rename sheets."},
    "handbook.basic.general": {"zh-CN": "一、支部概况", "en": "1. Branch profile"},
    "handbook.basic.committee": {"zh-CN": "二、支部委员会成员", "en": "2. Branch committee"},
    "handbook.basic.counts": {"zh-CN": "三、党员人数", "en": "3. Members"},
    "handbook.col.number": {"zh-CN": "序号", "en": "No."},
    "handbook.col.name": {"zh-CN": "姓名", "en": "Name"},
    "handbook.col.gender": {"zh-CN": "性别", "en": "Sex"},
    "handbook.col.birth": {"zh-CN": "出生日期", "en": "Born"},
    "handbook.col.category": {"zh-CN": "类别", "en": "Category"},
    "handbook.col.joined": {"zh-CN": "入党日期", "en": "Admitted"},
    "handbook.col.full_date": {"zh-CN": "转正日期", "en": "Full member since"},
    "handbook.col.group": {"zh-CN": "党小组", "en": "Party group"},
    "handbook.col.phone": {"zh-CN": "联系电话", "en": "Phone"},
    "handbook.col.note": {"zh-CN": "备注", "en": "Notes"},
    "handbook.col.date": {"zh-CN": "日期", "en": "Date"},
    "handbook.col.type": {"zh-CN": "类型", "en": "Type"},
    "handbook.col.topic": {"zh-CN": "主题", "en": "Topic"},
    "handbook.col.present": {"zh-CN": "实到人数", "en": "Present"},
    "handbook.col.absent": {"zh-CN": "缺席人员及原因", "en": "Absent, and why"},
    "handbook.col.chair": {"zh-CN": "主持人", "en": "Chair"},
    "handbook.col.recorder": {"zh-CN": "记录人", "en": "Recorder"},
    "handbook.col.month": {"zh-CN": "月份", "en": "Month"},
    "handbook.col.base": {"zh-CN": "计算基数（元）", "en": "Base (yuan)"},
    "handbook.col.status": {"zh-CN": "在职/离退休", "en": "Employed/retired"},
    "handbook.col.rate": {"zh-CN": "交纳比例", "en": "Rate"},
    "handbook.col.due": {"zh-CN": "应交（元）", "en": "Due (yuan)"},
    "handbook.col.paid": {"zh-CN": "实交（元）", "en": "Paid (yuan)"},
    "handbook.col.paid_on": {"zh-CN": "交纳日期", "en": "Paid on"},
    "handbook.col.bracket": {"zh-CN": "档次", "en": "Bracket"},
    "handbook.col.bracket_base": {"zh-CN": "每月计算基数", "en": "Monthly base"},
    "handbook.col.stage": {"zh-CN": "阶段", "en": "Stage"},
    "handbook.col.interval": {"zh-CN": "时间要求", "en": "When"},
    "handbook.col.committee_post": {"zh-CN": "职务", "en": "Post"},
    "handbook.col.committee_name": {"zh-CN": "姓名", "en": "Name"},
    "handbook.col.committee_start": {"zh-CN": "任职时间", "en": "In post since"},
    "handbook.col.committee_end": {"zh-CN": "任期届满时间", "en": "Term ends"},
    "handbook.col.committee_note": {"zh-CN": "备注", "en": "Notes"},
    "handbook.col.count": {"zh-CN": "人数", "en": "Number"},
    "handbook.col.total": {"zh-CN": "合计", "en": "Total"},
    "handbook.col.reference": {"zh-CN": "工作手册记录（供参考）", "en": "Handbook records (for reference)"},
    "handbook.dues.employed": {"zh-CN": "在职", "en": "Employed"},
    "handbook.dues.retired": {"zh-CN": "离退休", "en": "Retired"},
    "handbook.documents.dues": {"zh-CN": "附：党费交纳标准", "en": "Annex: Party dues rates"},
    "handbook.documents.brackets.employed": {"zh-CN": "在职党员（按月工资收入）", "en": "Members in work (monthly pay)"},
    "handbook.documents.brackets.retired": {"zh-CN": "离退休党员（按月离退休费）", "en": "Retired members (monthly pension)"},
    "handbook.documents.dues-notes": {"zh-CN": "附：党费交纳说明", "en": "Annex: notes on dues"},
    "handbook.documents.stages": {"zh-CN": "附：发展党员各阶段及时间要求", "en": "Annex: admission stages and their timing"},
    "handbook.bracket.number": {"zh-CN": "第{number}档", "en": "{number}"},
    "handbook.bracket.first": {"zh-CN": "{up_to} 元及以下", "en": "up to {up_to} yuan"},
    "handbook.bracket.middle": {"zh-CN": "{low} 元以上至 {up_to} 元", "en": "over {low}, up to {up_to} yuan"},
    "handbook.bracket.above": {"zh-CN": "{low} 元以上", "en": "over {low} yuan"},
    "handbook.months": {"zh-CN": "{count} 个月", "en": "{count} months"},
    "handbook.days": {"zh-CN": "{count} 天", "en": "{count} days"},
    "handbook.interval.min": {"zh-CN": "距“{stage}”不少于 {amount}", "en": "at least {amount} after '{stage}'"},
    "handbook.interval.after": {"zh-CN": "在“{stage}”之后", "en": "after '{stage}'"},
    "handbook.interval.max": {"zh-CN": "距“{stage}”不超过 {amount}", "en": "at most {amount} after '{stage}'"},
    "handbook.prompt.date": {"zh-CN": "请按“年-月-日”填写日期，例如 2026-03-01。", "en": "Enter a date as year-month-day, e.g. 2026-03-01."},
    "handbook.error.date": {"zh-CN": "这里只能填写日期，例如 2026-03-01。", "en": "Only a date can be entered here, e.g. 2026-03-01."},
    "handbook.prompt.integer": {"zh-CN": "请填写整数。", "en": "Enter a whole number."},
    "handbook.error.integer": {"zh-CN": "这里只能填写不小于 0 的整数。", "en": "Only a whole number of at least 0 can be entered here."},
    "handbook.prompt.month": {"zh-CN": "请填写 1 至 12 的月份。", "en": "Enter the month, 1 to 12."},
    "handbook.error.month": {"zh-CN": "月份只能是 1 至 12。", "en": "The month must be 1 to 12."},
    "handbook.prompt.number": {"zh-CN": "请填写金额（元），例如 52.5。", "en": "Enter an amount in yuan, e.g. 52.5."},
    "handbook.error.number": {"zh-CN": "这里只能填写不小于 0 的数字。", "en": "Only a number of at least 0 can be entered here."},
    "handbook.prompt.choice": {"zh-CN": "请从下拉列表中选择。", "en": "Choose from the list."},
    "handbook.error.choice": {"zh-CN": "只能选择下拉列表中的选项。", "en": "Only the options in the list can be entered here."},
    "handbook.expected.integer": {"zh-CN": "不小于 0 的整数", "en": "whole number of at least 0"},
    "handbook.expected.month": {"zh-CN": "有效的月份（1 至 12）", "en": "month from 1 to 12"},
    "handbook.expected.number": {"zh-CN": "不小于 0 的数字", "en": "number of at least 0"},
    "handbook.what.field": {"zh-CN": "“{field}”", "en": "'{field}'"},
    "handbook.what.post": {"zh-CN": "{post}的“{column}”", "en": "the {post}'s '{column}'"},
    "handbook.what.row": {"zh-CN": "第 {number} 条记录的“{column}”", "en": "'{column}' of entry {number}"},
    "handbook.generated": {"zh-CN": "已生成 {count} 册党支部工作手册，保存在 {path}", "en": "Generated {count} branch work handbooks in {path}"},
    "handbook.carried": {"zh-CN": "  其中 {count} 册已按上一轮（{path}）采用的工作手册预填基本情况和党员名册", "en": "  {count} of them prefilled with the basic information and member roll accepted in {path}"},
    # -- records consolidation ---------------------------------------------------------------
    "records.no-handbooks": {"zh-CN": "{path} 尚未生成工作手册，请先运行 sheetops generate。", "en": "{path} has no handbooks yet: run sheetops generate first."},
    "records.summary": {"zh-CN": "工作手册：{branches} 个支部，已采用 {accepted} 册，尚缺 {missing} 册。", "en": "Handbooks: {branches} branches, {accepted} accepted, {missing} missing."},
    "records.missing": {"zh-CN": "尚缺：{codes}", "en": "Missing: {codes}"},
    "records.findings": {"zh-CN": "会议未达要求 {meetings} 项，党费差异 {dues} 笔，发展党员程序提示 {flags} 项。", "en": "{meetings} meeting types short of the requirement, {dues} dues discrepancies, {flags} admission steps flagged."},
    "records.written": {"zh-CN": "记录汇总表：{path}", "en": "Records workbook: {path}"},
    "records.metric.meetings": {"zh-CN": "{name}：{held}/{required} 次", "en": "{name}: {held}/{required}"},
    "records.metric.meetings-free": {"zh-CN": "{name}：{held} 次", "en": "{name}: {held}"},
    "records.metric.activities": {"zh-CN": "工作记录 {count} 条", "en": "{count} activities recorded"},
    "records.metric.members": {"zh-CN": "党员 {count} 人（正式 {full}，预备 {probationary}）", "en": "{count} members ({full} full, {probationary} probationary)"},
    "records.metric.dues": {"zh-CN": "党费实交 {paid} 元 / 应交 {due} 元", "en": "dues paid {paid} of {due} yuan"},
    "records.metric.dues-discrepancies": {"zh-CN": "党费差异 {count} 笔", "en": "{count} dues discrepancies"},
    "records.metric.admissions": {"zh-CN": "发展党员 {count} 人", "en": "{count} applicants"},
    "records.metric.admissions-flagged": {"zh-CN": "发展党员程序提示 {count} 项", "en": "{count} admission steps flagged"},
    "records.metric.handover": {"zh-CN": "换届交接 {count} 次", "en": "{count} handovers"},
    "records.sheet.overview": {"zh-CN": "汇总", "en": "Overview"},
    "records.sheet.members": {"zh-CN": "党员名册", "en": "Members"},
    "records.sheet.meetings": {"zh-CN": "会议情况", "en": "Meetings"},
    "records.sheet.dues": {"zh-CN": "党费汇总", "en": "Dues"},
    "records.sheet.discrepancies": {"zh-CN": "党费差异", "en": "Dues discrepancies"},
    "records.sheet.admissions": {"zh-CN": "发展党员", "en": "Admissions"},
    "records.title.overview": {"zh-CN": "{round}：工作手册记录汇总（截至 {as_of}）", "en": "{round}: handbook records (as of {as_of})"},
    "records.title.members": {"zh-CN": "{round}：全体党员名册", "en": "{round}: all members"},
    "records.title.meetings": {"zh-CN": "{round}：各支部会议次数与要求（未达要求的标红）", "en": "{round}: meetings per quarter against the requirement (shortfalls in red)"},
    "records.title.dues": {"zh-CN": "{round}：党费收缴汇总（应交按党费标准重新计算）", "en": "{round}: dues totals (amounts due recomputed from the brackets)"},
    "records.title.discrepancies": {"zh-CN": "{round}：党费实交与应交不符的记录", "en": "{round}: months where dues paid differ from dues due"},
    "records.title.admissions": {"zh-CN": "{round}：发展党员进度（截至 {as_of}；过早、过晚和逾期的步骤标红）", "en": "{round}: admission pipeline (as of {as_of}; early, late and overdue steps in red)"},
    "records.col.code": {"zh-CN": "代码", "en": "Code"},
    "records.col.name": {"zh-CN": "支部名称", "en": "Branch"},
    "records.col.handbook": {"zh-CN": "工作手册", "en": "Handbook"},
    "records.col.full": {"zh-CN": "正式党员", "en": "Full"},
    "records.col.probationary": {"zh-CN": "预备党员", "en": "Probationary"},
    "records.col.members": {"zh-CN": "党员合计", "en": "Members"},
    "records.col.activities": {"zh-CN": "工作记录", "en": "Activities"},
    "records.col.short_meetings": {"zh-CN": "会议未达要求（项）", "en": "Meeting types short"},
    "records.col.due": {"zh-CN": "应交（元）", "en": "Due"},
    "records.col.paid": {"zh-CN": "实交（元）", "en": "Paid"},
    "records.col.difference": {"zh-CN": "差额（元）", "en": "Difference"},
    "records.col.discrepancies": {"zh-CN": "差异笔数", "en": "Discrepancies"},
    "records.col.applicants": {"zh-CN": "发展党员（人）", "en": "Applicants"},
    "records.col.flags": {"zh-CN": "程序提示", "en": "Flags"},
    "records.col.member": {"zh-CN": "姓名", "en": "Name"},
    "records.col.gender": {"zh-CN": "性别", "en": "Sex"},
    "records.col.birth": {"zh-CN": "出生日期", "en": "Born"},
    "records.col.category": {"zh-CN": "类别", "en": "Category"},
    "records.col.joined": {"zh-CN": "入党日期", "en": "Admitted"},
    "records.col.full_date": {"zh-CN": "转正日期", "en": "Full member since"},
    "records.col.group": {"zh-CN": "党小组", "en": "Party group"},
    "records.col.phone": {"zh-CN": "联系电话", "en": "Phone"},
    "records.col.note": {"zh-CN": "备注", "en": "Notes"},
    "records.col.meeting": {"zh-CN": "会议类型", "en": "Meeting"},
    "records.col.frequency": {"zh-CN": "要求", "en": "Required"},
    "records.col.q1": {"zh-CN": "一季度", "en": "Q1"},
    "records.col.q2": {"zh-CN": "二季度", "en": "Q2"},
    "records.col.q3": {"zh-CN": "三季度", "en": "Q3"},
    "records.col.q4": {"zh-CN": "四季度", "en": "Q4"},
    "records.col.held": {"zh-CN": "本期召开", "en": "Held"},
    "records.col.required": {"zh-CN": "本期应开", "en": "Required"},
    "records.col.shortfall": {"zh-CN": "未达要求", "en": "Short in"},
    "records.col.entries": {"zh-CN": "记录笔数", "en": "Entries"},
    "records.col.row": {"zh-CN": "行号", "en": "Row"},
    "records.col.month": {"zh-CN": "月份", "en": "Month"},
    "records.col.kind": {"zh-CN": "情况", "en": "Kind"},
    "records.col.reached": {"zh-CN": "当前阶段", "en": "Reached"},
    "records.col.next": {"zh-CN": "下一阶段", "en": "Next"},
    "records.col.earliest": {"zh-CN": "最早可于", "en": "Not before"},
    "records.col.due_by": {"zh-CN": "最迟应于", "en": "Due by"},
    "records.frequency.monthly": {"zh-CN": "每月 {count} 次", "en": "{count} a month"},
    "records.frequency.quarterly": {"zh-CN": "每季度 {count} 次", "en": "{count} a quarter"},
    "records.frequency.yearly": {"zh-CN": "每年 {count} 次", "en": "{count} a year"},
    "records.frequency.none": {"zh-CN": "不作要求", "en": "no requirement"},
    "records.quarter.1": {"zh-CN": "一季度", "en": "Q1"},
    "records.quarter.2": {"zh-CN": "二季度", "en": "Q2"},
    "records.quarter.3": {"zh-CN": "三季度", "en": "Q3"},
    "records.quarter.4": {"zh-CN": "四季度", "en": "Q4"},
    "records.value.year": {"zh-CN": "全年", "en": "the year"},
    "records.value.accepted": {"zh-CN": "已采用", "en": "accepted"},
    "records.value.missing": {"zh-CN": "未交", "en": "missing"},
    "records.kind.unpaid": {"zh-CN": "未交", "en": "unpaid"},
    "records.kind.underpaid": {"zh-CN": "少交", "en": "underpaid"},
    "records.kind.overpaid": {"zh-CN": "多交", "en": "overpaid"},
    "records.flag.too-early": {"zh-CN": "“{stage}”过早：距“{reference}”时间不足，最早应为 {limit}", "en": "'{stage}' too early: not before {limit} (counted from '{reference}')"},
    "records.flag.too-late": {"zh-CN": "“{stage}”过晚：应不迟于 {limit}（自“{reference}”起算）", "en": "'{stage}' too late: due by {limit} (counted from '{reference}')"},
    "records.flag.overdue": {"zh-CN": "“{stage}”已逾期：应不迟于 {limit}（自“{reference}”起算）", "en": "'{stage}' overdue: due by {limit} (counted from '{reference}')"},
    "records.check.sheet": {"zh-CN": "记录核对", "en": "Records check"},
    "records.check.title": {"zh-CN": "{round}：可量化项目的综合得分与工作手册记录对照", "en": "{round}: merged scores of quantifiable items beside the handbook records"},
    "records.check.col.code": {"zh-CN": "代码", "en": "Code"},
    "records.check.col.name": {"zh-CN": "支部名称", "en": "Branch"},
    "records.check.col.item": {"zh-CN": "项目代码", "en": "Item"},
    "records.check.col.target": {"zh-CN": "考核内容", "en": "Target"},
    "records.check.col.max": {"zh-CN": "分值", "en": "Max"},
    "records.check.col.score": {"zh-CN": "综合得分", "en": "Merged score"},
    "records.check.col.metric": {"zh-CN": "工作手册记录", "en": "Handbook records"},
    "records.check.no-handbook": {"zh-CN": "未交工作手册", "en": "no handbook"},
    # -- demo ------------------------------------------------------------------------------
    "demo.exists": {
        "zh-CN": "{path} 已存在且不是空目录。请指定一个新目录，例如：sheetops demo 新目录",
        "en": "{path} exists and is not empty. Name a new folder: sheetops demo NEW_FOLDER",
    },
    "demo.filled": {
        "zh-CN": "（演示）各支部和巡查组已填好评分表并发回，放在 {path}",
        "en": "(demo) branches and inspectors have filled in and returned their forms: {path}",
    },
    "demo.open": {
        "zh-CN": "请打开汇总表：{path}",
        "en": "Open the summary: {path}",
    },
}


CATALOG: Final[Mapping[str, Mapping[str, str]]] = {**_CORE, **MAIL_TEXTS}


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself translated when the message is rendered.

    ``key`` is a catalog key (rendered with ``params``) or a scheme field name (rendered as
    the field and its Chinese label).
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The term in ``lang``."""
        if self.key in CATALOG:
            return text(lang, self.key, **self.params)
        return field_label(self.key, lang)


FIELD_LABELS: Final[Mapping[str, str]] = {
    "id": "代码",
    "version": "版本",
    "language": "语言",
    "title": "名称",
    "total": "满分",
    "pending_grade": "待定等级名称",
    "sections": "考核板块",
    "items": "考核项目",
    "target": "考核内容",
    "rule": "评分标准",
    "max": "分值",
    "step": "计分单位",
    "metric": "记录指标",
    "vetoes": "否决事项",
    "text": "内容",
    "grades": "等级",
    "name": "等级名称",
    "min": "最低分",
}


def field_label(field: str, lang: str) -> str:
    """Return how a scheme field is named to a reader of ``lang`` (``target（考核内容）``)."""
    if lang == "zh-CN" and field in FIELD_LABELS:
        return f"{field}（{FIELD_LABELS[field]}）"
    return field


def check_language(value: str) -> str:
    """Return ``value`` if it is a supported language code.

    Args:
        value: a language code such as ``zh-CN``.

    Returns:
        The same code.

    Raises:
        ValueError: the language is not supported.
    """
    if value not in LANGUAGES:
        raise ValueError(value)
    return value


def text(lang: str, key: str, /, **params: object) -> str:
    """Render the message ``key`` in ``lang`` with ``params``.

    Args:
        lang: language code; unknown codes fall back to the default language.
        key: a key of :data:`CATALOG`.
        **params: values for the template's named fields.

    Returns:
        The rendered sentence.

    Raises:
        KeyError: ``key`` is not in the catalog (a bug, not a user error).
    """
    templates = CATALOG[key]
    template = templates.get(lang) or templates[DEFAULT_LANGUAGE]
    rendered = {
        name: value.render(lang) if isinstance(value, Term) else value
        for name, value in params.items()
    }
    return template.format(**rendered)
