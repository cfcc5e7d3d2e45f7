"""The command line's own words (help, usage errors) in the round's language: Chinese unless
the round, SHEETOPS_LANG or the system's locale says English."""

from __future__ import annotations

import ast
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import sheetops
from sheetops.cli.language import decide_language, display_width, language_of, wrap_wide
from sheetops.cli.main import main
from sheetops.core.catalog import CATALOG

# no setting and a locale that names no language: the default
PLAIN = {"SHEETOPS_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C"}
ENGLISH = {**PLAIN, "SHEETOPS_LANG": "en"}


def run(*args: object, env: dict[str, str | None] = PLAIN) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


@pytest.fixture
def english_round(tmp_path: Path) -> Path:
    root = tmp_path / "english"
    root.mkdir()
    (root / "round.toml").write_text('[round]\nlanguage = "en"\n', encoding="utf-8")
    return root


@pytest.fixture
def chinese_round(tmp_path: Path) -> Path:
    root = tmp_path / "中文"
    root.mkdir()
    (root / "round.toml").write_text('[round]\nlanguage = "zh-CN"\n', encoding="utf-8")
    return root


def test_top_level_help_in_chinese_by_default_and_in_english_when_asked() -> None:
    chinese = run("--help")
    assert chinese.exit_code == 0
    assert chinese.output.startswith(
        "用法：main [选项] 命令 [参数]...\n\n  在 Excel 工作簿上开展党组织考核。\n")
    assert "\n选项：\n  --version  显示版本号并退出。\n  --help     显示此帮助信息并退出。\n" in (
        chinese.output)
    assert "\n命令：\n  init      新建一轮考核的文件夹" in chinese.output
    assert "\n  rank      汇总已采用的表格，执行一票否决，定档排名；生成汇总表\n" in chinese.output
    english = run("--help", env=ENGLISH)
    assert english.output.startswith("Usage: main [OPTIONS] COMMAND [ARGS]...\n\n"
                                     "  Run a Party committee's assessment rounds")
    assert "\nOptions:\n  --version  Show the version and exit.\n" in english.output
    assert "\nCommands:\n  init " in english.output


def test_the_version() -> None:
    assert run("--version").output == f"sheetops，版本 {sheetops.__version__}\n"
    assert run("--version", env=ENGLISH).output == f"sheetops, version {sheetops.__version__}\n"


def test_a_commands_help_follows_the_round_named(english_round: Path,
                                                 chinese_round: Path) -> None:
    assert run("rank", "--help").output == (
        "用法：main rank [选项] 轮次目录\n\n"
        "  汇总已采用的表格，执行一票否决，定档排名；生成汇总表。\n\n"
        "选项：\n"
        "  --json  只输出一个 JSON 文档，不输出其他内容。\n"
        "  --all   列出全部支部（排名较长时默认只列前 10 名）。\n"
        "  --help  显示此帮助信息并退出。\n")
    english = (
        "Usage: main rank [OPTIONS] ROUND_DIR\n\n"
        "  Merge accepted forms, apply vetoes, grade and rank; write the summary\n"
        "  workbook.\n\n"
        "Options:\n"
        "  --json  Print one JSON document, nothing else.\n"
        "  --all   Print every branch (a long ranking shows its top 10).\n"
        "  --help  Show this message and exit.\n")
    assert run("rank", "--help", env=ENGLISH).output == english
    assert run("rank", english_round, "--help").output == english
    # the round's language wins over the setting
    assert run("rank", chinese_round, "--help", env=ENGLISH).output.startswith("用法：")


def test_a_missing_argument(english_round: Path) -> None:
    chinese = run("rank")
    assert chinese.exit_code == 2
    assert chinese.output == (
        "用法：main rank [选项] 轮次目录\n"
        "运行 'main rank --help' 查看帮助。\n\n"
        "错误：缺少参数 '轮次目录'。\n")
    assert run("rank", env=ENGLISH).output == (
        "Usage: main rank [OPTIONS] ROUND_DIR\n"
        "Try 'main rank --help' for help.\n\n"
        "Error: Missing argument 'ROUND_DIR'.\n")
    assert run("veto", english_round).output.endswith("Error: Missing argument 'BRANCH'.\n")
    chinese_veto = run("veto", "x")
    assert chinese_veto.output == (
        "用法：main veto [选项] 轮次目录 支部代码 否决事项\n"
        "运行 'main veto --help' 查看帮助。\n\n"
        "错误：缺少参数 '支部代码'。\n")
    assert run("veto", "x", "0101").output.endswith("错误：缺少参数 '否决事项'。\n")
    assert run("accept", "x").output.endswith("错误：缺少参数 '文件指纹'。\n")
    assert run("restore").output.endswith("错误：缺少参数 '备份文件.zip'。\n")
    assert run("collect", "--help").output.startswith(
        "用法：main collect [选项] 轮次目录 [来源]...\n")
    assert run("collect", "--help", env=ENGLISH).output.startswith(
        "Usage: main collect [OPTIONS] ROUND_DIR [SOURCES]...\n")
    assert run("init", "x").output.endswith("错误：缺少选项 '--roster'。\n")
    assert run("scheme", "check").output.endswith("错误：缺少参数 '方案文件'。\n")
    assert run("user", "add", english_round, "anna").output.endswith(
        "Error: Missing option '--role'. Choose from:\n\tadmin,\n\tstaff,\n\tviewer\n")


def test_a_misspelt_command_suggests_the_nearest(english_round: Path) -> None:
    chinese = run("rnak")
    assert chinese.exit_code == 2
    assert chinese.output == (
        "用法：main [选项] 命令 [参数]...\n"
        "运行 'main --help' 查看帮助。\n\n"
        "错误：没有“rnak”这个命令。您是不是要找 rank？\n")
    assert run("rnak", env=ENGLISH).output.endswith(
        "Error: No such command 'rnak'. Did you mean rank?\n")
    assert run("rnak", english_round).output.endswith(
        "Error: No such command 'rnak'. Did you mean rank?\n")
    assert run("xyz").output.endswith("错误：没有“xyz”这个命令。\n")
    assert run("scheme", "chek").output.endswith(
        "错误：没有“chek”这个命令。您是不是要找 check？\n")
    assert run("--jsn").output.endswith("错误：没有“--jsn”这个选项。\n")
    assert run("--verion").output.endswith("错误：没有“--verion”这个选项。您是不是要找 --version？\n")


def test_a_missing_file_a_bad_value_and_an_extra_argument(tmp_path: Path,
                                                          english_round: Path) -> None:
    missing = tmp_path / "无此备份.zip"
    chinese = run("restore", missing, tmp_path / "new")
    assert chinese.exit_code == 2
    assert chinese.output.endswith(f"错误：'备份文件.zip' 的值无效：文件“{missing}”不存在。\n")
    assert run("restore", missing, tmp_path / "new", env=ENGLISH).output.endswith(
        f"Error: Invalid value for 'BACKUP.zip': File '{missing}' does not exist.\n")
    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(b"")
    assert run("init", tmp_path / "r", "--roster", roster, "--period", "autumn").output.endswith(
        "错误：'--period' 的值无效：“autumn”无效，可选：'half-year', 'year-end'。\n")
    assert run("serve", tmp_path, "--port", "x").output.endswith(
        "错误：'--port' 的值无效：“x”不是有效的整数。\n")
    assert run("rank", english_round, "extra").output.endswith(
        "Error: Got unexpected extra argument (extra)\n")
    assert run("rank", tmp_path, "多余").output.endswith("错误：多出了参数（多余）\n")
    assert run("rank", tmp_path, "--jsn").output.endswith(
        "错误：没有“--jsn”这个选项。您是不是要找 --json？\n")
    assert run("rank", english_round, "--jsn").output.endswith(
        "Error: No such option '--jsn'. Did you mean --json?\n")


def test_messages_outside_a_round_follow_the_command_line(tmp_path: Path) -> None:
    assert run("rank", tmp_path).output == (
        f"错误：{tmp_path} 不是考核轮次目录（找不到 round.toml）。请先运行 sheetops init。\n")
    assert run("rank", tmp_path, env=ENGLISH).output.startswith(f"Error: {tmp_path} is not a ")
    assert run("user", "list", tmp_path, env=ENGLISH).output.startswith("No accounts")


def test_option_help_shows_types_and_required_in_chinese() -> None:
    shown = run("init", "--help").output
    assert "  --roster 文件                  名册工作簿（工作表：支部、巡查组，可选互评）。\n" in shown
    assert "[必填]" in shown and "[默认：year-end]" in shown and "--id 文本 " in shown
    english = run("init", "--help", env=ENGLISH).output
    assert "  --roster FILE " in english and "[required]" in english and "--id TEXT " in english


def test_chinese_help_wraps_by_display_width() -> None:
    shown = run("collect", "--help").output
    widths = [display_width(line) for line in shown.splitlines()]
    assert max(widths) <= 80
    assert wrap_wide("一二三四五，六七", 10) == ["一二三四", "五，六七"]  # no line starts with "，"
    assert wrap_wide("一二三四[五六]", 10) == ["一二三四", "[五六]"]  # nor ends with "["
    assert wrap_wide("运行 sheetops collect 收取", 12) == ["运行", "sheetops", "collect 收取"]


@pytest.mark.parametrize("args, environ, expected", [
    (["rank", "--lang", "en"], {"SHEETOPS_LANG": "zh-CN"}, "en"),
    (["scheme", "check", "x.yaml", "--lang=en"], {}, "en"),
    (["rank", "x"], {"SHEETOPS_LANG": "en"}, "en"),
    (["rank", "x"], {"SHEETOPS_LANG": "en", "LANG": "zh_CN.UTF-8"}, "en"),
    (["rank", "x"], {"LANG": "en_GB.UTF-8"}, "en"),
    (["rank", "x"], {"LC_ALL": "zh_CN.GBK", "LANG": "en_US.UTF-8"}, "zh-CN"),
    (["rank", "x"], {"LANG": "C.UTF-8"}, "zh-CN"),
    (["rank", "x"], {"LANG": "fr_FR.UTF-8"}, "zh-CN"),
    (["rank", "x"], {"SHEETOPS_LANG": "klingon", "LANG": "en_US"}, "en"),
])
def test_the_language_a_command_line_speaks(args: list[str], environ: dict[str, str],
                                            expected: str) -> None:
    assert decide_language(args, environ) == expected


def test_the_round_named_decides_before_the_setting(english_round: Path,
                                                    chinese_round: Path) -> None:
    assert decide_language(["rank", str(english_round)], {"LANG": "zh_CN"}) == "en"
    assert decide_language(["rank", str(chinese_round)], {"SHEETOPS_LANG": "en"}) == "zh-CN"
    assert decide_language(["rank", "x" * 5000, str(english_round)], {}) == "en"


@pytest.mark.parametrize("name, expected", [
    ("zh_CN.UTF-8", "zh-CN"), ("zh-TW", "zh-CN"), ("Chinese (Simplified)_China", "zh-CN"),
    ("en_US", "en"), ("English_United States", "en"), ("C", None), ("", None), (None, None),
])
def test_locale_names(name: str | None, expected: str | None) -> None:
    assert language_of(name) == expected


def click_messages() -> set[str]:
    """Every message click's modules pass to gettext as a literal."""
    found = set()
    for path in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "ngettext")):
                found.update(arg.value for arg in node.args[:2]
                             if isinstance(arg, ast.Constant) and isinstance(arg.value, str))
    return found


def test_every_click_message_is_in_the_catalog() -> None:
    messages = click_messages()
    assert len(messages) > 60
    assert sorted(m for m in messages if f"click.{m}" not in CATALOG) == []
