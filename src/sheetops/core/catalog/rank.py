"""Ranking and the committee's vetoes, as the command line shows them."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "veto.unknown-branch": (
        "名册中没有代码为“{code}”的支部。请填写名册中的支部代码（如 0101，前面的 0 不能省略）"
        "或支部全称",
        "the roster has no branch '{code}'. Give the branch's code as the roster writes it "
        "(such as 0101, leading zeros included) or its full name",
    ),
    "veto.unknown-branch-near": (
        "名册中没有代码为“{code}”的支部。您是不是要找 {names}？请填写名册中的支部代码或支部全称",
        "the roster has no branch '{code}'. Did you mean {names}? Give the branch's code as "
        "the roster writes it or its full name",
    ),
    "veto.unknown-veto": (
        "考核方案中没有否决事项“{value}”，可选：{choices}",
        "the scheme has no veto item '{value}'; choose one of {choices}",
    ),
    "veto.choice": ("{name}（{id}）", "{name} ({id})"),
    "veto.already": (
        "支部“{branch}”已有生效的“{veto}”（{id}）否决（{at} 记录），未重复记录",
        "branch '{branch}' already has an active '{veto}' ({id}) veto (recorded {at}); nothing "
        "was added",
    ),
    "veto.note-required": ("请用 --note 写明否决依据", "give the reason with --note"),
    "veto.recorded": (
        "已记录：{branch} {name} 因“{veto}”（{id}）一票否决。依据：{note}",
        "Recorded: {branch} {name} is vetoed for '{veto}' ({id}). Reason: {note}",
    ),
    "veto.removed": (
        "已撤销 {branch} {name} 的“{veto}”（{id}）否决（{count} 条）。说明：{note}",
        "Revoked the '{veto}' ({id}) veto on {branch} {name} ({count}). Note: {note}",
    ),
    "veto.nothing-to-remove": (
        "{branch} {name} 没有生效的“{veto}”（{id}）否决，无需撤销。",
        "{branch} {name} has no active '{veto}' ({id}) veto; nothing was revoked.",
    ),
    "veto.next": (
        "重新运行 sheetops rank {path} 更新排名。",
        "Run 'sheetops rank {path}' again to update the ranking.",
    ),
    "rank.done": (
        "已排名：{ranked} 个支部参加排名，{vetoed} 个被一票否决，{pending} 个待定（缺少考评分）。",
        "Ranked {ranked} branches; {vetoed} vetoed, {pending} pending (no inspector score).",
    ),
    "rank.grades": ("等级：{counts}", "Grades: {counts}"),
    "rank.line": (
        "  {rank:>4}  {code}  {name}  {score}  {grade}{extra}",
        "  {rank:>4}  {code}  {name}  {score}  {grade}{extra}",
    ),
    "rank.vetoed-mark": ("（一票否决：{reasons}）", " (vetoed: {reasons})"),
    "rank.incomplete-mark": ("（评分不完整）", " (incomplete)"),
    "rank.more": (
        "  …… 其余 {count} 个支部从略，完整排名见汇总表（或加 --all 全部显示）",
        "  … {count} more branches: the summary has the whole ranking (or add --all)",
    ),
    "rank.veto": (
        "一票否决：{code} {name}，“{veto}”，{source}：{note}",
        "Veto: {code} {name}, '{veto}', {source}: {note}",
    ),
    "rank.owes": (
        "未交齐：{code} {name} 本单位应交的{forms}尚未交回或未被采用。",
        "Incomplete: {code} {name} has not returned its {forms} (or they were not taken).",
    ),
    "rank.owes-withheld": (
        "未交齐：{code} {name} 本单位应交的{forms}尚未交回或未被采用；得分达到{grade}，但按规定评为{now}。",
        "Incomplete: {code} {name} has not returned its {forms} (or they were not taken); its "
        "score reaches {grade}, but it is graded {now}.",
    ),
    "feedback.incomplete": (
        "还有 {count} 张评分表未收齐、被退回或待审核，现在反馈的结果还可能变化。请收齐后再反馈"
        "（sheetops status {path} 列出缺交清单）；如确需先发，请注明为初步结果"
        "（命令行加 --provisional），反馈表和邮件都会写明“初步结果”。",
        "{count} forms are still missing, rejected or held for review, so the results may "
        "still change. Give feedback once they are in ('sheetops status {path}' lists them); "
        "to send it now anyway, mark it provisional (--provisional on the command line): "
        "every page and mail then says so.",
    ),
    "rank.veto-by.self": ("支部自评", "the branch's own form"),
    "rank.veto-by.inspector": ("巡查组 {rater} 考评", "inspector {rater}"),
    "rank.veto-by.committee": ("考核办决定", "the committee"),
    "rank.summary": ("汇总表：{path}", "Summary workbook: {path}"),
}
