"""The command line as a whole: demo, help texts, README coverage."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheetops.cli import main

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += all_commands(command, full + " ")
    return found


COMMANDS = all_commands(main)


@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name: str, command: click.Command) -> None:
    assert command.help and len(command.help.strip()) > 20
    result = CliRunner().invoke(main, [*name.split(), "--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")


@pytest.mark.parametrize("name", [n for n, c in COMMANDS if not isinstance(c, click.Group)])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"sheetops {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_demo_runs_a_round_in_a_new_folder(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", str(target)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith(f"（demo-year-end）：{target}")
    assert lines[1] == "  12 个支部，2 名巡查人员；考核方案：党支部建设目标管理考核表（2026.1）"
    assert lines[2] == (f"已生成 14 个工作簿，共 60 张评分表（自评 12、互评 36、考评 12），"
                        f"保存在 {target / 'outbox'}")
    assert len(list((target / "outbox").rglob("*.xlsx"))) == 14


def test_demo_refuses_a_folder_in_use(tmp_path: Path) -> None:
    (tmp_path / "something.txt").write_text("x")
    result = CliRunner().invoke(main, ["demo", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"错误：{tmp_path} 已存在且不是空目录。请指定一个新目录，例如：sheetops demo 新目录\n")


def test_round_commands_on_a_folder_without_a_round(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (
        f"错误：{tmp_path} 不是考核轮次目录（找不到 round.toml）。请先运行 sheetops init。\n")
