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
    "rejections.col.secretary": ("支部书记", "Secretary"),
    "rejections.col.email": ("电子邮箱", "E-mail"),
    "rejections.col.number": ("序号", "No."),
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
    "issues.grouped": ("共 {count} 处。第一处：{first}", "{count} places. The first: {first}"),
    "file-status.accepted": ("已采用", "accepted"),
    "file-status.accepted-with-warnings": ("已采用（有提示）", "accepted with warnings"),
    "file-status.rejected": ("退回", "rejected"),
    "file-status.duplicate": ("重复", "duplicate"),
    "file-status.superseded": ("已被新版本替代", "superseded"),
    "precheck.kind.html": ("网页（HTML）", "a web page (HTML)"),
    "precheck.kind.xml2003": ("Excel 2003 XML 表格", "an Excel 2003 XML spreadsheet"),
    "precheck.kind.text": ("纯文本或 CSV", "plain text or CSV"),
    "collect.guess.form": ("表格 {form_id}", "form {form_id}"),
    "collect.guess.scoresheet": ("一张评分表", "a scoresheet"),
}
