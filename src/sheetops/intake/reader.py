"""Parse workbooks with python-calamine in a child process, so a crash costs one file.

calamine aborts its whole process (SIGABRT, uncatchable) when an allocation fails, and some
crafted files make it allocate without bound. So parsing happens in a long-lived worker process
with an address-space limit; the collector sends it one archived path at a time and waits with
a deadline. A worker that dies or overruns is replaced and the file is reported, never the run.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import multiprocessing.connection
import os
import resource
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sheetops.identity import META_SHEET

HEAD_ROWS: Final = 8


@dataclass(frozen=True)
class Extract:
    """What the worker read: sheet names, the ``_meta`` grid and the grids of form sheets.

    ``grids`` holds every sheet ``_meta`` lists (or every sheet when there is no ``_meta``);
    ``heads`` holds the first rows of the other sheets, enough to tell what they look like.
    """

    sheet_names: list[str]
    meta: list[list[Any]] | None
    grids: dict[str, list[list[Any]]]
    heads: dict[str, list[list[Any]]]


@dataclass(frozen=True)
class ReadFailure:
    """Why a file could not be read: ``parse-failed`` (an error) or ``parse-aborted`` (a limit)."""

    code: str
    detail: str


def extract_workbook(path: str) -> Extract:
    """Read a workbook's meta sheet and form sheets (runs inside the worker).

    Raises:
        Exception: calamine's errors for unreadable files.
    """
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(path)
    names = list(book.sheet_names)

    def grid(name: str) -> list[list[Any]]:
        rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return rows

    meta = grid(META_SHEET) if META_SHEET in names else None
    listed = {str(row[0]) for row in (meta or [])[1:] if row}
    grids: dict[str, list[list[Any]]] = {}
    heads: dict[str, list[list[Any]]] = {}
    for name in names:
        if name == META_SHEET:
            continue
        if meta is None or name in listed:
            grids[name] = grid(name)
        else:
            heads[name] = grid(name)[:HEAD_ROWS]
    return Extract(names, meta, grids, heads)


def _address_space() -> int:
    """Return this process's current virtual size in bytes (0 when unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _worker(connection: multiprocessing.connection.Connection, memory: int) -> None:
    """Serve read requests until the pipe closes; the address space is capped first."""
    # A file that kills the worker must not spray "memory allocation failed" / "Fatal Python
    # error" over the staff's terminal: the collector reports it as a file problem instead.
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    limit = _address_space() + memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    while True:
        try:
            path = connection.recv()
        except EOFError:
            return
        if path is None:
            return
        try:
            result: Extract | ReadFailure = extract_workbook(path)
        except MemoryError:
            result = ReadFailure("parse-aborted", "memory")
        except Exception as exc:  # calamine's own error types; each one costs only this file
            result = ReadFailure("parse-failed", " ".join(str(exc).split())[:300]
                                 or type(exc).__name__)
        connection.send(result)


class SandboxedReader:
    """A worker process that parses one workbook at a time under time and memory limits.

    Use as a context manager; :meth:`read` never raises for a bad file.
    """

    def __init__(self, *, seconds: float, memory_bytes: int) -> None:
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self._context = multiprocessing.get_context("fork")
        self._process: Any = None
        self._connection: multiprocessing.connection.Connection | None = None

    def __enter__(self) -> SandboxedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> multiprocessing.connection.Connection:
        parent, child = self._context.Pipe()
        self._process = self._context.Process(
            target=_worker, args=(child, self.memory_bytes), daemon=True
        )
        self._process.start()
        child.close()
        self._connection = parent
        return parent

    def _stop(self, *, kill: bool) -> None:
        if self._connection is not None:
            if not kill:
                with contextlib.suppress(OSError):
                    self._connection.send(None)  # ask the worker to finish
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if kill:
                self._process.kill()
            self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
            self._process = None

    def close(self) -> None:
        """Stop the worker."""
        self._stop(kill=False)

    def read(self, path: Path) -> Extract | ReadFailure:
        """Parse ``path`` in the worker.

        Returns:
            The extract, or why it failed: a parse error, the worker dying (memory) or the
            deadline passing (the worker is then killed and replaced on the next call).
        """
        connection = self._connection or self._start()
        try:
            connection.send(os.fspath(path))
            if not connection.poll(self.seconds):
                self._stop(kill=True)
                return ReadFailure("parse-aborted", f"> {self.seconds:g} s")
            result: Extract | ReadFailure = connection.recv()
            return result
        except (EOFError, BrokenPipeError, ConnectionResetError):
            code = None
            if self._process is not None:
                self._process.join(timeout=2)
                code = self._process.exitcode
            self._stop(kill=True)
            return ReadFailure("parse-aborted", f"memory (worker exit {code})")
