"""The roster of branches, inspectors and peer assignments."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "roster.unreadable": ("无法读取名册 {path}：{reason}", "cannot read roster {path}: {reason}"),
    "roster.invalid": ("名册 {path} 有 {count} 处问题：", "roster {path} has {count} problem(s):"),
    "roster.missing-sheet": (
        "缺少工作表“{sheet}”（工作表名可以是：{aliases}）",
        "worksheet '{sheet}' is missing (accepted names: {aliases})",
    ),
    "roster.missing-column": (
        "缺少“{column}”列（表头可以是：{aliases}）",
        "column '{column}' is missing (accepted headers: {aliases})",
    ),
    "roster.names": ("{chinese} / {english}", "{english} / {chinese}"),
    "roster.sheet.branches": ("支部", "branches"),
    "roster.sheet.inspectors": ("巡查组", "inspectors"),
    "roster.sheet.peers": ("互评", "peers"),
    "roster.column.branches.code": ("支部代码", "code"),
    "roster.column.branches.name": ("支部名称", "name"),
    "roster.column.branches.secretary": ("书记", "secretary"),
    "roster.column.branches.email": ("邮箱", "email"),
    "roster.column.branches.phone": ("电话", "phone"),
    "roster.column.branches.members": ("党员人数", "members"),
    "roster.column.inspectors.code": ("巡查组代码", "code"),
    "roster.column.inspectors.name": ("巡查组名称", "name"),
    "roster.column.inspectors.email": ("邮箱", "email"),
    "roster.column.inspectors.branches": ("负责支部", "branches"),
    "roster.column.peers.rater": ("评分支部", "rater"),
    "roster.column.peers.target": ("被评支部", "target"),
    "roster.bad-code": (
        "代码“{value}”格式不对：只能含字母、数字、点、横线和下划线，不超过 20 个字符",
        "code '{value}' is malformed: letters, digits, '.', '-' and '_' only, at most 20 characters",
    ),
    "roster.empty-code": ("代码为空", "the code is empty"),
    "roster.empty-name": ("“{code}”的名称为空", "'{code}' has no name"),
    "roster.duplicate-code": (
        "代码“{code}”重复（首次出现在 {first}）",
        "code '{code}' is used twice (first at {first})",
    ),
    "roster.unknown-branch": (
        "支部代码“{code}”不在“支部”表中",
        "branch code '{code}' is not in the branches sheet",
    ),
    "roster.self-peer": ("支部“{code}”被安排给自己互评", "branch '{code}' is assigned to rate itself"),
    "roster.duplicate-peer": (
        "互评安排“{rater} → {target}”重复（首次出现在 {first}）",
        "peer assignment '{rater} → {target}' appears twice (first at {first})",
    ),
    "roster.too-many-peers": (
        "每个支部安排 {peers} 个互评支部，但名册只有 {branches} 个支部（最多可安排 {most} 个）",
        "{peers} peer raters per branch were asked for, but the roster has only {branches} branches (at most {most} possible)",
    ),
    "roster.no-branches": ("“支部”表中没有任何支部", "the branches sheet lists no branch"),
    "roster.no-inspectors": (
        "“巡查组”表中没有任何巡查人员，所有支部将缺少考评分",
        "the inspectors sheet lists nobody: every branch will lack inspector scores",
    ),
    "roster.missing-email": (
        "“{code}”没有填写邮箱，无法通过邮件发送",
        "'{code}' has no email address and cannot be sent mail",
    ),
    "roster.line-break": (
        "“{code}”这一格里有换行或不可见的控制字符，请删去（在 Excel 中换行是按 Alt+Enter 输入的）",
        "'{code}': this cell holds a line break or an invisible control character; remove it "
        "(Excel enters a line break with Alt+Enter)",
    ),
    "roster.bad-members": (
        "“{code}”的党员人数“{value}”不是正整数，请填写阿拉伯数字，如 45",
        "'{code}': the number of party members '{value}' is not a positive whole number; "
        "write digits, as in 45",
    ),
    "roster.bad-email": (
        "“{code}”的邮箱“{value}”格式不对",
        "'{code}' has a malformed email address '{value}'",
    ),
    "roster.numeric-code": (
        "代码“{code}”是以数字格式填写的，如原代码有前导零（如 0012）已经丢失；请把代码列设为文本格式后重新填写",
        "code '{code}' was entered as a number, so leading zeros (as in 0012) are lost; format the code column as text and type the codes again",
    ),
    "roster.uninspected": (
        "支部“{code}”没有安排巡查人员，将没有考评分、无法定级",
        "branch '{code}' has no inspector and will stay pending",
    ),
}
