"""Keeping a round's records whole: verify, backup, restore and rebuild."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "rebuild.ledger-sound": (
        "账本完好（{path}），无需重建。确需重建请加 --force（原账本会另存，不会删除）。",
        "The ledger is sound ({path}); nothing to rebuild. Add --force to rebuild anyway (the "
        "old ledger is set aside, never deleted).",
    ),
    "rebuild.set-aside": ("原账本已另存为 {path}", "The old ledger was set aside as {path}"),
    "rebuild.done": (
        "已从存档重建账本：重新登记 {files} 个文件（采用 {accepted}，待审核 {held}，退回 "
        "{rejected}），重放考核办决定 {decisions} 项。",
        "The ledger was rebuilt from the archive: {files} files recorded again ({accepted} "
        "accepted, {held} held for review, {rejected} rejected), {decisions} committee "
        "decisions replayed.",
    ),
    "rebuild.without-arrival": (
        "其中 {count} 个文件是早期版本存档的，没有来源记录：按文件指纹命名，收到时间按存档时间计。",
        "{count} of the files were archived by an earlier version without a record of where "
        "they came from: they are named by their fingerprint and dated by their archive copy.",
    ),
    "rebuild.unreadable-decisions": (
        "决定记录中有 {count} 行无法读取，已跳过；请核对一票否决和审核采用是否齐全。",
        "{count} lines of the decisions journal could not be read and were skipped; check "
        "the vetoes and accepted returns.",
    ),
    "rebuild.next": (
        "下一步：运行 sheetops verify {path} 核验，再运行 sheetops rank {path} 重新排名。"
        "下次从邮箱收取时会重读已读过的邮件，其中的文件只记为重复，不影响结果。",
        "Next: run 'sheetops verify {path}', then 'sheetops rank {path}'. The next collect "
        "from a mailbox reads messages already read again; their files are only duplicates.",
    ),
    "verify.ok": (
        "核验通过：账本完好，记录的 {files} 个文件都在存档中，内容与收到时一致。",
        "Verified: the ledger is sound and all {files} recorded files are in the archive, "
        "unchanged since they were received.",
    ),
    "verify.failed": (
        "核验发现问题：账本记录 {files} 个文件，其中 {verified} 个核对无误。",
        "Verification found problems: the ledger records {files} files, {verified} of them "
        "verified.",
    ),
    "verify.ledger-damaged": (
        "  账本已损坏（{path}：{detail}）。请运行 sheetops rebuild 从存档重建，"
        "或用备份恢复：sheetops restore 备份.zip 新目录",
        "  The ledger is damaged ({path}: {detail}). Rebuild it from the archive with "
        "'sheetops rebuild', or restore a backup: sheetops restore BACKUP.zip NEW_DIR",
    ),
    "verify.archive-missing": (
        "  存档文件缺失：{path}（SHA-256 {detail}）。账本里的这份来件已无法复核。",
        "  Archived file missing: {path} (SHA-256 {detail}); this return can no longer be "
        "checked.",
    ),
    "verify.archive-changed": (
        "  存档文件已被改动：{path}（现为 {detail}）。",
        "  Archived file changed: {path} (now {detail}).",
    ),
    "verify.archive-unrecorded": (
        "  存档中有账本未记录的文件：{path}（上次收件中途停止所致，下次收件时会补记）。",
        "  Archived but not recorded: {path} (a collect stopped half-way; the next collect "
        "records it).",
    ),
    "verify.incoming-leftover": (
        "  中途停止留下的临时文件：{path}（下次收件时自动清除）。",
        "  Left half-written by a stopped collect: {path} (the next collect removes it).",
    ),
    "backup.done": (
        "已备份：{path}（{files} 个文件，共 {size}）。备份含签名密钥，请与轮次目录一样妥善保管。",
        "Backed up: {path} ({files} files, {size} in all). The backup holds the signing key: "
        "keep it as safe as the round folder.",
    ),
    "backup.exists": (
        "{path} 已存在，不会覆盖。请换一个文件名。",
        "{path} already exists; it will not be overwritten. Choose another name.",
    ),
    "backup.inside-round": (
        "备份文件 {path} 不能放在轮次目录 {round} 里面，请放到别处（例如 U 盘或共享盘）。",
        "The backup {path} cannot go inside the round folder {round}: put it elsewhere "
        "(a USB drive or a share).",
    ),
    "backup.database-unreadable": (
        "无法读取数据库 {path}：{reason}。请先运行 sheetops verify 查看。",
        "Cannot read the database {path}: {reason}. Run 'sheetops verify' first.",
    ),
    "restore.done": (
        "已恢复考核轮次“{title}”（{id}）：{path}（{files} 个文件，共 {size}）",
        "Restored round '{title}' ({id}) in {path} ({files} files, {size} in all)",
    ),
    "restore.target-exists": (
        "{path} 已存在且不是空目录。恢复只写入新目录，请换一个目录。",
        "{path} exists and is not empty; a backup is only restored into a new folder.",
    ),
    "restore.not-a-backup": (
        "{path} 不是 sheetops 备份文件（找不到备份清单）。",
        "{path} is not a sheetops backup (it has no backup index).",
    ),
    "restore.damaged": (
        "备份 {path} 已损坏：{member} 与备份清单不符。未恢复任何内容。",
        "The backup {path} is damaged: {member} does not match its index. Nothing was "
        "restored.",
    ),
}
