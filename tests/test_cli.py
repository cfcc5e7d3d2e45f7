"""The command line as a whole: demo, help texts, README coverage."""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sheetops.app.demo import run_demo
from sheetops.cli.language import option_flag
from sheetops.cli.main import main
from sheetops.core.catalog import CATALOG
from sheetops.model.workspace import Round

ROOT = Path(__file__).resolve().parents[1]


def all_commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    context = click.Context(group)
    for name in sorted(group.list_commands(context)):
        command = group.get_command(context, name)
        assert command is not None, name
        full = f"{prefix}{name}"
        found.append((full, command))
        if isinstance(command, click.Group):
            found += all_commands(command, full + " ")
    return found


COMMANDS = all_commands(main)


@pytest.mark.parametrize("lang, usage", [("zh-CN", "用法："), ("en", "Usage: ")])
@pytest.mark.parametrize("name, command", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_help(name: str, command: click.Command, lang: str, usage: str) -> None:
    result = CliRunner().invoke(main, [*name.split(), "--help"], env={"SHEETOPS_LANG": lang})
    assert result.exit_code == 0
    assert result.output.startswith(f"{usage}main {name} ")
    # the run gave the command, and every option, its help in the run's language
    assert command.help == CATALOG[f"help.{name.replace(' ', '.')}"][lang]
    assert len(command.help) > (20 if lang == "en" else 8)
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help == CATALOG[f"help.{name.replace(' ', '.')}.{option_flag(param)}"][lang]


@pytest.mark.parametrize("name", [n for n, c in COMMANDS if not isinstance(c, click.Group)])
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"sheetops {name}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_demo_runs_a_whole_round_as_the_readme_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The README shows a demo run on 2026-11-27; the simulation is seeded, so it is exact.
    monkeypatch.setattr("sheetops.cli.demo.run_demo",
                        functools.partial(run_demo, today=dt.date(2026, 11, 27)))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo"])
    assert result.exit_code == 0, result.output
    assert len(list(Path("sheetops-demo/outbox").rglob("*.xlsx"))) == 14 + 12  # + handbooks
    assert Path("sheetops-demo/reports/summary-demo-year-end.xlsx").is_file()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ sheetops demo\n", 1)[1].split("```", 1)[0]
    assert result.output == shown


def test_the_demos_next_step_works_as_printed_from_a_shell_without_the_venv(
        tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "sheetops"
    if not script.exists():
        pytest.skip("the sheetops console script is not installed beside this Python")
    # A shell that has not activated the virtual environment: sheetops is not on its PATH.
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    relative = os.path.relpath(script, tmp_path)
    demo = subprocess.run([relative, "demo", "演示"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr
    last = demo.stdout.splitlines()[-1]
    assert last == (
        f"提示：本终端直接输入 sheetops 找不到这个命令。请先运行 source "
        f"{Path(relative).parent / 'activate'}，上面提示的命令即可照样使用；"
        f"或在命令前写上路径，例如：{relative} status 演示")
    # The printed command runs as printed, in the same shell.
    command = last.split("例如：", 1)[1]
    status = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert status.returncode == 0, status.stderr
    assert "合计 60 张" in status.stdout
    # Activated as the note says, the demo's own "下一步" command works too.
    activated = subprocess.run(
        f"{last.split('请先运行 ', 1)[1].split('，', 1)[0]} && sheetops status 演示",
        shell=True, executable="/bin/bash", cwd=tmp_path, env=env, capture_output=True,
        text=True, timeout=120)
    assert activated.returncode == 0, activated.stderr
    assert activated.stdout == status.stdout


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


def test_collect_from_an_empty_inbox_says_where_the_returns_go(fresh: Round) -> None:
    root = fresh.paths.root
    result = CliRunner().invoke(main, ["collect", str(root)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"收件文件夹 {root / 'inbox'} 中没有文件。请先把各单位发回的工作簿（或 .zip 压缩包、"
        f".eml 邮件）保存到这个文件夹，再运行 sheetops collect {root}；文件放在别处的，"
        f"把文件或文件夹写在命令后面，如 sheetops collect {root} 附件文件夹")
    assert "下一步" not in result.output
