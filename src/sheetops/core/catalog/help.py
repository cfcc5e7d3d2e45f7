"""The command line's help and click's own usage messages.

``help.<command>[.<subcommand>]`` is a command's help, ``help.<command>.<option>`` an option's
(the option's longest flag without dashes); ``click.<message>`` is click's English message,
looked up as click writes it (its ``{placeholders}`` kept).
"""

from __future__ import annotations

from typing import Final

from sheetops.core.catalog.texts import Texts

_JSON: Final = ("只输出一个 JSON 文档，不输出其他内容。", "Print one JSON document, nothing else.")
_CAFILE: Final = ("另外信任此 CA 证书（服务器使用单位自建 CA 时）。",
                  "Also trust this CA certificate (a server with a private CA).")
_PASSWORD_STDIN: Final = ("从标准输入读取密码。", "Read the password from standard input.")
_MAIL: Final[Texts] = {
    "dry-run": ("把邮件写成 .eml 草稿放入 outbox/mail/，不实际发送。",
                "Write the messages as .eml drafts into outbox/mail/; send nothing."),
    "smtp-host": ("发件服务器 [环境变量 SHEETOPS_SMTP_HOST]。",
                  "Outgoing mail server [env SHEETOPS_SMTP_HOST]."),
    "smtp-port": ("端口。默认：587（starttls）、465（ssl）、25（plain）。",
                  "Port. Default: 587 (starttls), 465 (ssl), 25 (plain)."),
    "smtp-security": ("连接加密方式。", "Connection security."),
    "smtp-user": ("登录名；密码取自环境变量 SHEETOPS_SMTP_PASSWORD，未设置时提示输入。"
                  "不指定则不登录。",
                  "Login name; the password comes from SHEETOPS_SMTP_PASSWORD or a prompt. "
                  "Without it, no login."),
    "smtp-cafile": _CAFILE,
    "from": ("发件人，如 '考核办 <kh@example.org>' [环境变量 SHEETOPS_MAIL_FROM]。",
             "From: '考核办 <kh@example.org>' [env SHEETOPS_MAIL_FROM]."),
    "resend": ("向已发送过的对象再发一次（并重试结果不明的）。",
               "Send again to recipients already sent to (and retry uncertain ones)."),
    "only": ("只发给此对象（可多次指定）。", "Only this recipient (repeatable)."),
}

# key: (zh-CN, en)
TEXTS: Final[Texts] = {
    # -- the words around the help ------------------------------------------------------------
    "cli.usage-prefix": ("用法：", "Usage: "),
    "cli.version": ("sheetops，版本 {version}", "sheetops, version {version}"),
    "cli.heading": ("{heading}：", "{heading}:"),
    "cli.missing.argument": ("缺少参数 {hint}。", "Missing argument {hint}."),
    "cli.missing.option": ("缺少选项 {hint}。", "Missing option {hint}."),
    "cli.missing-then": ("{message}{extra}", "{message} {extra}"),
    "cli.no-such-command": ("没有“{name}”这个命令。", "No such command '{name}'."),
    "cli.no-such-option": ("没有“{name}”这个选项。", "No such option '{name}'."),
    "cli.did-you-mean": ("您是不是要找 {names}？", " Did you mean {names}?"),
    "cli.options-metavar": ("[选项]", "[OPTIONS]"),
    "cli.subcommand-metavar": ("命令 [参数]...", "COMMAND [ARGS]..."),
    # the arguments' names in usage lines and in 缺少参数 '…' (key: the English name)
    "cli.argument.ROUND_DIR": ("轮次目录", "ROUND_DIR"),
    "cli.argument.BRANCH": ("支部代码", "BRANCH"),
    "cli.argument.VETO": ("否决事项", "VETO"),
    "cli.argument.SHA256": ("文件指纹", "SHA256"),
    "cli.argument.SOURCES": ("[来源]...", "[SOURCES]..."),
    "cli.argument.WORKSPACE": ("工作目录", "WORKSPACE"),
    "cli.argument.NAME": ("账号", "NAME"),
    "cli.argument.ID": ("令牌编号", "ID"),
    "cli.argument.[DIR]": ("[目录]", "[DIR]"),
    "cli.argument.FILE": ("方案文件", "FILE"),
    "cli.argument.OUT.xlsx": ("导出文件.xlsx", "OUT.xlsx"),
    "cli.argument.OUT.zip": ("备份文件.zip", "OUT.zip"),
    "cli.argument.BACKUP.zip": ("备份文件.zip", "BACKUP.zip"),
    # -- commands and their options -----------------------------------------------------------
    "help.sheetops": (
        "在 Excel 工作簿上开展党组织考核。\n\n"
        "一轮考核放在一个文件夹里：init 建立考核，generate 生成要下发的表格，"
        "collect 收取交回的表格，rank 汇总、定档、排名。",
        "Run a Party committee's assessment rounds over Excel workbooks.\n\n"
        "A round lives in one folder: init creates it, generate writes the forms to send, "
        "collect reads what comes back, rank merges, grades and ranks.",
    ),
    "help.sheetops.version": ("显示版本号并退出。", "Show the version and exit."),
    "help.init": (
        "新建一轮考核的文件夹：固定考核方案和名册，写入 round.toml 和签名密钥。",
        "Create a round folder: frozen scheme and roster, round.toml, signing key.",
    ),
    "help.init.roster": ("名册工作簿（工作表：支部、巡查组，可选互评）。",
                         "Roster workbook (sheets branches, inspectors, optional peers)."),
    "help.init.scheme": ("考核方案（.yaml 或 .xlsx）。默认：内置方案。",
                         "Scoring scheme (.yaml or .xlsx). Default: the shipped scheme."),
    "help.init.period": ("半年考评（half-year）或年终考核（year-end）。",
                         "Half-year review or year-end assessment."),
    "help.init.lang": ("表格和提示信息的语言。默认：考核方案的语言，没有则为 zh-CN。",
                       "Language of forms and messages. Default: the scheme's, else zh-CN."),
    "help.init.id": ("考核编号。默认：<年份>-<考核类型>。", "Round id. Default: <year>-<period>."),
    "help.generate": (
        "为每个填报对象生成一套受保护的评分表、清单文件，并为每个支部生成工作手册。",
        "Write every recipient's pack of protected scoresheets, the manifest, and every "
        "branch's work handbook.",
    ),
    "help.generate.carry-over": (
        "从这个上一轮考核中各支部最后通过的工作手册预填本轮手册（基本信息、党员名册）。",
        "Prefill each branch's handbook (basic information, member roll) from its last "
        "accepted handbook in this previous round.",
    ),
    "help.send": (
        "把每个填报对象的表格用邮件发出（加 --feedback 则给每个支部发反馈表）。\n\n"
        "每封邮件都记入账本；重新运行会跳过已发送的对象，中途停下的发送接着发，不会重复。",
        "Email every recipient its pack (or, with --feedback, each branch its feedback).\n\n"
        "Every message is recorded in the ledger; a re-run skips recipients already sent to, "
        "so a run that stopped half-way resumes without sending anything twice.",
    ),
    "help.send.feedback": ("给每个支部发它自己的反馈表，而不是空白表格。",
                           "Send each branch its own feedback workbook instead of its pack."),
    "help.send.name-peers": ("与 --feedback 同用：在评语中写明互评单位。",
                             "With --feedback: name the peer raters in the notes."),
    "help.send.provisional": (
        "与 --feedback 同用：尚有评分表未收齐时也发送，邮件和反馈表注明“初步结果”。",
        "With --feedback: send although forms are outstanding, marked provisional.",
    ),
    **{f"help.send.{flag}": texts for flag, texts in _MAIL.items()},
    "help.collect": (
        "从来源（文件、文件夹、.zip、.eml、mbox、Maildir；默认：inbox 文件夹）"
        "和邮箱（--imap）收取交回的表格。\n\n"
        "每个文件按 SHA-256 存档，解析前先检查，在隔离进程中读取，逐格校验并记入账本；"
        "退回报告按文件、工作表和单元格列出每个问题。",
        "Collect returned workbooks from SOURCES (files, folders, .zip, .eml, mbox, Maildir; "
        "default: the inbox) and from mail (--imap).\n\n"
        "Every file is archived by its SHA-256, checked before parsing, read in a sandbox, "
        "validated cell by cell and recorded in the ledger; the rejection report lists every "
        "problem by file, sheet and cell.",
    ),
    "help.collect.json": _JSON,
    "help.collect.imap": (
        "另外读取 IMAP 邮箱文件夹中本轮未读过的邮件：imaps://用户名@服务器/INBOX"
        "（密码取自 SHEETOPS_IMAP_PASSWORD，未设置时提示输入）。只读不改；"
        "不指定来源时不读 inbox 文件夹。",
        "Also read the messages of an IMAP folder not seen before by this round: "
        "imaps://user@host/INBOX (password: SHEETOPS_IMAP_PASSWORD or a prompt). Read-only; "
        "without SOURCES the inbox folder is not read.",
    ),
    "help.collect.imap-security": ("覆盖网址中的加密方式：ssl（imaps）、starttls（imap）或 plain。",
                                   "Override the URL: ssl (imaps), starttls (imap) or plain."),
    "help.collect.imap-cafile": _CAFILE,
    "help.status": (
        "按填报对象列出每份应交表格：已采用、有提示、待审核、被退回或未交，再列出待审核的文件。",
        "Show every expected form as accepted, with warnings, held for review, rejected or "
        "missing, by recipient, then the files held for review.",
    ),
    "help.status.json": _JSON,
    "help.status.all": ("已交齐的对象也列出。", "List complete recipients too."),
    "help.status.xlsx": (
        "同时生成催交清单 reports/chase-<编号>.xlsx：每个尚欠表格的单位一行，便于逐一电话催交。",
        "Also write the chase list workbook, reports/chase-<id>.xlsx: one row per recipient "
        "who owes something, to phone from.",
    ),
    "help.accept": (
        "采用一份待审核的文件（发件人不是表格所属单位在名册中登记的邮箱）。\n\n"
        "文件指纹写 status 列出的指纹（前 12 位即可）。请先与该单位核实确为其本人所交。",
        "Count a file held for review (sent from an address that is not its recipient's).\n\n"
        "SHA256 is the file's fingerprint as 'status' shows it (its first 12 characters do). "
        "Confirm with the recipient first that they sent it.",
    ),
    "help.accept.note": (
        "采用的理由：如何核实了发件人（记入账本）。",
        "Why it counts: who confirmed the sender, and how (recorded in the ledger).",
    ),
    "help.remind": (
        "提醒每个有未交或被退回表格的对象，逐项写明缺什么。\n\n"
        "被退回的表格附上每条原因和单元格位置。所欠内容没有变化时不重复提醒，除非加 --resend。",
        "Remind every recipient with missing or rejected forms, listing exactly what.\n\n"
        "Rejections come with every reason and its cell address. A recipient is not reminded "
        "again while what it owes is unchanged, unless --resend.",
    ),
    **{f"help.remind.{flag}": texts for flag, texts in _MAIL.items()},
    "help.veto": (
        "记录（加 --remove 则撤销）党委对支部的一票否决。\n\n"
        "支部代码写名册中的代码（如 0109）或支部全称；否决事项写名称或编号（如 党纪处分 或 discipline）。",
        "Record (or with --remove, revoke) a committee one-vote veto on BRANCH.\n\n"
        "BRANCH is the branch's code (such as 0109) or full name; VETO is the veto item's name "
        "or id (such as 'Party discipline' or discipline).",
    ),
    "help.veto.note": ("党委的否决依据（记入账本）。", "The committee's reason (recorded in the ledger)."),
    "help.veto.remove": ("撤销这项否决，而不是记录。", "Revoke this veto instead of recording it."),
    "help.rank": (
        "汇总已采用的表格，执行一票否决，定档排名；生成汇总表。",
        "Merge accepted forms, apply vetoes, grade and rank; write the summary workbook.",
    ),
    "help.rank.json": _JSON,
    "help.rank.all": (
        "列出全部支部（排名较长时默认只列前 10 名）。",
        "Print every branch (a long ranking shows its top 10).",
    ),
    "help.feedback": (
        "为每个支部生成反馈表：名次档次、薄弱板块和项目、需要整改的地方。",
        "Write each branch's feedback workbook: standing, weak sections and items, what to fix.",
    ),
    "help.feedback.provisional": (
        "尚有评分表未收齐时也生成反馈表，每页注明“初步结果”。",
        "Write it although forms are outstanding, marked provisional on every page.",
    ),
    "help.feedback.name-peers": ("写明每条互评意见出自哪个支部（默认匿名）。",
                                 "Show which branch wrote each peer note (default: anonymous)."),
    "help.records": (
        "把已采用的工作手册汇总到 reports/records-<编号>.xlsx：党员、会议与规定频次对照、"
        "党费、发展党员流程。",
        "Consolidate the accepted work handbooks into reports/records-<id>.xlsx: members, "
        "meetings against the required frequency, dues, the admission pipeline.",
    ),
    "help.verify": (
        "检查账本，并核对每个已登记文件的存档未被改动（有问题时退出码为 1）。",
        "Check the ledger and that every recorded file is archived unchanged (exit 1 if not).",
    ),
    "help.verify.json": _JSON,
    "help.backup": (
        "把整轮考核（账本、存档、设置、密钥、报告）备份到备份文件.zip。",
        "Write the whole round (ledger, archive, settings, key, reports) into OUT.zip.",
    ),
    "help.rebuild": (
        "账本丢失或损坏时，根据存档和决定记录重建账本。\n\n"
        "原账本另存，不会删除；每份存档文件按收到先后重新登记和检查，再重放考核办的各项决定"
        "（一票否决、审核采用）。",
        "Make a lost or damaged ledger again from the archive and the decisions journal.\n\n"
        "The old ledger is set aside, never deleted; every archived file is recorded again in "
        "its order of arrival, then the committee's decisions (vetoes, accepted returns) are "
        "replayed.",
    ),
    "help.rebuild.force": (
        "账本完好也重建（原账本同样另存）。",
        "Rebuild even though the ledger is sound (it is set aside all the same).",
    ),
    "help.restore": (
        "把备份恢复到轮次目录（新的或空的文件夹），逐个文件核对。",
        "Restore a backup into ROUND_DIR (a new or empty folder), checking every file.",
    ),
    "help.scheme": ("检查和导出考核方案。", "Check and export scoring schemes."),
    "help.scheme.check": (
        "检查考核方案文件（.yaml 或 .xlsx），列出每个问题及其位置。",
        "Check a scheme file (.yaml or .xlsx) and list every problem with its location.",
    ),
    "help.scheme.check.lang": ("提示信息的语言。默认：方案自身的语言。",
                               "Language of the messages. Default: the scheme's own."),
    "help.scheme.export": (
        "把考核方案导出为可编辑的 Excel 工作簿，读回后内容不变。",
        "Write a scheme as an editable Excel workbook that loads back equal.",
    ),
    "help.scheme.export.scheme": ("要导出的方案。默认：--lang 语言的内置方案。",
                                  "Scheme to export. Default: the shipped scheme in --lang."),
    "help.scheme.export.lang": ("导出哪种语言的内置方案，以及提示信息的语言。",
                                "Which shipped scheme to export, and the messages' language."),
    "help.links": (
        "列出每个填报对象的专属上传链接，或作废、更换其中一个。",
        "List every recipient's personal upload link, or revoke or renew one.",
    ),
    "help.links.base-url": ("填报对象访问控制台的地址（默认：[portal] base_url）。",
                            "Where recipients reach the console (default: [portal] base_url)."),
    "help.links.json": _JSON,
    "help.links.revoke": ("作废此对象的链接。", "Revoke this recipient's link."),
    "help.links.renew": ("给此对象换一个新链接（旧链接随即失效）。",
                         "Give this recipient a new link (the old one stops working)."),
    "help.serve": (
        "为工作目录（一轮考核的文件夹，或存放多轮考核的文件夹）启动工作人员控制台。\n\n"
        "在 127.0.0.1 上运行时，会为本机使用者打印一次性登录链接并在浏览器中打开；"
        "其他电脑上的同事用账号登录（sheetops user add）。",
        "Run the staff console for WORKSPACE (a round folder, or a folder of rounds).\n\n"
        "On 127.0.0.1 it prints a one-time sign-in link for the person at this machine and "
        "opens it in the browser; colleagues elsewhere sign in with accounts (sheetops user "
        "add).",
    ),
    "help.serve.host": (
        "监听地址。除 127.0.0.1 以外的地址都会把控制台开放到网络上：此时请使用 HTTPS。",
        "Address to listen on. Anything but 127.0.0.1 opens the console to the network: use "
        "HTTPS there.",
    ),
    "help.serve.port": ("监听端口。", "Port to listen on."),
    "help.serve.no-browser": ("不打开浏览器。", "Do not open a browser."),
    "help.serve.certfile": ("TLS 证书（PEM），用于 HTTPS。", "TLS certificate (PEM), for HTTPS."),
    "help.serve.keyfile": ("TLS 私钥（PEM），用于 HTTPS。", "TLS private key (PEM), for HTTPS."),
    "help.user": ("添加、列出、删除控制台账号，设置密码。",
                  "Add, list and remove console accounts and set their passwords."),
    "help.user.add": ("在工作目录的控制台添加一个账号。",
                      "Add an account to the console of WORKSPACE."),
    "help.user.add.role": (
        "admin：全部权限；staff：办理考核；viewer：只能查看和下载。",
        "admin: everything; staff: run the round; viewer: read and download.",
    ),
    "help.user.add.password-stdin": _PASSWORD_STDIN,
    "help.user.list": ("列出控制台的账号及其角色。", "List the console's accounts and their roles."),
    "help.user.passwd": ("设置账号的密码；该账号已登录的会话随即失效。",
                         "Set an account's password; its sessions end."),
    "help.user.passwd.password-stdin": _PASSWORD_STDIN,
    "help.user.remove": (
        "删除账号：其会话立即失效，其令牌不再可用。",
        "Remove an account: its sessions end at once and its tokens stop working.",
    ),
    "help.token": ("创建和作废 API 令牌（供脚本和本单位其他系统使用）。",
                   "Create and revoke API tokens (for scripts and the unit's other systems)."),
    "help.token.add": (
        "为账号创建令牌，并单独输出到标准输出（只显示这一次）。",
        "Create a token for account NAME and print it alone on standard output (only now).",
    ),
    "help.token.list": ("列出令牌（令牌本身从不保存）。",
                        "List the tokens (their secrets are never kept)."),
    "help.token.revoke": ("作废这个编号的令牌（编号见 token list）。",
                          "Revoke token ID (as ``token list`` shows it)."),
    "help.demo": (
        "在 DIR（默认：./sheetops-demo）用示例名册完整演示一轮考核。\n\n"
        "依次为 init、generate、模拟交回（分数各异，含一项否决、一次重交和几个有问题的文件）、"
        "collect 和 rank。",
        "Run a whole round on the sample roster in DIR (default: ./sheetops-demo).\n\n"
        "init, generate, simulated returns (varied scores, a veto, a resubmission, bad files), "
        "collect and rank.",
    ),
    "help.demo.lang": ("演示考核的语言。", "Language of the demo round."),
    # -- click's messages, by their English text --------------------------------------------
    "click.Usage:": ("用法：", "Usage:"),
    "click.Options": ("选项", "Options"),
    "click.Commands": ("命令", "Commands"),
    "click.Positional arguments": ("位置参数", "Positional arguments"),
    "click.Show this message and exit.": ("显示此帮助信息并退出。", "Show this message and exit."),
    "click.Show the version and exit.": ("显示版本号并退出。", "Show the version and exit."),
    "click.%(prog)s, version %(version)s": ("%(prog)s，版本 %(version)s",
                                            "%(prog)s, version %(version)s"),
    "click.Error: {message}": ("错误：{message}", "Error: {message}"),
    "click.Try '{command} {option}' for help.": ("运行 '{command} {option}' 查看帮助。",
                                                 "Try '{command} {option}' for help."),
    "click.Aborted!": ("已中止。", "Aborted!"),
    "click.Missing command.": ("缺少命令。", "Missing command."),
    "click.No such command {name!r}.": ("没有“{name}”这个命令。", "No such command {name!r}."),
    "click.No such option {name!r}.": ("没有“{name}”这个选项。", "No such option {name!r}."),
    "click.Did you mean {possibility}?": ("您是不是要找 {possibility}？",
                                          "Did you mean {possibility}?"),
    "click.(Did you mean one of: {possibilities}?)": (
        "（您是不是要找以下之一：{possibilities}？）", "(Did you mean one of: {possibilities}?)"),
    "click.Missing argument": ("缺少参数", "Missing argument"),
    "click.Missing option": ("缺少选项", "Missing option"),
    "click.Missing parameter": ("缺少参数", "Missing parameter"),
    "click.Missing {param_type}": ("缺少{param_type}", "Missing {param_type}"),
    "click.Missing parameter: {param_name}": ("缺少参数：{param_name}",
                                              "Missing parameter: {param_name}"),
    "click.Got unexpected extra argument ({args})": ("多出了参数（{args}）",
                                                     "Got unexpected extra argument ({args})"),
    "click.Got unexpected extra arguments ({args})": ("多出了参数（{args}）",
                                                      "Got unexpected extra arguments ({args})"),
    "click.Invalid value for {param_hint}: {message}": (
        "{param_hint} 的值无效：{message}", "Invalid value for {param_hint}: {message}"),
    "click.Invalid value: {message}": ("值无效：{message}", "Invalid value: {message}"),
    "click.unknown error": ("未知错误", "unknown error"),
    "click.Could not open file {filename!r}: {message}": (
        "无法打开文件“{filename}”：{message}", "Could not open file {filename!r}: {message}"),
    "click.Option {name!r} does not take a value.": ("选项 {name} 不带取值。",
                                                     "Option {name!r} does not take a value."),
    "click.Option {name!r} requires an argument.": ("选项 {name} 后面需要一个值。",
                                                    "Option {name!r} requires an argument."),
    "click.Option {name!r} requires {nargs} arguments.": (
        "选项 {name} 后面需要 {nargs} 个值。", "Option {name!r} requires {nargs} arguments."),
    "click.Argument {name!r} takes {nargs} values.": ("参数 {name} 需要 {nargs} 个值。",
                                                      "Argument {name!r} takes {nargs} values."),
    "click.Invalid start character for option ({option})": (
        "选项的开头字符无效（{option}）", "Invalid start character for option ({option})"),
    "click.Takes {nargs} values but 1 was given.": ("需要 {nargs} 个值，但只给了 1 个。",
                                                    "Takes {nargs} values but 1 was given."),
    "click.Takes {nargs} values but {len} were given.": (
        "需要 {nargs} 个值，但给了 {len} 个。", "Takes {nargs} values but {len} were given."),
    "click.Value must be an iterable.": ("值必须是一组值。", "Value must be an iterable."),
    "click.required": ("必填", "required"),
    "click.env var: {var}": ("环境变量：{var}", "env var: {var}"),
    "click.default: {default}": ("默认：{default}", "default: {default}"),
    "click.(dynamic)": ("（动态）", "(dynamic)"),
    "click.deprecated": ("已停用", "deprecated"),
    "click.DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "提示：命令“{name}”已停用。{extra_message}",
        "DeprecationWarning: The command {name!r} is deprecated.{extra_message}"),
    "click.DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "提示：{param_type}“{name}”已停用。{extra_message}",
        "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}"),
    "click.Could not determine name for option with declarations {decls!r}": (
        "无法根据声明 {decls!r} 确定选项名称",
        "Could not determine name for option with declarations {decls!r}"),
    "click.No options defined but a name was passed ({name}). Did you mean to declare an "
    "argument instead? Did you mean to pass '--{name}'?": (
        "没有定义选项，却给了名称（{name}）。是要声明为参数吗？还是要写成 '--{name}'？",
        "No options defined but a name was passed ({name}). Did you mean to declare an "
        "argument instead? Did you mean to pass '--{name}'?"),
    "click.Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "参数只能有一个声明，实际有 {length} 个：{decls}。",
        "Arguments take exactly one parameter declaration, got {length}: {decls}."),
    "click.Name '{name}' defined twice": ("名称“{name}”定义了两次", "Name '{name}' defined twice"),
    "click.Boolean option {decl!r} cannot use the same flag for true/false.": (
        "开关选项 {decl!r} 的开、关不能用同一个写法。",
        "Boolean option {decl!r} cannot use the same flag for true/false."),
    "click.Do you want to continue?": ("是否继续？", "Do you want to continue?"),
    "click.Confirm the action without prompting.": ("不再询问，直接确认。",
                                                    "Confirm the action without prompting."),
    "click.d": ("天", "d"),  # days, in a progress bar's time left
    "click.Press any key to continue...": ("按任意键继续……", "Press any key to continue..."),
    "click.Repeat for confirmation": ("请再输入一次以确认", "Repeat for confirmation"),
    "click.Error: The two entered values do not match.": (
        "错误：两次输入不一致。", "Error: The two entered values do not match."),
    "click.Error: invalid input": ("错误：输入无效", "Error: invalid input"),
    "click.Unknown color {colour!r}": ("未知颜色 {colour!r}", "Unknown color {colour!r}"),
    "click.{editor}: Editing failed": ("{editor}：编辑失败", "{editor}: Editing failed"),
    "click.{editor}: Editing failed: {e}": ("{editor}：编辑失败：{e}",
                                            "{editor}: Editing failed: {e}"),
    "click.Windows error: {error}": ("Windows 错误：{error}", "Windows error: {error}"),
    "click.Unknown standard stream '{name}'": ("未知的标准流“{name}”",
                                               "Unknown standard stream '{name}'"),
    "click.Couldn't detect Bash version, shell completion is not supported.": (
        "无法识别 Bash 版本，不能使用命令补全。",
        "Couldn't detect Bash version, shell completion is not supported."),
    "click.Shell completion is not supported for Bash versions older than 4.4.": (
        "Bash 4.4 以前的版本不能使用命令补全。",
        "Shell completion is not supported for Bash versions older than 4.4."),
    "click.Choose from:\n\t{choices}": ("可选：\n\t{choices}", "Choose from:\n\t{choices}"),
    "click.{value!r} is not {choice}.": ("“{value}”无效，只能是 {choice}。",
                                         "{value!r} is not {choice}."),
    "click.{value!r} is not one of {choices}.": ("“{value}”无效，可选：{choices}。",
                                                 "{value!r} is not one of {choices}."),
    "click.Choice({choices})": ("Choice({choices})", "Choice({choices})"),
    "click.{value!r} does not match the format {format}.": (
        "“{value}”不符合格式 {format}。", "{value!r} does not match the format {format}."),
    "click.{value!r} does not match the formats {formats}.": (
        "“{value}”不符合以下任一格式：{formats}。",
        "{value!r} does not match the formats {formats}."),
    "click.{value} is not in the range {range}.": ("{value} 不在 {range} 范围内。",
                                                   "{value} is not in the range {range}."),
    "click.{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值。可以写：{states}",
        "{value!r} is not a valid boolean. Recognized values: {states}"),
    "click.{len_type} values are required, but {len_value} was given.": (
        "需要 {len_type} 个值，但给了 {len_value} 个。",
        "{len_type} values are required, but {len_value} was given."),
    "click.{len_type} values are required, but {len_value} were given.": (
        "需要 {len_type} 个值，但给了 {len_value} 个。",
        "{len_type} values are required, but {len_value} were given."),
    "click.{value!r} is not a valid {number_type}.": ("“{value}”不是有效的{number_type}。",
                                                      "{value!r} is not a valid {number_type}."),
    "click.{value!r} is not a valid UUID.": ("“{value}”不是有效的 UUID。",
                                             "{value!r} is not a valid UUID."),
    "click.{name} {filename!r} does not exist.": ("{name}“{filename}”不存在。",
                                                  "{name} {filename!r} does not exist."),
    "click.{name} {filename!r} is a file.": ("“{filename}”是文件，这里需要{name}。",
                                             "{name} {filename!r} is a file."),
    "click.{name} {filename!r} is a directory.": ("“{filename}”是文件夹，这里需要{name}。",
                                                  "{name} {filename!r} is a directory."),
    "click.{name} {filename!r} is not readable.": ("{name}“{filename}”无法读取。",
                                                   "{name} {filename!r} is not readable."),
    "click.{name} {filename!r} is not writable.": ("{name}“{filename}”无法写入。",
                                                   "{name} {filename!r} is not writable."),
    "click.{name} {filename!r} is not executable.": ("{name}“{filename}”无法执行。",
                                                     "{name} {filename!r} is not executable."),
    # the names of click's value types (metavars, and "… is not a valid integer")
    "click.file": ("文件", "file"),
    "click.directory": ("文件夹", "directory"),
    "click.path": ("路径", "path"),
    "click.text": ("文本", "text"),
    "click.integer": ("整数", "integer"),
    "click.integer range": ("整数", "integer range"),
    "click.float": ("数值", "float"),
    "click.float range": ("数值", "float range"),
    "click.boolean": ("是/否", "boolean"),
    "click.choice": ("选项", "choice"),
}
