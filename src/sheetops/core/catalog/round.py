"""Round folders and round.toml: creating, opening, settings and their comments."""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    "round.exists": (
        "{path} 已经是一个考核轮次，不会覆盖。如需重建，请换一个目录。",
        "{path} already holds a round; it will not be overwritten. Choose another folder.",
    ),
    "round.not-empty": (
        "{path} 不是空目录，不会在其中创建考核轮次。请换一个新目录。",
        "{path} is not empty; a round is only created in a new or empty folder.",
    ),
    "round.missing": (
        "{path} 不是考核轮次目录（找不到 round.toml）。请先运行 sheetops init。",
        "{path} is not a round folder (no round.toml). Run 'sheetops init' first.",
    ),
    "round.bad-encoding": (
        "round.toml 的编码无法识别。请用记事本打开，选择“另存为”，编码选 UTF-8 后保存。",
        "round.toml's encoding is not recognised. Open it in Notepad, choose Save As and "
        "pick the UTF-8 encoding.",
    ),
    "round.toml-syntax": (
        "round.toml 第 {line} 行（第 {column} 个字符处）写法有误：{what}。这一行是：{text}",
        "round.toml, line {line} (at character {column}): {what}. The line reads: {text}",
    ),
    "toml.trailing": (
        "等号后只能写一个值；文字要加英文双引号，日期写作 2026-12-21，注释以 # 开头",
        "only one value may follow '='; text goes in double quotes, dates are written "
        "2026-12-21, comments start with #",
    ),
    "toml.unterminated": (
        "引号没有配对：文字两头都要有英文双引号，且写在同一行",
        "a quote is not closed: text needs a double quote at both ends, on one line",
    ),
    "toml.invalid-value": (
        "等号后的值写法不对：文字要加英文双引号（\"…\"），数字和日期不加引号，是/否写作 true/false",
        "the value after '=' is malformed: text goes in double quotes, numbers and dates "
        "without, yes/no as true/false",
    ),
    "toml.duplicate": (
        "同一设置项或同一节写了两次，请删去其中一处",
        "a setting or a section is given twice; remove one of them",
    ),
    "toml.no-equals": (
        "设置项名称后面缺少等号“=”",
        "a setting's name must be followed by '='",
    ),
    "toml.table": ("节名要写在一对方括号中，例如 [round]", "a section name goes in brackets, such as [round]"),
    "toml.unclosed-array": (
        "方括号列表没有结束：请补上“]”",
        "a list in brackets is not closed: add the ']'",
    ),
    "toml.control": (
        "这一行有不可见的控制字符（例如从别处复制来的），请重新输入这一行",
        "this line holds an invisible control character (pasted from elsewhere): type it again",
    ),
    "toml.no-such-date": (
        "“{value}”不是实际存在的日期：请检查月份（1 至 12）和这个月的天数，例如 2026-12-21",
        "'{value}' is not a real date: check the month (1 to 12) and the days of that month, "
        "such as 2026-12-21",
    ),
    "toml.bad-date": ("日期无效，请写作 2026-12-21", "the date is invalid; write it as 2026-12-21"),
    "toml.other": (
        "写法不符合 round.toml 的格式，请对照文件中的注释修改",
        "this is not valid round.toml syntax; compare with the comments in the file",
    ),
    "toml.hint-quotes": (
        "这一行用了中文引号或全角符号：请改用英文半角的双引号 \" 和等号 =",
        "this line uses Chinese quotes or full-width signs: use the plain double quote \" and "
        "'='",
    ),
    "round.bad-config": ("round.toml 有误：{reason}", "round.toml is invalid: {reason}"),
    "round.bad-value": (
        "round.toml 中 {key} 的值“{value}”无效：{expected}",
        "round.toml: {key} = '{value}' is invalid: {expected}",
    ),
    "round.bad-id": (
        "轮次代码“{value}”格式不对：只能含字母、数字、点、横线和下划线",
        "round id '{value}' is malformed: letters, digits, '.', '-' and '_' only",
    ),
    "round.key-missing": (
        "找不到本轮签名密钥 {path}，无法生成或核验表格。",
        "the round's signing key {path} is missing; forms cannot be signed or checked.",
    ),
    "round.path-too-long": (
        "账本数据库的路径太长（{length} 个字符），无法打开：{path}。"
        "请把整个轮次目录移到路径较短的位置（例如 D:\\考核\\2026年终）后再运行。",
        "The ledger database's path is too long ({length} characters) to open: {path}. "
        "Move the whole round folder somewhere with a shorter path "
        "(such as D:\\rounds\\2026-year-end) and run again.",
    ),
    "round.ledger-damaged": (
        "账本已损坏，无法打开：{path}（{reason}）。请运行 sheetops rebuild 轮次目录，从存档"
        "重建账本；或用最近的备份恢复：sheetops restore 备份.zip 新目录。",
        "The ledger is damaged and cannot be opened: {path} ({reason}). Run 'sheetops rebuild "
        "ROUND_DIR' to rebuild it from the archive, or restore the latest backup: sheetops "
        "restore BACKUP.zip NEW_DIR.",
    ),
    "round.read-only": (
        "轮次目录是只读的，无法写入账本：{path}。请换到可写的位置（不要直接在光盘、"
        "只读共享盘或压缩包里打开），或请管理员开放写权限。",
        "The round folder is read-only; the ledger cannot be written: {path}. Work on a "
        "writable copy (not straight from a CD, a read-only share or a .zip) or ask for write "
        "access.",
    ),
    "round.created": ("已创建考核轮次“{title}”（{id}）：{path}", "Created round '{title}' ({id}) in {path}"),
    "round.created-detail": (
        "  {branches} 个支部，{inspectors} 名巡查人员；考核方案：{scheme}（{version}）",
        "  {branches} branches, {inspectors} inspectors; scheme: {scheme} ({version})",
    ),
    "round.next-generate": (
        "下一步：检查 round.toml 后运行 sheetops generate {path}",
        "Next: review round.toml, then run: sheetops generate {path}",
    ),
    "demo.exists": (
        "{path} 已存在且不是空目录。请指定一个新目录，例如：sheetops demo 新目录",
        "{path} exists and is not empty. Name a new folder: sheetops demo NEW_FOLDER",
    ),
    "demo.filled": (
        "（演示）各支部和巡查组已填好评分表并发回，放在 {path}",
        "(demo) branches and inspectors have filled in and returned their forms: {path}",
    ),
    "demo.open": ("请打开汇总表：{path}", "Open the summary: {path}"),
    "demo.not-on-path": (
        "提示：本终端直接输入 sheetops 找不到这个命令。请先运行 {activate}，上面提示的命令即可照样使用；"
        "或在命令前写上路径，例如：{program} status {path}",
        "Note: this shell does not find 'sheetops' by name. Run {activate} first and the commands "
        "above work as printed, or give the path, for example: {program} status {path}",
    ),
    "toml.head": (
        "# 考核轮次设置。各项均已写明默认值，可按本轮实际修改后再运行 sheetops generate。",
        "# Round settings. Every default is spelled out; edit before 'sheetops generate'.",
    ),
    "toml.round-list": (
        "# 先进名单的落款：发文单位（如 中共××委员会，留空则只留盖章处）、日期（留空为排名当天），以及不列分数的名单的排列顺序（rank 按名次 | roster 按名册顺序）",
        "# The list of advanced branches: who issues it (left empty, only the space for the seal), its date (empty: the day of ranking), and the order of the list without scores (rank | roster: as in the roster)",
    ),
    "toml.round": (
        "# 轮次代码、标题、考核期（half-year 半年 | year-end 年终）、截止日期、语言（zh-CN | en）、显示时间所用的时区",
        "# Round id, title, period (half-year | year-end), deadline, language (zh-CN | en), the time zone times are shown in",
    ),
    "toml.files": (
        "# 本轮冻结的考核方案和名册（相对本目录）",
        "# The scheme and roster frozen for this round (relative to this folder)",
    ),
    "toml.raters": (
        "# 名册未列 peers 表时，每个支部由几个其他支部互评（按轮次代码确定、可复现）",
        "# Without a 'peers' sheet in the roster, each branch is rated by this many other branches (assigned from the round id, reproducibly)",
    ),
    "toml.weights": (
        "# 综合得分 = 自评×self + 互评×peer + 考评×inspector（权重之和须为 1）",
        "# Final = self x self + peer x peer + inspector x inspector (weights add up to 1)",
    ),
    "toml.missing": (
        "# 缺少某类评分时的处理：renormalise 按其余权重折算 | zero 按 0 分计 | pending 待定（不定级、不排名）",
        "# A missing role: renormalise (spread its weight over the others) | zero | pending (not graded, not ranked)",
    ),
    "toml.trim": (
        "# 互评表不少于 min_forms 份时，去掉最高分和最低分各若干份后取平均（min_forms 须大于去掉的份数之和）",
        "# With at least min_forms peer forms, drop this many highest and lowest totals (min_forms must exceed the two together)",
    ),
    "toml.ranking": (
        "# 同分时依次比较的分项（inspector 考评、peer 互评、self 自评）；保留小数位数（得分按精确值计算，显示时四舍五入一次）",
        "# Tie-breaks in order (inspector, peer, self); decimals shown (scores are exact until shown, then rounded half-up once)",
    ),
    "toml.forms": (
        "# 工作表保护密码（留空为不设密码）；得分低于满分但未写扣分说明时的处理：warning 提示 | error 退回",
        "# Sheet protection password (empty: none); a score below max without a note: warning | error",
    ),
    "toml.grades": (
        "# 等级分数线（先进 95 分、合格 60 分）和一票否决事项在 scheme.yaml 中设置。"
        "advanced_requires_returns：支部本单位的自评表或应交的互评表没有交齐时，不能评为先进（true 是，false 否）",
        "# Grade thresholds (advanced 95, qualified 60) and veto questions live in scheme.yaml. "
        "advanced_requires_returns: a branch that has not returned its own self form or every "
        "peer form it owes cannot be graded advanced (true or false)",
    ),
    "toml.analysis": (
        "# 评分分析的提示线（分）：自评高出考评或互评多少分提示自评偏高；互评单位平均偏离其他互评单位多少分提示偏松或偏严；两个支部互相打分都高出共识多少分提示互相抬分",
        "# Rater analysis flags (points): self above inspector or peers; a peer rater's mean deviation from the other peers; two branches scoring each other above consensus",
    ),
    "toml.combine": (
        "# 年终考核合并半年考核：round 填半年轮次的目录（相对本目录，如 ../2026-half-year），weight 为半年考核所占权重（按两轮公布的得分合并）；留空则不合并",
        "# Year-end only: combine with the half-year round (its folder, relative to this one, e.g. ../2026-half-year) at this weight (the two published scores are combined); empty: no combination",
    ),
    "toml.compare": (
        "# 与上一轮比较：round 填上一轮的目录（如 ../2025-year-end），留空则不比较",
        "# Compare with a previous round (its folder, e.g. ../2025-year-end); empty: no comparison",
    ),
    "toml.limits": (
        "# 收取文件时的安全上限：单个文件大小（MB）、解压比、工作表行列数、读取每个文件的时间（秒）和内存（MB）、网页一次上传的总大小（MB）、一封邮件的大小（MB）、一封邮件中分段的层数上限（多层嵌套的分段数）和附件数、每个文件最多记录的问题数",
        "# Safety caps on received files: size (MB), compression ratio, rows and columns per sheet, time (s) and memory (MB) to read one file, one web upload in all (MB), one mail message (MB), multipart and message parts in one message (which bounds their nesting) and attachments in one message, issues stored for one file",
    ),
    "round.default-title.half-year": (
        "{year}年上半年党支部建设目标管理半年总结",
        "{year} Party Branch Target-Management Half-Year Review",
    ),
    "round.default-title.year-end": (
        "{year}年度党支部建设目标管理年终考核",
        "{year} Party Branch Target-Management Year-End Assessment",
    ),
    "toml.mail": (
        "# 邮件：收取退回邮件的 IMAP 地址（如 imaps://kh%40example.cn@imap.example.cn/INBOX）；发送用的 SMTP 服务器、端口（0 为默认）、加密方式（starttls | ssl | plain）、登录名、发件人，服务器使用单位自建证书时需信任的 CA 证书文件（cafile，相对本目录），以及每封邮件末尾的联系方式（contact，如“组织部考核办 王老师，电话 0851-12345678”）。密码不写在这里，运行时输入或用环境变量 SHEETOPS_IMAP_PASSWORD、SHEETOPS_SMTP_PASSWORD 提供",
        "# Mail: the IMAP folder returns arrive in (e.g. imaps://kh%40example.cn@imap.example.cn/INBOX); the SMTP server, port (0: the usual one), security (starttls | ssl | plain), login, From mailbox, a CA certificate to trust for servers with the office's own CA (cafile, relative to this folder), and who to ask, closing every mail (contact). Passwords are never written here: they are asked for, or come from SHEETOPS_IMAP_PASSWORD and SHEETOPS_SMTP_PASSWORD",
    ),
    "toml.portal": (
        "# 各单位的个人上传链接：base_url 填各单位访问控制台的地址（如 https://kaohe.example.cn），填写后发送和催交邮件中会附上链接；expires 为链接最后有效的日期，留空则到截止日期当天结束",
        "# Personal upload links: base_url is where recipients reach the console (e.g. https://kaohe.example.cn); when set, send and remind put each recipient's link in the mail. expires is the links' last day (empty: the deadline day)",
    ),
}
