"""The scoring scheme: checking and exporting it, and what each problem in it means."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "scheme.unreadable": (
        "无法读取考核方案 {path}：{reason}",
        "cannot read scoring scheme {path}: {reason}",
    ),
    "scheme.unknown-format": (
        "无法识别考核方案文件 {path}：应为 .yaml 或 .xlsx 文件",
        "cannot tell the format of scoring scheme {path}: expected a .yaml or .xlsx file",
    ),
    "scheme.invalid": (
        "考核方案 {path} 有 {count} 处问题：",
        "scoring scheme {path} has {count} problem(s):",
    ),
    "scheme.ok": (
        "考核方案 {path} 检查通过：{sections} 个板块，{items} 个考核项目，满分 {total} 分，{vetoes} 项一票否决事项。",
        "scoring scheme {path} is valid: {sections} sections, {items} items, {total} points in all, {vetoes} veto questions.",
    ),
    "scheme.exported": (
        "已导出考核方案“{title}”到 {path}。",
        "Exported scoring scheme '{title}' to {path}.",
    ),
    "scheme.missing-field": ("缺少“{field}”", "'{field}' is missing"),
    "scheme.empty-text": ("“{field}”不能为空", "'{field}' must not be empty"),
    "scheme.not-a-list": ("“{field}”应为列表", "'{field}' must be a list"),
    "scheme.not-a-mapping": ("此处应为键值表", "expected a mapping here"),
    "scheme.bad-id": (
        "代码“{value}”格式不对：须以英文字母开头，只含英文字母、数字和下划线，不超过 40 个字符",
        "id '{value}' is malformed: it must start with a letter and contain only letters, digits and underscores, at most 40 characters",
    ),
    "scheme.duplicate-veto-name": (
        "否决事项名称“{value}”重复或与另一事项的代码相同（首次出现在 {first}）",
        "veto name '{value}' is used twice or is another veto's id (first at {first})",
    ),
    "scheme.duplicate-id": (
        "代码“{value}”重复（首次出现在 {first}）",
        "id '{value}' is used twice (first at {first})",
    ),
    "scheme.bad-number": (
        "“{field}”应为数字，实际为“{value}”",
        "'{field}' must be a number, got '{value}'",
    ),
    "scheme.not-positive": (
        "“{field}”应大于 0，实际为 {value}",
        "'{field}' must be greater than 0, got {value}",
    ),
    "scheme.max-not-multiple": (
        "分值 {max} 不是步长 {step} 的整数倍",
        "max {max} is not a multiple of step {step}",
    ),
    "scheme.section-empty": ("板块“{section}”没有考核项目", "section '{section}' has no items"),
    "scheme.total-mismatch": (
        "各项分值合计 {actual} 分，与满分 {expected} 分不符",
        "item maxima add up to {actual}, but the total is {expected}",
    ),
    "scheme.no-sections": ("方案中没有任何考核板块", "the scheme has no sections"),
    "scheme.no-grades": ("方案中没有等级设置", "the scheme defines no grades"),
    "scheme.grades-order": (
        "等级应按分数线从高到低排列，最后一级分数线为 0",
        "grades must be listed from the highest threshold down, the last one at 0",
    ),
    "scheme.bad-language": (
        "语言“{value}”不受支持，可选：zh-CN、en",
        "language '{value}' is not supported; use zh-CN or en",
    ),
    "scheme.inconsistent-section": (
        "板块“{section}”的名称前后不一致：“{first}”与“{other}”",
        "section '{section}' has two titles: '{first}' and '{other}'",
    ),
    "scheme.missing-sheet": ("缺少工作表“{sheet}”", "worksheet '{sheet}' is missing"),
    "scheme.missing-column": ("工作表缺少列“{column}”", "the worksheet has no column '{column}'"),
}
