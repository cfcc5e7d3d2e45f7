"""Parse workbooks with python-calamine in child processes, so a crash costs one file.

calamine aborts its whole process (SIGABRT, uncatchable) when an allocation fails, and some
crafted files make it allocate without bound. So parsing happens in long-lived worker processes
with an address-space limit: a :class:`SandboxPool` of them runs a task (for collect: pre-check,
parse and validate one archived file) under a deadline per task, several files at a time. A
worker that dies or overruns is replaced, and only the file it was working on is reported.
:class:`SandboxedReader` is the one-worker, one-file-at-a-time use of the same pool.
"""

from __future__ import annotations

import contextlib
import faulthandler
import math
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import os
import resource
import select
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from sheetops.intake.reader import Extract, ReadFailure, read_workbook


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


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return _mapping_proxy, (dict(proxy),)


# Issues keep their parameters in read-only mappings; results crossing a worker's pipe carry
# them. This teaches only multiprocessing's pickler (not pickle at large) to send them.
multiprocessing.reduction.ForkingPickler.register(MappingProxyType, _reduce_mapping_proxy)


@dataclass(frozen=True)
class _Raised:
    """What a worker sends back instead of a result when its task raised (a bug)."""

    traceback: str


def _serve(task: Callable[[Any], Any], connection: multiprocessing.connection.Connection,
           memory: int, inherited: list[multiprocessing.connection.Connection]) -> None:
    """Run ``task`` on each request until the pipe closes; the address space is capped first."""
    # The collector's ends of the other workers' pipes came along with the fork: let them go,
    # so that each pipe closes as soon as its own worker and the collector close it.
    for other in inherited:
        other.close()
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
            request = connection.recv()
        except EOFError:
            return
        if request is None:
            return
        result: Any
        try:
            result = task(request)
        except MemoryError:
            result = ReadFailure("parse-aborted", "memory")
        except Exception:
            result = _Raised(traceback.format_exc())
        try:
            connection.send(result)
        except MemoryError:
            connection.send(ReadFailure("parse-aborted", "memory"))
        except Exception:
            connection.send(_Raised(traceback.format_exc()))


K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")


@dataclass
class _Worker(Generic[K, A]):
    """One worker process, the collector's end of its pipe and the tasks sent to it, in order.

    The first task is the one it is working on; it started at ``started`` (monotonic seconds).
    """

    process: BaseProcess
    connection: multiprocessing.connection.Connection
    tasks: deque[tuple[K, A]] = field(default_factory=deque)
    started: float = 0.0


class SandboxPool(Generic[K, A, R]):
    """Worker processes that run ``task`` on one request at a time each, under limits.

    Each worker is forked from this process (so ``task`` may use anything built before), caps
    its address space at its size plus ``memory_bytes`` and takes up to ``depth`` requests at a
    time, so it never waits for the next one. A request gets ``seconds`` from the moment its
    worker can start on it. A worker that dies or overruns is killed and replaced: that request
    fails with ``parse-aborted``, the requests queued behind it go to the new worker.

    Use as a context manager; :meth:`submit` requests, :meth:`wait` for what is finished.
    """

    def __init__(self, task: Callable[[A], R], *, workers: int, seconds: float,
                 memory_bytes: int, depth: int = 2) -> None:
        if workers < 1 or depth < 1:
            raise ValueError("a pool needs at least one worker taking at least one request")
        self.task = task
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.depth = depth
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker[K, A] | None] = [None] * workers

    def __enter__(self) -> SandboxPool[K, A, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def workers(self) -> int:
        """How many workers the pool runs (at most; each starts with its first request)."""
        return len(self._workers)

    @property
    def pending(self) -> int:
        """How many submitted requests have no result yet."""
        return sum(len(w.tasks) for w in self._workers if w is not None)

    @property
    def full(self) -> bool:
        """Whether every worker already holds ``depth`` requests."""
        return self.pending >= self.depth * len(self._workers)

    def submit(self, key: K, request: A) -> None:
        """Send ``request`` (picklable) to the least busy worker; its result comes back with
        ``key``.

        Raises:
            RuntimeError: the pool is full (wait first).
        """
        if self.full:
            raise RuntimeError("the pool is full")
        index = min(range(len(self._workers)),
                    key=lambda i: len(w.tasks) if (w := self._workers[i]) is not None else 0)
        worker = self._workers[index]
        if worker is not None and not worker.tasks and not worker.process.is_alive():
            # Killed while idle (not by a file of ours): start afresh rather than blame the next.
            self._stop(worker, kill=True)
            worker.process.join()
            worker = None
        self._send(worker or self._start(index), key, request)

    def wait(self, timeout: float | None = None) -> list[tuple[K, R | ReadFailure]]:
        """Wait until at least one request is finished, or ``timeout`` seconds pass.

        Returns:
            ``(key, result)`` of finished requests (at most one per worker per call), in no
            particular order; a request whose worker died or overran has a ``parse-aborted``
            :class:`ReadFailure`, one whose task raised (a bug) a ``check-failed`` one with
            the worker's traceback: either costs only that request. Empty when nothing is
            pending or the time passed first.
        """
        finished: list[tuple[K, R | ReadFailure]] = []
        until = None if timeout is None else time.monotonic() + timeout
        while not finished:
            busy = [w for w in self._workers if w is not None and w.tasks]
            if not busy:
                break
            now = time.monotonic()
            deadline = min(w.started for w in busy) + self.seconds
            limit = deadline if until is None else min(deadline, until)
            # One poll over the busy workers' pipes (multiprocessing's own wait builds a
            # selector each time: this runs once or twice per file).
            poller = select.poll()
            for worker in busy:
                poller.register(worker.connection.fileno(), select.POLLIN)
            ready = {fd for fd, _ in poller.poll(math.ceil(max(0.0, limit - now) * 1000))}
            for worker in busy:
                if worker.connection.fileno() in ready:
                    finished.append(self._receive(worker))
            now = time.monotonic()
            for worker in busy:
                if (worker.tasks and now >= worker.started + self.seconds
                        and not worker.connection.poll()):
                    finished.append(self._fail(worker, f"> {self.seconds:g} s"))
            if until is not None and now >= until:
                break
        return finished

    def _receive(self, worker: _Worker[K, A]) -> tuple[K, R | ReadFailure]:
        """Take the next result of a worker whose pipe is readable; a closed pipe means it died.

        Further results already sent are taken by the next :meth:`wait`.
        """
        try:
            result = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=2)
            return self._fail(worker, f"memory (worker exit {worker.process.exitcode})")
        if isinstance(result, _Raised):
            lines = result.traceback.strip().splitlines()
            result = ReadFailure("check-failed", lines[-1] if lines else "?", result.traceback)
        key, _ = worker.tasks.popleft()
        worker.started = time.monotonic()
        return key, result

    def _fail(self, worker: _Worker[K, A], detail: str) -> tuple[K, ReadFailure]:
        """Kill a worker that died or overran; its first request fails, the rest move on."""
        key, _ = worker.tasks.popleft()
        index = self._workers.index(worker)
        self._stop(worker, kill=True)
        worker.process.join()  # killed: it ends at once (and leaves no zombie behind)
        self._workers[index] = None
        queued = list(worker.tasks)
        worker.tasks.clear()  # the dead worker holds nothing: wait() must not look at it again
        if queued:
            replacement = self._start(index)
            for queued_key, request in queued:
                self._send(replacement, queued_key, request)
        return key, ReadFailure("parse-aborted", detail)

    def _send(self, worker: _Worker[K, A], key: K, request: A) -> None:
        if not worker.tasks:
            worker.started = time.monotonic()
        worker.tasks.append((key, request))
        with contextlib.suppress(OSError):  # a dead worker shows up in wait()
            worker.connection.send(request)

    def _start(self, index: int) -> _Worker[K, A]:
        parent, child = self._context.Pipe()
        others = [w.connection for w in self._workers if w is not None]
        process = self._context.Process(
            target=_serve, args=(self.task, child, self.memory_bytes, [parent, *others]),
            daemon=True,
        )
        process.start()
        child.close()
        worker: _Worker[K, A] = _Worker(process, parent)
        self._workers[index] = worker
        return worker

    @staticmethod
    def _stop(worker: _Worker[K, A], *, kill: bool) -> None:
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(OSError):
                worker.connection.send(None)  # ask the worker to finish
        worker.connection.close()

    def close(self) -> None:
        """Stop the workers (those still busy are killed)."""
        stopping = [w for w in self._workers if w is not None]
        self._workers = [None] * len(self._workers)
        for worker in stopping:
            self._stop(worker, kill=bool(worker.tasks))
        for worker in stopping:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


class SandboxedReader:
    """One worker process that parses one workbook at a time under time and memory limits.

    Use as a context manager; :meth:`read` never raises for a bad file.
    """

    def __init__(self, *, seconds: float, memory_bytes: int) -> None:
        self._pool: SandboxPool[int, str, Extract | ReadFailure] = SandboxPool(
            read_workbook, workers=1, seconds=seconds, memory_bytes=memory_bytes, depth=1)

    def __enter__(self) -> SandboxedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker."""
        self._pool.close()

    def read(self, path: Path) -> Extract | ReadFailure:
        """Parse ``path`` in the worker.

        Returns:
            The extract, or why it failed: a parse error, the worker dying (memory) or the
            deadline passing (the worker is then killed and replaced on the next call).
        """
        self._pool.submit(0, os.fspath(path))
        finished = self._pool.wait()
        while not finished:
            finished = self._pool.wait()
        return finished[0][1]
