"""Ordinary operating-system errors are messages a person can act on; bugs keep their
traceback and are saved under .sheetops/errors/."""

from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from sheetops.app.collect import collect_round
from sheetops.cli.main import main
from sheetops.core import files
from sheetops.model.workspace import Round

from .conftest import NOW
from .crafted import filled


@pytest.fixture
def returned(fresh: Round) -> Round:
    filled(fresh, "0101", "0101.xlsx")
    collect_round(fresh, now=NOW)
    return fresh


def refuse_replace(monkeypatch: pytest.MonkeyPatch, code: int, strerror: str) -> None:
    """os.replace fails as the system would (Windows refuses to replace a file open in Excel
    with 'Permission denied')."""

    def replace(source: object, target: object) -> None:
        raise OSError(code, strerror, str(source), None, str(target))

    monkeypatch.setattr(files.os, "replace", replace)


@pytest.mark.parametrize(("code", "strerror", "message"), [
    (errno.EACCES, "Permission denied",
     "错误：无法写入 {target}：文件正被其他程序打开，或没有写入权限。请先在 Excel 或 WPS 中关闭"
     "该文件，再重新运行。"),
    (errno.ENOSPC, "No space left on device",
     "错误：磁盘已满，无法写入 {target}。请清理出空间后重新运行；此前已写好的内容不受影响。"),
    (errno.EROFS, "Read-only file system",
     "错误：{target} 所在的位置是只读的，无法写入。请把轮次目录复制到可写的位置再运行。"),
    (errno.EIO, "Input/output error", "错误：无法读写 {target}：Input/output error"),
])
def test_a_report_that_cannot_be_written_is_a_message(
    returned: Round, monkeypatch: pytest.MonkeyPatch, code: int, strerror: str, message: str
) -> None:
    refuse_replace(monkeypatch, code, strerror)
    result = CliRunner().invoke(main, ["rank", str(returned.paths.root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    target = returned.paths.reports / "summary-2026-year-end.xlsx"
    assert sorted(p.name for p in target.parent.iterdir()) == [
        "rejections-2026-year-end.csv", "rejections-2026-year-end.xlsx"]  # no temporary copy
    assert lines[-1] == message.format(target=target)
    assert "Traceback" not in result.output
    assert not (returned.paths.private / "errors").exists()


def test_a_bug_keeps_its_traceback_and_is_saved(returned: Round,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("sheetops.cli.rank.rank_round", broken)
    result = CliRunner().invoke(main, ["rank", str(returned.paths.root)])
    assert isinstance(result.exception, ZeroDivisionError)
    saved = sorted((returned.paths.private / "errors").iterdir())
    assert len(saved) == 1
    assert result.output == (f"程序内部出错（不是您的操作有误）。详细信息已保存到 {saved[0]}，"
                             "请把该文件发给系统维护人员。\n")
    report = saved[0].read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in report
    assert report.rstrip().endswith("ZeroDivisionError: a bug")


def test_a_folder_where_the_summary_belongs(returned: Round) -> None:
    target = returned.paths.reports / "summary-2026-year-end.xlsx"
    target.mkdir(parents=True)
    result = CliRunner().invoke(main, ["rank", str(returned.paths.root)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"错误：{target} 是一个文件夹，这里需要的是文件。"
    assert os.listdir(target) == []
