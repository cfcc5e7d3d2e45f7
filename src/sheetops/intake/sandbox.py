"""Parse workbooks with python-calamine in child processes, so a crash costs one file.

calamine aborts its whole process (SIGABRT, uncatchable) when an allocation fails, and some
crafted files make it allocate without bound. So parsing happens in long-lived worker processes
under a memory limit: a :class:`SandboxPool` of them runs a task (for collect: pre-check,
parse and validate one archived file) under a deadline per task, several files at a time. A
worker that dies or overruns is replaced, and only the file it was working on is reported.
:class:`SandboxedReader` is the one-worker, one-file-at-a-time use of the same pool.

How workers start and how their memory is capped depends on the platform
(:class:`~sheetops.core.platform.WorkerIsolation`): forked workers capping their own address
space on Linux, spawned workers under the collector's memory watchdog on macOS and Windows.
Either way a file over the limit is ``parse-aborted``.
"""

from __future__ import annotations

import contextlib
import faulthandler
import multiprocessing
import multiprocessing.connection
import multiprocessing.reduction
import os
import time
import traceback
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

from sheetops.core.platform import (
    FORK,
    RLIMIT,
    WATCHDOG,
    MemoryWatchdog,
    WorkerIsolation,
    cap_address_space,
    worker_isolation,
)
from sheetops.intake.reader import Extract, ReadFailure, read_workbook

# How long a new worker may take to be ready for its first request (a spawned one imports the
# package and unpickles its task first); its requests' own time starts after that.
START_SECONDS: Final = 60.0


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


@dataclass(frozen=True)
class _Ready:
    """A worker's first message: it is set up and waits for requests."""


@dataclass(frozen=True)
class _Armed:
    """The collector's answer to :class:`_Ready` under the watchdog: the worker is watched."""


def _serve(task: Callable[[Any], Any], connection: multiprocessing.connection.Connection,
           memory: int, guard: str,
           inherited: list[multiprocessing.connection.Connection]) -> None:
    """Run ``task`` on each request until the pipe closes, within the memory limit.

    Under ``rlimit`` the worker caps its own address space first; under ``watchdog`` it
    waits, idle, until the collector has measured its size and watches it.
    """
    # A forked worker has the collector's ends of its own and the other workers' pipes: let
    # them go, so that each pipe closes as soon as its own worker and the collector close it.
    for other in inherited:
        other.close()
    # A file that kills the worker must not spray "memory allocation failed" / "Fatal Python
    # error" over the staff's terminal: the collector reports it as a file problem instead.
    faulthandler.disable()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    if guard == RLIMIT:
        cap_address_space(memory)
    connection.send(_Ready())
    early: deque[Any] = deque()  # requests sent before the watchdog was watching
    if guard == WATCHDOG:
        while not isinstance(message := _receive_request(connection), _Armed):
            if message is None:
                return
            early.append(message)
    while True:
        request = early.popleft() if early else _receive_request(connection)
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


def _receive_request(connection: multiprocessing.connection.Connection) -> Any:
    """The next message for a worker; None once the collector asks it to stop or is gone."""
    try:
        return connection.recv()
    except EOFError:
        return None


K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
R = TypeVar("R")


@dataclass
class _Worker(Generic[K, A]):
    """One worker process, the collector's end of its pipe and the tasks sent to it, in order.

    The first task is the one it is working on; it started at ``started`` (monotonic seconds),
    or the worker is not ready yet and was started at ``started``.
    """

    process: BaseProcess
    connection: multiprocessing.connection.Connection
    started: float
    tasks: deque[tuple[K, A]] = field(default_factory=deque)
    ready: bool = False


class SandboxPool(Generic[K, A, R]):
    """Worker processes that run ``task`` on one request at a time each, under limits.

    Each worker is started (forked or spawned, see ``isolation``) with ``task``: a spawned one
    gets a pickled copy, so ``task`` and the requests must pickle. Its memory is held to its
    size when ready plus ``memory_bytes``; it takes up to ``depth`` requests at a time, so it
    never waits for the next one. A request gets ``seconds`` from the moment its worker can
    start on it. A worker that dies, overruns or passes its memory is killed and replaced: that
    request fails with ``parse-aborted``, the requests queued behind it go to the new worker.

    Use as a context manager; :meth:`submit` requests, :meth:`wait` for what is finished.
    """

    def __init__(self, task: Callable[[A], R], *, workers: int, seconds: float,
                 memory_bytes: int, depth: int = 2,
                 isolation: WorkerIsolation | None = None) -> None:
        if workers < 1 or depth < 1:
            raise ValueError("a pool needs at least one worker taking at least one request")
        self.task = task
        self.seconds = seconds
        self.memory_bytes = memory_bytes
        self.depth = depth
        self.isolation = isolation or worker_isolation()
        self._context = (multiprocessing.get_context("fork") if self.isolation.start_method == FORK
                         else multiprocessing.get_context("spawn"))
        self._watchdog = (MemoryWatchdog() if self.isolation.memory_guard == WATCHDOG
                          else None)
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
            particular order; a request whose worker died, overran or passed its memory has a
            ``parse-aborted`` :class:`ReadFailure`, one whose task raised (a bug) a
            ``check-failed`` one with the worker's traceback: either costs only that request.
            Empty when nothing is pending or the time passed first.
        """
        finished: list[tuple[K, R | ReadFailure]] = []
        until = None if timeout is None else time.monotonic() + timeout
        while not finished:
            busy = [w for w in self._workers if w is not None and w.tasks]
            if not busy:
                break
            now = time.monotonic()
            deadline = min(self._deadline(w) for w in busy)
            limit = deadline if until is None else min(deadline, until)
            readable = multiprocessing.connection.wait([w.connection for w in busy],
                                                       max(0.0, limit - now))
            for worker in busy:
                if worker.connection in readable:
                    done = self._receive(worker)
                    if done is not None:
                        finished.append(done)
            now = time.monotonic()
            for worker in busy:
                if (worker.tasks and now >= self._deadline(worker)
                        and not worker.connection.poll()):
                    finished.append(self._fail(worker, (
                        f"> {self.seconds:g} s" if worker.ready
                        else f"> {START_SECONDS:g} s (worker start)")))
            if until is not None and now >= until:
                break
        return finished

    def _deadline(self, worker: _Worker[K, A]) -> float:
        return worker.started + (self.seconds if worker.ready else START_SECONDS)

    def _receive(self, worker: _Worker[K, A]) -> tuple[K, R | ReadFailure] | None:
        """Take the next message of a worker whose pipe is readable: a result, or None for the
        worker's ready message; a closed pipe means it died.

        Further results already sent are taken by the next :meth:`wait`.
        """
        try:
            result = worker.connection.recv()
        except (EOFError, OSError):
            worker.process.join(timeout=2)
            pid = worker.process.pid
            if self._watchdog is not None and pid is not None and self._watchdog.exceeded(pid):
                return self._fail(worker, f"memory (> {self.memory_bytes / 2**20:g} MB)")
            return self._fail(worker, f"memory (worker exit {worker.process.exitcode})")
        if isinstance(result, _Ready):
            self._arm(worker)
            return None
        if isinstance(result, _Raised):
            lines = result.traceback.strip().splitlines()
            result = ReadFailure("check-failed", lines[-1] if lines else "?", result.traceback)
        key, _ = worker.tasks.popleft()
        worker.started = time.monotonic()
        return key, result

    def _arm(self, worker: _Worker[K, A]) -> None:
        """A worker is ready: its first request's time starts; under the watchdog it is
        measured while idle and watched from then on."""
        if self._watchdog is not None and worker.process.pid is not None:
            import psutil

            with contextlib.suppress(psutil.NoSuchProcess):  # died already: seen as such
                self._watchdog.watch(worker.process.pid, self.memory_bytes)
            with contextlib.suppress(OSError):
                worker.connection.send(_Armed())
        worker.ready = True
        worker.started = time.monotonic()

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
        if not worker.tasks and worker.ready:
            worker.started = time.monotonic()
        worker.tasks.append((key, request))
        with contextlib.suppress(OSError):  # a dead worker shows up in wait()
            worker.connection.send(request)

    def _start(self, index: int) -> _Worker[K, A]:
        parent, child = self._context.Pipe()
        # Only a forked worker holds copies of the collector's pipe ends (a spawned one gets
        # just what it is sent).
        inherited = ([parent, *(w.connection for w in self._workers if w is not None)]
                     if self.isolation.start_method == FORK else [])
        process = self._context.Process(
            target=_serve, args=(self.task, child, self.memory_bytes,
                                 self.isolation.memory_guard, inherited),
            daemon=True,
        )
        process.start()
        child.close()
        worker: _Worker[K, A] = _Worker(process, parent, time.monotonic())
        self._workers[index] = worker
        return worker

    def _stop(self, worker: _Worker[K, A], *, kill: bool) -> None:
        if self._watchdog is not None and worker.process.pid is not None:
            self._watchdog.forget(worker.process.pid)
        if kill:
            worker.process.kill()
        else:
            with contextlib.suppress(OSError):
                worker.connection.send(None)  # ask the worker to finish
        worker.connection.close()

    def close(self) -> None:
        """Stop the workers (those still busy are killed) and the watchdog."""
        stopping = [w for w in self._workers if w is not None]
        self._workers = [None] * len(self._workers)
        for worker in stopping:
            self._stop(worker, kill=bool(worker.tasks))
        for worker in stopping:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
        if self._watchdog is not None:
            self._watchdog.close()


class SandboxedReader:
    """One worker process that parses one workbook at a time under time and memory limits.

    Use as a context manager; :meth:`read` never raises for a bad file.
    """

    def __init__(self, *, seconds: float, memory_bytes: int,
                 isolation: WorkerIsolation | None = None) -> None:
        self._pool: SandboxPool[int, str, Extract | ReadFailure] = SandboxPool(
            read_workbook, workers=1, seconds=seconds, memory_bytes=memory_bytes, depth=1,
            isolation=isolation)

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
