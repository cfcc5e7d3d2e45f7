"""The sandboxed worker pool and collect's use of it: failures cost one file, order is kept."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from sheetops.app import collect
from sheetops.app.collect import collect_round
from sheetops.core.platform import RLIMIT, WorkerIsolation
from sheetops.intake.formulas import Formulas
from sheetops.intake.reader import Extract, ReadFailure, read_workbook
from sheetops.intake.sandbox import SandboxPool
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round
from sheetops.validate.scoresheet import RoundView, WorkbookResult, validate_workbook

from .conftest import NOW
from .crafted import filled
from .platforms import ISOLATION_IDS, ISOLATIONS


def double(request: int) -> int:
    """A task for the pool: dies on 3, takes 60 s on 5, raises on 7, else doubles."""
    if request == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    if request == 5:
        time.sleep(60)
    if request == 7:
        raise ValueError("a bug in the task")
    return request * 2


def hog(megabytes: int) -> int:
    """A task for the pool: fill ``megabytes`` of memory, 8 MB at a time (as a parser building
    a huge grid does), and say how many megabytes it held."""
    held = []
    for _ in range(megabytes // 8):
        held.append(b"\x01" * (8 << 20))
        time.sleep(0.002)
    return 8 * len(held)


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


@pytest.mark.parametrize("isolation", ISOLATIONS, ids=ISOLATION_IDS)
def test_a_request_over_the_memory_limit_costs_only_itself(isolation: WorkerIsolation) -> None:
    with SandboxPool(hog, workers=1, seconds=60, memory_bytes=128 * 2**20,
                     isolation=isolation) as pool:
        results = run_all(pool, [8, 2048, 16])
    # Capped address space: the allocation fails (MemoryError); watchdog: the worker is ended.
    detail = "memory" if isolation.memory_guard == RLIMIT else "memory (> 128 MB)"
    assert results == {8: 8, 2048: ReadFailure("parse-aborted", detail), 16: 16}


@pytest.mark.parametrize("isolation", ISOLATIONS, ids=ISOLATION_IDS)
def test_a_request_that_overruns_costs_only_itself(isolation: WorkerIsolation) -> None:
    started = time.monotonic()
    with SandboxPool(double, workers=2, seconds=0.5, memory_bytes=256 * 2**20,
                     isolation=isolation) as pool:
        results = run_all(pool, [4, 5, 6, 8])
    # Far less than the task's 60 s: the overrun is killed, not waited for (spawned workers
    # importing the package on a busy machine take a few seconds each to start).
    assert time.monotonic() - started < 30
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


# Readers and validators that misbehave on one file's content. They are module-level classes, so
# they pickle: a spawned worker (macOS, Windows, the simulated run) gets them with its task.


@dataclass(frozen=True)
class SlowOn:
    """Read files as usual, taking a second longer over the one holding ``content``."""

    content: bytes

    def __call__(self, path: str, formulas: Formulas | None = None) -> Extract | ReadFailure:
        if Path(path).read_bytes() == self.content:
            time.sleep(1)
        return read_workbook(path, formulas)


@dataclass(frozen=True)
class CrashOn:
    """Read files as usual, but end the worker on the one holding ``content``: what calamine
    does on a file that exhausts its memory."""

    content: bytes

    def __call__(self, path: str, formulas: Formulas | None = None) -> Extract | ReadFailure:
        if Path(path).read_bytes() == self.content:
            os.kill(os.getpid(), signal.SIGKILL)
        return read_workbook(path, formulas)


def fail_on_0102(extract: Extract, view: RoundView) -> WorkbookResult:
    """Validate as usual, but raise (a bug) on the file whose _meta lists 0102's own form."""
    if "self-0102" in repr(extract.meta):
        raise ZeroDivisionError("division by zero")
    return validate_workbook(extract, view)


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
    # The first file takes longest, so later ones finish before it on the other worker.
    monkeypatch.setattr(collect, "read_workbook", SlowOn(first.read_bytes()))
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
    monkeypatch.setattr(collect, "validate_workbook", fail_on_0102)
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

    monkeypatch.setattr(collect, "validate_workbook", validate_workbook)  # the bug is fixed
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
    monkeypatch.setattr(collect, "read_workbook",
                        CrashOn((fresh.paths.inbox / "0102.xlsx").read_bytes()))
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
