"""Texts people read, in the round's language.

Every sentence a branch or committee staff member reads comes from :data:`CATALOG`, keyed by a
stable message key, with one template per language. Code never builds user-facing sentences
from fragments; it picks a key and passes named parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

LANGUAGES: Final = ("zh-CN", "en")
DEFAULT_LANGUAGE: Final = "zh-CN"

CATALOG: Final[Mapping[str, Mapping[str, str]]] = {
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
    # -- demo ------------------------------------------------------------------------------
    "demo.exists": {
        "zh-CN": "{path} 已存在且不是空目录。请指定一个新目录，例如：sheetops demo 新目录",
        "en": "{path} exists and is not empty. Name a new folder: sheetops demo NEW_FOLDER",
    },
    "demo.open": {
        "zh-CN": "可以打开：{path}",
        "en": "Open: {path}",
    },
}


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself translated when the message is rendered."""

    key: str


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
        name: field_label(value.key, lang) if isinstance(value, Term) else value
        for name, value in params.items()
    }
    return template.format(**rendered)
