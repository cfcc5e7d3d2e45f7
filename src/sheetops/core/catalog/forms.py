"""The scoresheets: what a form says, its columns, prompts and sheet names."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "generate.done": (
        "已生成 {packs} 个工作簿，共 {forms} 张评分表（自评 {self}、互评 {peer}、考评 {inspector}），保存在 {path}",
        "Generated {packs} workbooks holding {forms} forms ({self} self, {peer} peer, {inspector} inspector) in {path}",
    ),
    "generate.manifest": ("表格清单：{path}", "Manifest: {path}"),
    "generate.next-send": (
        "下一步：把各工作簿发给对应支部和巡查人员，收回后放入 {inbox}",
        "Next: send each workbook to its recipient; put returned files into {inbox}",
    ),
    "sheet.self": ("自评", "Self"),
    "sheet.peer": ("互评-{code}", "Peer-{code}"),
    "sheet.inspector": ("考评-{code}", "Inspect-{code}"),
    "form.subtitle": ("{scheme}（{role}）", "{scheme} ({role})"),
    "form.parties": (
        "评分单位：{rater}    被评支部：{target}",
        "Rater: {rater}    Branch rated: {target}",
    ),
    # the form's name, in every printed page's header
    "form.name.self": ("{target}自评表", "Self-assessment form: {target}"),
    "form.name.peer": ("{rater}对{target}的互评表", "Peer rating form: {rater} on {target}"),
    "form.name.inspector": (
        "{rater}对{target}的考评表", "Inspection form: {rater} on {target}",
    ),
    # each form's pages are numbered on their own, from 1 (a pack prints several forms)
    "form.page": ("第 &P 页", "Page &P"),
    "form.intro.self": (
        "本表由本支部对照考核标准逐项自查自评。",
        "Your branch checks and scores itself against each target below.",
    ),
    "form.intro.peer": (
        "本表由贵支部对{target}进行互评，请实事求是、客观公正地逐项打分。",
        "Your branch scores {target}; please score each target fairly and on the evidence.",
    ),
    "form.intro.inspector": (
        "本表由巡查人员对{target}逐项考评，请依据检查掌握的情况打分。",
        "As inspector, score {target} on each target from what the inspection found.",
    ),
    "form.instructions": (
        "填表说明：只在浅黄色单元格中填写。得分须在 0 至该项分值之间，以 {step} 分为单位；未得满分的项目，请在“扣分说明”栏写明扣分原因。小计、合计自动计算，请勿改动。请于 {deadline} 前将本工作簿原样发回，不要增删、改名工作表。",
        "How to fill in: type only into the light yellow cells. A score lies between 0 and the item's maximum, in steps of {step}; for any item below full marks, say why in the 'Reason for deduction' column. Subtotals and the total are calculated; do not change them. Return this workbook as it is by {deadline}; do not add, remove or rename sheets.",
    ),
    "form.col.number": ("序号", "No."),
    "form.col.section": ("考核项目", "Section"),
    "form.col.target": ("考核内容", "Target"),
    "form.col.rule": ("评分标准", "Scoring rule"),
    "form.col.max": ("分值", "Max"),
    "form.col.score": ("得分", "Score"),
    "form.col.note": ("扣分说明", "Reason for deduction"),
    "form.subtotal": ("{section} 小计", "{section}: subtotal"),
    "form.section.continued": ("{section}（续）", "{section} (continued)"),
    "form.total": ("合计", "Total"),
    "form.veto.head": ("一票否决事项", "One-vote veto"),
    "form.veto.answer": ("是/否", "Yes/No"),
    "form.veto.note": ("情况说明", "Details"),
    "form.veto.explain": (
        "请逐项选择“是”或“否”；选“是”的，须在“情况说明”栏写明具体情况。任一项为“是”的，该支部考核等次为不合格，不参加排名。",
        "Choose Yes or No for each question; for a Yes, give the details. A single Yes makes the branch unqualified, whatever its score, and it is not ranked.",
    ),
    "form.veto.yes": ("是", "Yes"),
    "form.veto.no": ("否", "No"),
    "form.signature": (
        "评分人（签名）：____________        填表日期：______年____月____日",
        "Rater's signature: ____________        Date: ______________",
    ),
    "form.footer": ("第 &P 页，共 &N 页", "Page &P of &N"),
    "form.score.prompt-title": ("填写得分", "Score"),
    "form.score.prompt": (
        "请填写 0 至 {max} 之间的分数，以 {step} 分为单位。",
        "Enter a score from 0 to {max}, in steps of {step}.",
    ),
    "form.score.error-title": ("得分超出范围", "Score out of range"),
    "form.score.error": (
        "本项满分 {max} 分，得分须在 0 至 {max} 之间，请用阿拉伯数字重新填写。",
        "This item's maximum is {max}: enter a number from 0 to {max}.",
    ),
    "form.veto.prompt-title": ("一票否决", "Veto"),
    "form.veto.prompt": ("请从下拉列表中选择“是”或“否”。", "Choose Yes or No from the list."),
    "form.veto.error-title": ("请选择是或否", "Yes or No only"),
    "form.veto.error": ("只能填写“是”或“否”。", "Only Yes or No can be entered here."),
    "form.party": ("{name}（{code}）", "{name} ({code})"),
    # outbox/manifest.csv: the columns, and the values written in the round's language
    "manifest.col.form_id": ("表格编号", "form_id"),
    "manifest.col.role": ("评分类型", "role"),
    "manifest.col.rater": ("评分单位代码", "rater"),
    "manifest.col.rater_name": ("评分单位", "rater_name"),
    "manifest.col.target": ("被评支部代码", "target"),
    "manifest.col.target_name": ("被评支部", "target_name"),
    "manifest.col.recipient": ("收件单位代码", "recipient"),
    "manifest.col.recipient_kind": ("收件单位类型", "recipient_kind"),
    "manifest.col.recipient_name": ("收件单位", "recipient_name"),
    "manifest.col.email": ("邮箱", "email"),
    "manifest.col.file": ("文件", "file"),
    "manifest.col.sheet": ("工作表", "sheet"),
    "manifest.role.self": ("自评", "self"),
    "manifest.role.peer": ("互评", "peer"),
    "manifest.role.inspector": ("考评", "inspector"),
    "manifest.kind.branch": ("支部", "branch"),
    "manifest.kind.inspector": ("巡查组", "inspector"),
}
