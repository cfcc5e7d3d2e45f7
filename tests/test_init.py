"""Roster checks and ``sheetops init``: located messages, frozen files, settings, key."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from sheetops.cli.main import main
from sheetops.core.errors import RosterError, RoundError
from sheetops.model.roster import assign_peers, load_roster
from sheetops.model.round import RoundConfig, parse_round_config, render_round_toml
from sheetops.model.scheme_file import default_scheme_path, load_scheme
from sheetops.model.workspace import open_round

from .conftest import branches, write_roster


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_init_creates_the_round(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", branches(5))
    root = tmp_path / "r"
    code, output = invoke("init", str(root), "--roster", str(roster), "--id", "2026-year-end")
    assert code == 0, output
    year = dt.date.today().year
    assert output == (
        f"已创建考核轮次“{year}年度党支部建设目标管理年终考核”（2026-year-end）：{root}\n"
        "  5 个支部，1 名巡查人员；考核方案：党支部建设目标管理考核表（2026.1）\n"
        f"下一步：检查 round.toml 后运行 sheetops generate {root}\n"
    )
    assert sorted(p.name for p in root.iterdir()) == [
        ".sheetops", "archive", "inbox", "outbox", "reports", "roster.xlsx", "round.toml",
        "scheme.yaml",
    ]
    assert (root / "scheme.yaml").read_bytes() == default_scheme_path("zh-CN").read_bytes()
    assert (root / "roster.xlsx").read_bytes() == roster.read_bytes()
    assert (root / ".sheetops" / "key").stat().st_mode & 0o777 == 0o600
    config = parse_round_config(tomllib.loads((root / "round.toml").read_text("utf-8")))
    assert config.id == "2026-year-end"
    assert config.deadline == dt.date.today() + dt.timedelta(days=14)
    assert dict(config.weights) == {"self": Decimal("0.2"), "peer": Decimal("0.3"),
                                    "inspector": Decimal("0.5")}
    assert dict(config.missing) == {"self": "renormalise", "peer": "renormalise",
                                    "inspector": "pending"}
    assert (config.trim_min_forms, config.tie_breaks, config.decimals) == (
        5, ("inspector", "peer"), 2)


def test_round_toml_spells_out_and_comments_every_default() -> None:
    config = RoundConfig(id="2026-year-end", title="标题", period="year-end",
                         deadline=dt.date(2026, 12, 11), language="zh-CN")
    toml = render_round_toml(config)
    assert parse_round_config(tomllib.loads(toml)) == config
    for line in ("peers_per_branch = 3", "self = 0.2", "peer = 0.3", "inspector = 0.5",
                 'inspector = "pending"', "min_forms = 5", 'tie_breaks = ["inspector", "peer"]',
                 "decimals = 2", 'password = ""', 'note_below_max = "warning"',
                 "deadline = 2026-12-11"):
        assert line in toml.splitlines()
    tables = [line for line in toml.splitlines() if line.startswith("[")]
    for table in tables:  # each table is explained by a comment right under it
        following = toml.splitlines()[toml.splitlines().index(table) + 1]
        assert following.startswith("# ")


@pytest.mark.parametrize("title", ["两行\n标题", "制表\t符", 'quote " and \\ back', "bell\x07\x7f"])
def test_round_toml_escapes_every_control_character(title: str) -> None:
    config = RoundConfig(id="r1", title=title, period="year-end",
                         deadline=dt.date(2026, 12, 21), language="zh-CN")
    assert parse_round_config(tomllib.loads(render_round_toml(config))).title == title


def test_round_time_zone_and_mail_settings() -> None:
    base = render_round_toml(RoundConfig(id="r1", title="t", period="year-end",
                                         deadline=dt.date(2026, 12, 21), language="zh-CN"))
    config = parse_round_config(tomllib.loads(base))
    assert (config.timezone, str(config.zone), config.mail.smtp_security) == (
        "Asia/Shanghai", "Asia/Shanghai", "starttls")
    edited = base.replace('timezone = "Asia/Shanghai"', 'timezone = "Mars/Olympus"')
    with pytest.raises(RoundError) as raised:
        parse_round_config(tomllib.loads(edited))
    assert raised.value.render("zh-CN") == (
        "round.toml 中 round.timezone 的值“Mars/Olympus”无效：应为时区名称，例如 Asia/Shanghai")


def test_the_advanced_lists_issuer_date_and_order() -> None:
    base = render_round_toml(RoundConfig(id="r1", title="t", period="year-end",
                                         deadline=dt.date(2026, 12, 21), language="zh-CN"))
    assert [line for line in base.splitlines() if line.startswith(("issuer", "issue_date",
                                                                    "advanced_order"))] == [
        'issuer = ""', 'issue_date = ""', 'advanced_order = "rank"']
    default = parse_round_config(tomllib.loads(base))
    assert (default.issuer, default.issue_date, default.advanced_order) == ("", None, "rank")
    edited = (base.replace('issuer = ""', 'issuer = " 中共××委员会 "')
              .replace('issue_date = ""', 'issue_date = "2026年12月28日"')
              .replace('advanced_order = "rank"', 'advanced_order = "roster"'))
    config = parse_round_config(tomllib.loads(edited))
    assert (config.issuer, config.issue_date, config.advanced_order) == (
        "中共××委员会", dt.date(2026, 12, 28), "roster")
    assert parse_round_config(tomllib.loads(render_round_toml(config))) == config
    for bad, message in (('issue_date = "下周"', "round.issue_date 的值“下周”无效"),
                         ('advanced_order = "score"', "round.advanced_order 的值“score”无效")):
        key = bad.split(" = ")[0]
        line = next(line for line in base.splitlines() if line.startswith(key))
        with pytest.raises(RoundError) as raised:
            parse_round_config(tomllib.loads(base.replace(line, bad)))
        assert message in raised.value.render("zh-CN")


@pytest.mark.parametrize("trim, zh, en", [
    ("min_forms = 2", "“2”无效：应大于去掉的份数（最高分 1 份加最低分 1 份），即至少为 3",
     "'2' is invalid: it must be larger than the forms trimming drops (1 highest plus 1 "
     "lowest), so at least 3"),
    ("min_forms = 4\ndrop_highest = 2\ndrop_lowest = 2",
     "“4”无效：应大于去掉的份数（最高分 2 份加最低分 2 份），即至少为 5",
     "'4' is invalid: it must be larger than the forms trimming drops (2 highest plus 2 "
     "lowest), so at least 5"),
])
def test_trimming_that_could_leave_no_form_is_refused(trim: str, zh: str, en: str) -> None:
    config = RoundConfig(id="r1", title="t", period="year-end", deadline=dt.date(2026, 12, 21),
                         language="zh-CN")
    toml = render_round_toml(config).replace(
        "min_forms = 5\ndrop_highest = 1\ndrop_lowest = 1", trim)
    with pytest.raises(RoundError) as raised:
        parse_round_config(tomllib.loads(toml))
    assert raised.value.render("zh-CN") == (
        f"round.toml 中 trim.min_forms 的值{zh}，否则去掉最高、最低分后可能一份互评表也不剩。"
        "请改大 min_forms，或减少 drop_highest、drop_lowest")
    assert raised.value.render("en") == (
        f"round.toml: trim.min_forms = {en}: otherwise trimming could leave no peer form to "
        "average. Raise min_forms, or lower drop_highest or drop_lowest")


def test_a_rounds_own_bad_setting_is_reported_in_its_language(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", branches(4))
    root = tmp_path / "r"
    assert invoke("init", str(root), "--roster", str(roster), "--lang", "en")[0] == 0
    toml = root / "round.toml"
    toml.write_text(toml.read_text("utf-8").replace("min_forms = 5", "min_forms = 1"), "utf-8")
    assert invoke("rank", str(root)) == (
        1, "Error: round.toml: trim.min_forms = '1' is invalid: it must be larger than the "
        "forms trimming drops (1 highest plus 1 lowest), so at least 3: otherwise trimming "
        "could leave no peer form to average. Raise min_forms, or lower drop_highest or "
        "drop_lowest\n")


def test_init_refuses_an_existing_round(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", branches(5))
    root = tmp_path / "r"
    assert invoke("init", str(root), "--roster", str(roster))[0] == 0
    before = (root / "round.toml").read_bytes(), (root / ".sheetops" / "key").read_bytes()
    code, output = invoke("init", str(root), "--roster", str(roster))
    assert (code, output) == (1, f"错误：{root} 已经是一个考核轮次，不会覆盖。如需重建，请换一个目录。\n")
    assert ((root / "round.toml").read_bytes(), (root / ".sheetops" / "key").read_bytes()) == before


def test_init_refuses_a_folder_with_files(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", branches(5))
    code, output = invoke("init", str(tmp_path), "--roster", str(roster), "--lang", "en")
    assert (code, output) == (
        1, f"Error: {tmp_path} is not empty; a round is only created in a new or empty folder.\n")


def test_init_in_english_with_the_english_scheme(tmp_path: Path) -> None:
    roster = write_roster(tmp_path / "roster.xlsx", branches(4))
    root = tmp_path / "r"
    code, output = invoke("init", str(root), "--roster", str(roster), "--lang", "en",
                          "--period", "half-year", "--id", "h1")
    assert code == 0, output
    year = dt.date.today().year
    assert output.splitlines() == [
        f"Created round '{year} Party Branch Target-Management Half-Year Review' (h1) in {root}",
        "  4 branches, 1 inspectors; scheme: Party Branch Target-Management Assessment Form "
        "(2026.1)",
        f"Next: review round.toml, then run: sheetops generate {root}",
    ]
    assert load_scheme(root / "scheme.yaml").language == "en"


def test_chinese_headers_and_text_codes(tmp_path: Path) -> None:
    path = write_roster(
        tmp_path / "roster.xlsx",
        [("0012", "第一支部", "张三", "a@example.org"), ("0013", "第二支部", "李四", "b@example.org")],
        [("X1", "巡查组", "x@example.org", "0012，0013")],
        [("0012", "0013"), ("0013", "0012")],
        branch_header=("代码", "名称", "书记", "邮箱"),
        inspector_header=("代码", "名称", "邮箱", "负责支部"),
        peer_header=("评分支部", "被评支部"),
    )
    roster, warnings = load_roster(path, peers_per_branch=3)
    assert warnings == []
    assert [b.code for b in roster.branches] == ["0012", "0013"]
    assert roster.inspectors[0].branches == ("0012", "0013")
    assert assign_peers(roster, 3, "any") == [("0012", "0013"), ("0013", "0012")]


def test_phone_and_member_count_are_read_in_either_language(tmp_path: Path) -> None:
    path = write_roster(
        tmp_path / "roster.xlsx",
        [("0012", "第一支部", "张三", "a@example.org", 13800000012, 45),
         ("0013", "第二支部", "李四", "b@example.org", "0571-88001234", "")],
        branch_header=("支部代码", "支部名称", "书记", "邮箱", "联系电话", "党员人数"),
    )
    roster, _ = load_roster(path, peers_per_branch=1)
    assert [(b.phone, b.members) for b in roster.branches] == [
        ("13800000012", 45), ("0571-88001234", None)]
    english = write_roster(tmp_path / "english.xlsx", [("0012", "One", "", "", "", 7)],
                           branch_header=("code", "name", "secretary", "email", "phone",
                                          "members"))
    assert load_roster(english, peers_per_branch=0)[0].branches[0].members == 7


ROSTER_CASES = [
    pytest.param(
        dict(rows=[("0001", "一支部", "", "a@example.org"), ("0001", "二支部", "", "b@example.org"),
                   ("0003", "三支部", "", "c@example.org"), ("0004", "四支部", "", "d@example.org")]),
        ["  branches!A3: 代码“0001”重复（首次出现在 branches!A2）"],
        id="duplicate-code",
    ),
    pytest.param(
        dict(inspectors=[("X1", "巡查组", "x@example.org", "0001,0002,0003,0004,0099")]),
        ["  inspectors!D2: 支部代码“0099”不在“支部”表中"],
        id="unknown-inspected-branch",
    ),
    pytest.param(
        dict(peers=[("0001", "0002"), ("0002", "0002"), ("0003", "0404")]),
        ["  peers!B3: 支部“0002”被安排给自己互评", "  peers!B4: 支部代码“0404”不在“支部”表中"],
        id="self-and-unknown-peer",
    ),
    pytest.param(
        dict(peers=[("0001", "0002"), ("0001", "0002")]),
        ["  peers!B3: 互评安排“0001 → 0002”重复（首次出现在 peers!B2）"],
        id="duplicate-peer",
    ),
    pytest.param(
        dict(rows=branches(3)),
        ["  roster.xlsx: 每个支部安排 3 个互评支部，但名册只有 3 个支部（最多可安排 2 个）"],
        id="too-many-peers",
    ),
    pytest.param(
        dict(rows=[("00 1", "一支部", "", "a@example.org"), *branches(4)[1:]]),
        ["  branches!A2: 代码“00 1”格式不对：只能含字母、数字、点、横线和下划线，不超过 20 个字符"],
        id="bad-code",
    ),
    pytest.param(
        dict(inspectors=[("0001", "巡查组", "x@example.org", ""),
                         ("X2", "巡查二组", "x2@example.org", "")]),
        ["  inspectors!A2: 代码“0001”重复（首次出现在 branches!A2）"],
        id="inspector-reuses-branch-code",
    ),
    pytest.param(
        dict(rows=[("0001", "一支部", "张三", "a@example.org\r\nBcc: all@example.org"),
                   ("0002", "机关\n第二支部", "李四", "b@example.org"), *branches(4)[2:]],
             inspectors=[("X1", "巡查组", "x@exam\u2028ple.org", "")]),
        ["  branches!D2: “0001”这一格里有换行或不可见的控制字符，请删去（在 Excel 中换行是按 Alt+Enter 输入的）",
         "  branches!B3: “0002”这一格里有换行或不可见的控制字符，请删去（在 Excel 中换行是按 Alt+Enter 输入的）",
         "  inspectors!C2: “X1”这一格里有换行或不可见的控制字符，请删去（在 Excel 中换行是按 Alt+Enter 输入的）"],
        id="line-break-in-a-cell",
    ),
]


@pytest.mark.parametrize("case, expected", ROSTER_CASES)
def test_roster_errors_are_located(
    tmp_path: Path, case: dict[str, object], expected: list[str]
) -> None:
    rows = case.get("rows", branches(4))
    inspectors = case.get("inspectors", [("X1", "巡查组", "x@example.org", "")])
    path = write_roster(tmp_path / "roster.xlsx", rows, inspectors, case.get("peers"))  # type: ignore[arg-type]
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(path))
    assert code == 1
    assert output.splitlines() == [f"错误：名册 {path} 有 {len(expected)} 处问题：", *expected]
    assert not (tmp_path / "r").exists()


def test_a_member_count_that_is_not_a_whole_number_is_located(tmp_path: Path) -> None:
    rows = [(*row, count) for row, count in zip(branches(4), (12, "约30", 0, 8.0), strict=True)]
    path = write_roster(tmp_path / "roster.xlsx", rows, [("X1", "巡查组", "x@example.org", "")],
                        branch_header=("code", "name", "secretary", "email", "党员人数"))
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(path))
    assert (code, output.splitlines()) == (1, [
        f"错误：名册 {path} 有 2 处问题：",
        "  branches!E3: “0002”的党员人数“约30”不是正整数，请填写阿拉伯数字，如 45",
        "  branches!E4: “0003”的党员人数“0”不是正整数，请填写阿拉伯数字，如 45"])


def test_missing_email_is_only_a_warning(tmp_path: Path) -> None:
    rows = [("0001", "一支部", "", ""), *branches(4)[1:]]
    path = write_roster(tmp_path / "roster.xlsx", rows,
                        [("X1", "巡查组", "x@example.org", "0001,0002,0003")])
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(path))
    assert code == 0
    assert output.splitlines()[2:] == [
        "  branches!D2: “0001”没有填写邮箱，无法通过邮件发送（提示）",
        "  branches!A5: 支部“0004”没有安排巡查人员，将没有考评分、无法定级（提示）",
        f"下一步：检查 round.toml 后运行 sheetops generate {tmp_path / 'r'}",
    ]


def test_missing_sheet_and_column(tmp_path: Path) -> None:
    path = write_roster(tmp_path / "roster.xlsx", branches(4),
                        branch_header=("code", "title", "secretary", "email"))
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(path))
    assert (code, output.splitlines()) == (1, [
        f"错误：名册 {path} 有 1 处问题：",
        "  branches!1: 缺少“支部名称”列（表头可以是：支部名称 / 名称 / 支部 / name）",
    ])
    with pytest.raises(RosterError) as raised:
        load_roster(path, peers_per_branch=3)
    assert raised.value.render("en").splitlines()[1] == (
        "  branches!1: column 'name' is missing (accepted headers: name / 支部名称 / 名称 / 支部)")


def chinese_roster(path: Path, *, sheets: tuple[str, ...] = ("支部", "巡查组", "互评"),
                   branch_header: tuple[str, ...] = ("支部代码", "支部名称", "书记", "邮箱")) -> Path:
    """A roster as an office types it: Chinese sheet and column names."""
    book = openpyxl.Workbook()
    rows = {
        "支部": [branch_header, *branches(4)],
        "巡查组": [("巡查组代码", "巡查组名称", "邮箱", "负责支部"),
                ("X01", "第一巡查组", "x01@example.org", "0001、0002"),
                ("X02", "第二巡查组", "x02@example.org", "0003，0004")],
        "互评": [("评分支部", "被评支部"), ("0001", "0002"), ("0002", "0003"), ("0003", "0004"),
               ("0004", "0001")],
    }
    book.remove(book.active)
    for name in sheets:
        sheet = book.create_sheet(name)
        for row in rows[name]:
            sheet.append(list(row))
    book.save(path)
    return path


def test_a_roster_with_the_names_people_type(tmp_path: Path) -> None:
    roster, warnings = load_roster(chinese_roster(tmp_path / "名册.xlsx"), peers_per_branch=1)
    assert warnings == []
    assert [(b.code, b.name, b.secretary, b.email) for b in roster.branches] == branches(4)
    assert [(i.code, i.name, i.branches) for i in roster.inspectors] == [
        ("X01", "第一巡查组", ("0001", "0002")), ("X02", "第二巡查组", ("0003", "0004"))]
    assert roster.peers == (("0001", "0002"), ("0002", "0003"), ("0003", "0004"),
                            ("0004", "0001"))
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(tmp_path / "名册.xlsx"))
    assert code == 0, output


def test_a_chinese_roster_missing_a_sheet_or_column_names_the_chinese_headers(
    tmp_path: Path,
) -> None:
    path = chinese_roster(tmp_path / "名册.xlsx", sheets=("支部",),
                          branch_header=("代码", "单位", "书记", "电子邮箱"))
    code, output = invoke("init", str(tmp_path / "r"), "--roster", str(path))
    assert (code, output.splitlines()) == (1, [
        f"错误：名册 {path} 有 2 处问题：",
        "  支部!1: 缺少“支部名称”列（表头可以是：支部名称 / 名称 / 支部 / name）",
        "  名册.xlsx: 缺少工作表“巡查组”（工作表名可以是：巡查组 / 巡查人员 / 巡查 / 巡查组名单 / "
        "inspectors）",
    ])


def test_numeric_codes_warn_about_lost_zeros(tmp_path: Path) -> None:
    rows = [(12, "一支部", "", "a@example.org"), *branches(4)[1:]]
    path = write_roster(tmp_path / "roster.xlsx", rows)
    roster, warnings = load_roster(path, peers_per_branch=3)
    assert roster.branches[0].code == "12"
    assert [(w.where, w.key) for w in warnings] == [("branches!A2", "roster.numeric-code")]


@pytest.fixture
def notepad_round(tmp_path: Path) -> Path:
    roster = write_roster(tmp_path / "roster.xlsx", branches(4))
    root = tmp_path / "r"
    assert invoke("init", str(root), "--roster", str(roster), "--id", "2026-year-end")[0] == 0
    return root


def edit(root: Path, old: str, new: str, encoding: str = "utf-8") -> str:
    toml = root / "round.toml"
    original = toml.read_text("utf-8")
    lines = [line for line in original.splitlines() if line.startswith(old)]
    assert len(lines) == 1, old
    toml.write_bytes(original.replace(lines[0], new).replace("\n", "\r\n").encode(encoding))
    return lines[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_round_toml_saved_by_notepad_is_read(notepad_round: Path, encoding: str) -> None:
    edit(notepad_round, "title = ", 'title = "2026年度机关党支部考核"', encoding)
    assert open_round(notepad_round).config.title == "2026年度机关党支部考核"


@pytest.mark.parametrize("typed", [
    '"2026-12-21"', "2026/12/21", '"2026/12/21"', "2026年12月21日", '"2026年12月21日"',
    "2026.12.21  # 截止日期",
])
def test_a_deadline_typed_as_people_write_it(notepad_round: Path, typed: str) -> None:
    edit(notepad_round, "deadline = ", f"deadline = {typed}")
    assert open_round(notepad_round).config.deadline == dt.date(2026, 12, 21)


@pytest.mark.parametrize(("line", "message"), [
    ('title = “2026年度考核”',
     "round.toml 第 {n} 行（第 9 个字符处）写法有误：这一行用了中文引号或全角符号：请改用英文半角的"
     "双引号 \" 和等号 =。这一行是：title = “2026年度考核”"),
    ("title = 2026年度考核",
     "round.toml 第 {n} 行（第 13 个字符处）写法有误：等号后只能写一个值；文字要加英文双引号，"
     "日期写作 2026-12-21，注释以 # 开头。这一行是：title = 2026年度考核"),
    ("deadline = 2026年13月41日",
     "round.toml 第 {n} 行（第 16 个字符处）写法有误：“2026年13月41日”不是实际存在的日期："
     "请检查月份（1 至 12）和这个月的天数，例如 2026-12-21。这一行是：deadline = 2026年13月41日"),
    ("deadline = 2026-02-30  # 截止日期",
     "round.toml 第 {n} 行（第 12 个字符处）写法有误：“2026-02-30”不是实际存在的日期："
     "请检查月份（1 至 12）和这个月的天数，例如 2026-12-21。这一行是：deadline = 2026-02-30  # 截止日期"),
])
def test_a_syntax_error_names_its_line_and_what_to_change(
    notepad_round: Path, line: str, message: str
) -> None:
    key = line.split(" ")[0] + " = "
    edit(notepad_round, key, line)
    number = next(n for n, text in enumerate(
        (notepad_round / "round.toml").read_text("utf-8").splitlines(), 1) if text == line)
    code, output = invoke("status", str(notepad_round))
    assert (code, output) == (1, "错误：" + message.format(n=number) + "\n")


def test_a_round_toml_in_no_known_encoding(notepad_round: Path) -> None:
    (notepad_round / "round.toml").write_bytes(b"title = \"\xff\xfe\xff\"\n")
    assert invoke("status", str(notepad_round)) == (1, (
        "错误：round.toml 的编码无法识别。请用记事本打开，选择“另存为”，编码选 UTF-8 后保存。\n"))
