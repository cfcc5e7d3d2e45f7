"""The sandboxed worker pool and collect's use of it: failures cost one file, order is kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from sheetops.app import collect
from sheetops.app.collect import collect_round
from sheetops.intake.reader import ReadFailure, read_workbook
from sheetops.intake.sandbox import SandboxPool
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round

from .conftest import NOW
from .crafted import filled


def double(request: int) -> int:
    """A task for the pool: dies on 3, takes 10 s on 5, raises on 7, else doubles."""
    if request == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if request == 5:
        time.sleep(10)
    if request == 7:
        raise ValueError("a bug in the task")
    return request * 2


def run_all(pool: SandboxPool[int, int, int], requests: list[int]) -> dict[int, int | ReadFailure]:
    """Submit every request (waiting while the pool is full); return all results by key."""
    results: dict[int, int | ReadFailure] = {}
    for request in requests:
        while pool.full:
            results.update(pool.wait())
        pool.submit(request, request)
    while pool.pending:
        results.update(pool.wait())
    return results


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_that_dies_costs_only_its_request(workers: int) -> None:
    with SandboxPool(double, workers=workers, seconds=30, memory_bytes=256 * 2**20) as pool:
        results = run_all(pool, [0, 1, 2, 3, 4, 6, 8, 9])
    failure = results.pop(3)
    assert isinstance(failure, ReadFailure) and failure.code == "parse-aborted"
    assert failure.detail == f"memory (worker exit {-signal.SIGKILL})"
    # The requests queued behind it on the same worker went to its replacement.
    assert results == {0: 0, 1: 2, 2: 4, 4: 8, 6: 12, 8: 16, 9: 18}


def test_a_request_that_overruns_costs_only_itself() -> None:
    started = time.monotonic()
    with SandboxPool(double, workers=2, seconds=0.5, memory_bytes=256 * 2**20) as pool:
        results = run_all(pool, [4, 5, 6, 8])
    assert time.monotonic() - started < 5
    assert results == {4: 8, 5: ReadFailure("parse-aborted", "> 0.5 s"), 6: 12, 8: 16}


def test_a_task_that_raises_costs_only_its_request_and_keeps_its_traceback() -> None:
    with SandboxPool(double, workers=1, seconds=30, memory_bytes=256 * 2**20) as pool:
        results = run_all(pool, [6, 7, 8])
    failure = results.pop(7)
    assert failure == ReadFailure("check-failed", "ValueError: a bug in the task")
    assert isinstance(failure, ReadFailure)
    assert failure.trace.startswith("Traceback (most recent call last):")
    assert 'raise ValueError("a bug in the task")' in failure.trace
    assert results == {6: 12, 8: 16}


def test_a_full_pool_refuses_more() -> None:
    with SandboxPool(double, workers=2, seconds=30, memory_bytes=256 * 2**20, depth=1) as pool:
        pool.submit(0, 0)
        pool.submit(1, 1)
        assert pool.full
        with pytest.raises(RuntimeError, match="full"):
            pool.submit(2, 2)
        assert sorted(run_all(pool, []).items()) == [(0, 0), (1, 2)]


def own_pid(request: int) -> int:
    """A task for the pool: which process ran it."""
    return os.getpid()


def test_a_worker_killed_while_idle_does_not_cost_the_next_request() -> None:
    with SandboxPool(own_pid, workers=1, seconds=30, memory_bytes=256 * 2**20) as pool:
        first = run_all(pool, [0])[0]
        assert isinstance(first, int)
        os.kill(first, signal.SIGKILL)
        time.sleep(0.2)
        second = run_all(pool, [1])[1]
        assert isinstance(second, int) and second != first


def received_order(round_: Round) -> list[str]:
    """The round's files in the order they were written to the ledger."""
    with sqlite3.connect(round_.paths.ledger) as db:
        return [row[0] for row in db.execute("SELECT name FROM files ORDER BY rowid")]


def test_results_are_recorded_in_arrival_order_with_two_workers(
    fresh: Round, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = filled(fresh, "0101", "first.xlsx",
                   score=lambda f, i, item: float(item.max) - 0.5 if i == 0 else float(item.max))
    names = ["first.xlsx"]
    for code in ("0102", "0103", "0104", "0105"):
        filled(fresh, code, f"{code}.xlsx")
        names.append(f"{code}.xlsx")
    filled(fresh, "0101", "second.xlsx")
    names.append("second.xlsx")
    for index, name in enumerate(names):
        os.utime(fresh.paths.inbox / name, (1_700_000_000 + index, 1_700_000_000 + index))
    slow = first.read_bytes()

    def slow_first(path: str) -> object:
        # The first file takes longest, so later ones finish before it on the other worker.
        if Path(path).read_bytes() == slow:
            time.sleep(1)
        return read_workbook(path)

    monkeypatch.setattr(collect, "read_workbook", slow_first)
    progress: list[tuple[int, int]] = []
    report = collect_round(fresh, now=NOW, workers=2,
                           progress=lambda done, total: progress.append((done, total)))
    assert [(f.record.name, f.status) for f in report.files] == [
        ("first.xlsx", "superseded"), ("0102.xlsx", "accepted"), ("0103.xlsx", "accepted"),
        ("0104.xlsx", "accepted"), ("0105.xlsx", "accepted"), ("second.xlsx", "accepted")]
    assert received_order(fresh) == names
    assert progress == [(done, 6) for done in range(1, 7)]
    with Ledger(fresh.paths.ledger) as ledger:
        current = ledger.current_submissions()
        assert current["self-0101"].sha256 == report.files[-1].record.sha256
        assert [s.form_id for s in ledger.submissions(report.files[0].record.sha256)
                if s.superseded_by is None] == []


def test_a_check_that_raises_costs_one_file_which_the_next_collect_checks_again(
        fresh: Round, monkeypatch: pytest.MonkeyPatch) -> None:
    names = []
    for index, code in enumerate(("0101", "0102", "0103")):
        path = filled(fresh, code, f"{code}.xlsx")
        os.utime(path, (1_700_000_000 + index, 1_700_000_000 + index))
        names.append(path.name)
    buggy = (fresh.paths.inbox / "0102.xlsx").read_bytes()
    validate = collect.validate_workbook

    def failing(extract: object, view: object) -> object:
        # A bug that only this file's content reaches (its _meta lists 0102's own form).
        if "self-0102" in repr(getattr(extract, "meta", None)):
            raise ZeroDivisionError("division by zero")
        return validate(extract, view)  # type: ignore[arg-type]

    monkeypatch.setattr(collect, "validate_workbook", failing)
    report = collect_round(fresh, now=NOW, workers=2)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("0101.xlsx", "accepted"), ("0102.xlsx", "rejected"), ("0103.xlsx", "accepted")]
    failed = report.files[1]
    assert [(i.code, dict(i.params)) for i in failed.issues] == [
        ("check-failed", {"detail": "ZeroDivisionError: division by zero"})]
    assert failed.issues[0].message("zh-CN") == (
        "检查此文件时程序出错（ZeroDivisionError: division by zero），文件已存档但未登记，"
        "下次收取时会重新检查；其他文件不受影响。")
    trace = (fresh.paths.private / "errors" / f"{failed.record.sha256}.txt").read_text("utf-8")
    assert trace.startswith("0102.xlsx (")
    assert "ZeroDivisionError: division by zero" in trace
    assert (fresh.paths.root / failed.record.archive).read_bytes() == buggy
    with Ledger(fresh.paths.ledger) as ledger:
        assert sorted(r.name for r in ledger.files()) == ["0101.xlsx", "0103.xlsx"]

    monkeypatch.setattr(collect, "validate_workbook", validate)  # the bug is fixed
    again = collect_round(fresh, now=NOW, workers=2)
    assert sorted((f.record.name, f.status) for f in again.files) == [
        ("0101.xlsx", "duplicate"), ("0102.xlsx", "accepted"), ("0103.xlsx", "duplicate")]


def test_a_worker_dying_mid_run_costs_one_file(fresh: Round,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    names = []
    for index, code in enumerate(("0101", "0102", "0103", "0104", "0105", "0106")):
        path = filled(fresh, code, f"{code}.xlsx")
        os.utime(path, (1_700_000_000 + index, 1_700_000_000 + index))
        names.append(path.name)
    doomed = (fresh.paths.inbox / "0102.xlsx").read_bytes()

    def crashing(path: str) -> object:
        # What calamine does on a file that exhausts its memory: the process just ends.
        if Path(path).read_bytes() == doomed:
            os.kill(os.getpid(), signal.SIGKILL)
        return read_workbook(path)

    monkeypatch.setattr(collect, "read_workbook", crashing)
    report = collect_round(fresh, now=NOW, workers=2)
    assert [(f.record.name, f.status) for f in report.files] == [
        (name, "rejected" if name == "0102.xlsx" else "accepted") for name in names]
    crashed = report.files[1]
    assert [(i.code, dict(i.params)) for i in crashed.issues] == [
        ("parse-aborted", {"detail": f"memory (worker exit {-signal.SIGKILL})"})]
    assert crashed.record.format == "xlsx"
    assert received_order(fresh) == names
    # Nothing of it counts; the other files' forms all do.
    with Ledger(fresh.paths.ledger) as ledger:
        assert ledger.submissions(crashed.record.sha256) == []
        assert {s.sha256 for s in ledger.current_submissions().values()} == {
            f.record.sha256 for f in report.files if f.status == "accepted"}


def test_identical_files_in_one_run_are_duplicates_whatever_the_workers(fresh: Round) -> None:
    path = filled(fresh, "0101", "0101.xlsx")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    copy = fresh.paths.inbox / "copy.xlsx"
    copy.write_bytes(path.read_bytes())
    os.utime(copy, (1_700_000_100, 1_700_000_100))
    report = collect_round(fresh, now=NOW, workers=2)
    assert [(f.record.name, f.status) for f in report.files] == [
        ("0101.xlsx", "accepted"), ("copy.xlsx", "duplicate")]
    assert report.files[1].forms == report.files[0].forms
    with Ledger(fresh.paths.ledger) as ledger:
        assert ledger.sightings() == 1
