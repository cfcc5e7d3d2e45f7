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
    "expected.boolean": ("应为 true（是）或 false（否），不加引号", "true or false, without quotes"),
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
    "system.disk-full": (
        "磁盘已满，无法写入 {path}。请清理出空间后重新运行；此前已写好的内容不受影响。",
        "The disk is full: {path} cannot be written. Free some space and run again; what "
        "was written before is unaffected.",
    ),
    "system.read-only": (
        "{path} 所在的位置是只读的，无法写入。请把轮次目录复制到可写的位置再运行。",
        "{path} is on a read-only disk. Copy the round folder somewhere writable and run "
        "again.",
    ),
    "system.in-use": (
        "无法写入 {path}：文件正被其他程序打开，或没有写入权限。请先在 Excel 或 WPS 中关闭"
        "该文件，再重新运行。",
        "Cannot write {path}: another program has it open, or it may not be written. Close "
        "it in Excel or WPS first, then run again.",
    ),
    "system.missing": (
        "找不到 {path}。请检查路径是否写对，文件夹是否还在。",
        "{path} does not exist. Check the path and that the folder is still there.",
    ),
    "system.is-folder": (
        "{path} 是一个文件夹，这里需要的是文件。",
        "{path} is a folder; a file is needed here.",
    ),
    "system.not-folder": (
        "{path} 中有一段不是文件夹，请检查路径。",
        "Part of {path} is not a folder; check the path.",
    ),
    "system.name-too-long": (
        "路径太长：{path}。请把轮次目录移到路径较短的位置后再运行。",
        "The path is too long: {path}. Move the round folder somewhere shorter and run again.",
    ),
    "system.other": (
        "无法读写 {path}：{reason}",
        "Cannot read or write {path}: {reason}",
    ),
    "system.bug": (
        "程序内部出错（不是您的操作有误）。详细信息已保存到 {path}，请把该文件发给系统维护人员。",
        "An internal error (not a mistake of yours). The details are saved in {path}: please "
        "send that file to whoever maintains sheetops.",
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
