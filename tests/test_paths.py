"""A round in a folder whose path has Chinese characters, or is longer than Windows' 260 (as
an office's shared drive gives): the whole demo round, exactly as the README shows it."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheetops.app.demo import run_demo
from sheetops.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
CHINESE = Path("党委组织部") / "二〇二六年度 党支部考核（年终）"
# Files deeper than Windows' MAX_PATH of 260 characters (the ledger within SQLite's 512 bytes).
LONG = Path(*[f"{index:02d}-party-branch-assessment-records-资料" for index in range(6)])
# Past SQLite's 512 bytes: 15 folders of 18 Chinese characters (54 bytes each in UTF-8).
TOO_LONG = Path(*[f"第{index:02d}层 党建工作资料汇编目录" for index in range(15)])


@pytest.mark.parametrize("folder", [CHINESE, LONG], ids=["chinese", "long"])
def test_a_round_in_a_chinese_or_long_path(tmp_path: Path, folder: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sheetops.cli.demo.run_demo",
                        functools.partial(run_demo, today=dt.date(2026, 11, 27)))
    monkeypatch.chdir(tmp_path)
    (tmp_path / folder).mkdir(parents=True)
    where = folder / "sheetops-demo"
    result = CliRunner().invoke(main, ["demo", str(where)])
    assert result.exit_code == 0, result.output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ sheetops demo\n", 1)[1].split("```", 1)[0]
    assert result.output == shown.replace("sheetops-demo", str(where))
    longest = max(len(str(path.resolve())) for path in (tmp_path / where).rglob("*"))
    assert longest > (300 if folder == LONG else 0)


def test_a_round_too_deep_for_the_ledger_says_so(tmp_path: Path) -> None:
    where = tmp_path / TOO_LONG / "sheetops-demo"
    result = CliRunner().invoke(main, ["demo", str(where)])
    assert result.exit_code == 1
    ledger = where / ".sheetops" / "ledger.sqlite"
    assert result.output == (
        f"错误：账本数据库的路径太长（{len(str(ledger))} 个字符），无法打开：{ledger}。"
        "请把整个轮次目录移到路径较短的位置（例如 D:\\考核\\2026年终）后再运行。\n")
