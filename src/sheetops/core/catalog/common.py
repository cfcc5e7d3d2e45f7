"""Texts every part uses: severities, roles, what a setting expects, list joins."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "problem.with-warning": ("{message}（提示）", "{message} (warning)"),
    "error.unknown-language": (
        "不支持的语言“{value}”，可选：{choices}",
        "unsupported language '{value}'; choose one of {choices}",
    ),
    "expected.table": ("应为一个表（[节]）", "a table"),
    "expected.integer": ("应为不小于 {low} 的整数", "an integer ≥ {low}"),
    "expected.date": ("应为日期，例如 2026-12-31", "a date such as 2026-12-31"),
    "expected.number": ("应为不小于 0 的数", "a number ≥ 0"),
    "expected.weights": ("三项权重之和应为 1", "the weights must add up to 1"),
    "expected.roles": ("应为由 self、peer、inspector 组成的列表", "a list of self, peer, inspector"),
    "expected.file": ("应为本目录中的文件名", "a file name in the round folder"),
    "expected.text": ("应为文字（加引号）", "text in quotes"),
    "expected.folder": ("应为加引号的目录路径，或留空", "a folder path in quotes, or empty"),
    "expected.seconds": ("应为大于 0 的秒数", "a number of seconds > 0"),
    "expected.choice": ("可选：{choices}", "one of {choices}"),
    "expected.min-forms": (
        "应大于去掉的份数（最高分 {high} 份加最低分 {low} 份），即至少为 {least}，否则去掉最高、"
        "最低分后可能一份互评表也不剩。请改大 min_forms，或减少 drop_highest、drop_lowest",
        "it must be larger than the forms trimming drops ({high} highest plus {low} lowest), "
        "so at least {least}: otherwise trimming could leave no peer form to average. Raise "
        "min_forms, or lower drop_highest or drop_lowest",
    ),
    "expected.half-year": (
        '合并的轮次应为半年考核（period = "half-year"）',
        "the combined round must be a half-year round",
    ),
    "role.self": ("自评", "Self"),
    "role.peer": ("互评", "Peer"),
    "role.inspector": ("考评", "Inspection"),
    "item.label": ("第{number}项“{target}”", "item {number} '{target}'"),
    "severity.error": ("错误", "error"),
    "severity.warning": ("提示", "warning"),
    "join.items": ("、", ", "),
    "join.clauses": ("；", "; "),
    "join.counts": ("，", ", "),
    "join.labelled": ("{label}：{value}", "{label}: {value}"),
    "join.named": ("{name}（{code}）", "{name} ({code})"),
    # how a scheme field is named in messages (``target（考核内容）``)
    "field.id": ("id（代码）", "id"),
    "field.version": ("version（版本）", "version"),
    "field.language": ("language（语言）", "language"),
    "field.title": ("title（名称）", "title"),
    "field.total": ("total（满分）", "total"),
    "field.pending_grade": ("pending_grade（待定等级名称）", "pending_grade"),
    "field.sections": ("sections（考核板块）", "sections"),
    "field.items": ("items（考核项目）", "items"),
    "field.target": ("target（考核内容）", "target"),
    "field.rule": ("rule（评分标准）", "rule"),
    "field.max": ("max（分值）", "max"),
    "field.step": ("step（计分单位）", "step"),
    "field.metric": ("metric（记录指标）", "metric"),
    "field.vetoes": ("vetoes（否决事项）", "vetoes"),
    "field.text": ("text（内容）", "text"),
    "field.grades": ("grades（等级）", "grades"),
    "field.name": ("name（等级名称）", "name"),
    "field.min": ("min（最低分）", "min"),
    "font.body": ("宋体", "Calibri"),
    "font.title": ("黑体", "Calibri"),
    "cli.error-prefix": ("错误：", "Error: "),
    "date.long": ("{year}年{month}月{day}日", "{year}-{month:02d}-{day:02d}"),
    "expected.timezone": (
        "应为时区名称，例如 Asia/Shanghai",
        "a time zone name such as Asia/Shanghai",
    ),
    "expected.url": (
        "应为以 https:// 或 http:// 开头的网址",
        "an address starting with https:// or http://",
    ),
    "expected.date-or-empty": (
        "应为日期（如 2026-12-31），或留空（\"\"）",
        "a date such as 2026-12-31, or empty (\"\")",
    ),
}
