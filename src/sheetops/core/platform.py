"""What differs between Linux, macOS and Windows, in one place.

- File locks: ``fcntl.flock`` where it exists (Linux, macOS), ``msvcrt.locking`` on Windows.
- The CPUs this process may use: its affinity where the system tells it, else every CPU.
- How sandboxed workers start and how their memory is capped (:class:`WorkerIsolation`): on
  Linux they are forked (they inherit what collect built, at no cost) and cap their own address
  space with ``RLIMIT_AS``; elsewhere they are spawned (a fresh interpreter that is sent what it
  needs) and a :class:`MemoryWatchdog` thread of the collector ends a worker past its limit.

POSIX-only modules (``fcntl``, ``resource``) and Windows-only ones (``msvcrt``) are imported
inside the functions that use them, so that every module of the package imports everywhere.
What each platform does and why: docs/platforms.md.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import psutil

FORK: Final = "fork"
SPAWN: Final = "spawn"
RLIMIT: Final = "rlimit"
WATCHDOG: Final = "watchdog"
# How often the watchdog looks at each worker's memory: a worker filling memory as fast as it
# can passes its limit by a few hundred megabytes at most before it is ended.
WATCH_SECONDS: Final = 0.02


# -- file locks ---------------------------------------------------------------------------------


def lock_file(descriptor: int) -> None:
    """Take the exclusive lock of an open file, waiting while another process holds it.

    Args:
        descriptor: a file opened for reading and writing.

    Raises:
        OSError: the system refuses the lock (not: another process holds it).
    """
    try:
        import fcntl
    except ImportError:
        _lock_windows(descriptor)
    else:
        fcntl.flock(descriptor, fcntl.LOCK_EX)


def unlock_file(descriptor: int) -> None:
    """Release the lock taken by :func:`lock_file` (closing the file releases it too)."""
    try:
        import fcntl
    except ImportError:
        msvcrt = _msvcrt()
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


def _msvcrt() -> Any:
    """The ``msvcrt`` module (Windows only; its type stubs are empty elsewhere)."""
    return importlib.import_module("msvcrt")


def _lock_windows(descriptor: int) -> None:
    """Lock the file's first byte with ``msvcrt.locking`` (which tries once a second for ten
    seconds, then gives up): keep trying until the holder lets go."""
    msvcrt = _msvcrt()
    while True:
        os.lseek(descriptor, 0, os.SEEK_SET)  # the lock covers bytes from the current position
        try:
            msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)
        except OSError as exc:
            if exc.errno not in (errno.EDEADLOCK, errno.EACCES):
                raise
        else:
            return


# -- paths --------------------------------------------------------------------------------------


def database_path_too_long(path: Path) -> bool:
    """Whether SQLite refuses ``path`` for its length: over 512 bytes (UTF-8) on Linux and
    macOS, 260 characters or more on Windows (its default VFS keeps to MAX_PATH, whatever the
    system allows)."""
    full = os.path.abspath(path)
    if sys.platform == "win32":
        return len(full) >= 260
    return len(os.fsencode(full)) > 512


# -- CPUs ---------------------------------------------------------------------------------------


def usable_cpus() -> int:
    """Return how many CPUs this process may run on (its affinity where the system has one:
    a container or ``taskset`` may allow fewer than the machine has)."""
    affinity = getattr(os, "sched_getaffinity", None)  # Linux only
    if affinity is not None:
        return max(1, len(affinity(0)))
    return max(1, os.cpu_count() or 1)


# -- worker processes ---------------------------------------------------------------------------


def fork_is_safe() -> bool:
    """Whether workers may be forked: on Linux, from a process running a single thread.

    macOS has ``os.fork`` but its system libraries are not safe in a forked child (Python
    itself spawns there); forking a process that runs other threads can copy a lock one of
    them holds (a web server's threads, for instance) and hang the child.
    """
    return (hasattr(os, "fork") and sys.platform.startswith("linux")
            and threading.active_count() == 1)


def address_space_can_be_capped() -> bool:
    """Whether a process can cap its own address space (``RLIMIT_AS``): on Linux and the BSDs.

    macOS defines ``RLIMIT_AS`` but does not enforce it; Windows has no ``resource`` module.
    """
    if sys.platform == "darwin":
        return False
    try:
        import resource
    except ImportError:
        return False
    return hasattr(resource, "RLIMIT_AS")


@dataclass(frozen=True)
class WorkerIsolation:
    """How sandboxed workers start (``fork`` or ``spawn``) and how their memory is capped
    (``rlimit``: the worker caps its own address space; ``watchdog``: the collector ends a
    worker whose memory passes the limit).

    Raises:
        ValueError: an unknown choice, or one this platform cannot do.
    """

    start_method: str
    memory_guard: str

    def __post_init__(self) -> None:
        if self.start_method not in (FORK, SPAWN):
            raise ValueError(f"unknown start method {self.start_method!r}")
        if self.memory_guard not in (RLIMIT, WATCHDOG):
            raise ValueError(f"unknown memory guard {self.memory_guard!r}")
        if self.start_method == FORK and not hasattr(os, "fork"):
            raise ValueError("this system cannot fork")
        if self.memory_guard == RLIMIT and not address_space_can_be_capped():
            raise ValueError("this system cannot cap a process's address space")

    @property
    def name(self) -> str:
        """``fork+rlimit``, ``spawn+watchdog``, …"""
        return f"{self.start_method}+{self.memory_guard}"


def worker_isolation() -> WorkerIsolation:
    """Return the isolation this platform does best: on Linux, forked workers that cap their
    own address space; on macOS and Windows, spawned workers under the watchdog."""
    return WorkerIsolation(FORK if fork_is_safe() else SPAWN,
                           RLIMIT if address_space_can_be_capped() else WATCHDOG)


def address_space() -> int:
    """Return this process's virtual size in bytes (what ``RLIMIT_AS`` counts)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import psutil

    return int(psutil.Process().memory_info().vms)


def cap_address_space(extra_bytes: int) -> None:
    """Cap this process's address space at its current size plus ``extra_bytes``: past it,
    allocations fail (``MemoryError`` in Python, an abort in native code).

    Raises:
        ImportError: the platform has no ``resource`` module (see
            :func:`address_space_can_be_capped`).
    """
    import resource

    limit = address_space() + extra_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def process_memory(process: psutil.Process) -> int:
    """Return the memory a ``psutil.Process`` has committed, in bytes.

    Private bytes on Windows and the address space on Linux (psutil's ``vms`` on both, so
    the watchdog counts what ``RLIMIT_AS`` would); the resident size on macOS, whose address
    space includes shared system regions reserved at start.
    """
    info = process.memory_info()
    return int(info.rss if sys.platform == "darwin" else info.vms)


class MemoryWatchdog:
    """A thread of this process that ends the processes it watches once their memory passes
    their limit (see :func:`process_memory`), checking every :data:`WATCH_SECONDS`.

    :meth:`watch` a process once it is idle (its size then is the base its limit is counted
    from); ask :meth:`exceeded` after it ended whether the watchdog ended it.
    """

    def __init__(self, interval: float = WATCH_SECONDS) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._watched: dict[int, tuple[psutil.Process, int]] = {}  # pid → (psutil.Process, limit)
        self._exceeded: set[int] = set()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int, extra_bytes: int) -> None:
        """Watch process ``pid``: end it once its memory passes its present size plus
        ``extra_bytes``.

        Raises:
            psutil.NoSuchProcess: the process has already ended.
        """
        import psutil

        process = psutil.Process(pid)
        limit = process_memory(process) + extra_bytes
        with self._lock:
            self._watched[pid] = (process, limit)
            self._exceeded.discard(pid)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sheetops-memory-watchdog",
                                            daemon=True)
            self._thread.start()

    def forget(self, pid: int) -> None:
        """Stop watching ``pid`` (and forget whether it was ended)."""
        with self._lock:
            self._watched.pop(pid, None)
            self._exceeded.discard(pid)

    def exceeded(self, pid: int) -> bool:
        """Whether the watchdog ended ``pid`` for its memory."""
        with self._lock:
            return pid in self._exceeded

    def close(self) -> None:
        """Stop the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self.interval):
            with self._lock:
                watched = list(self._watched.items())
            for pid, (process, limit) in watched:
                try:
                    if process_memory(process) <= limit:
                        continue
                    with self._lock:
                        if pid not in self._watched:
                            continue  # forgotten meanwhile: it is no longer ours to end
                        self._exceeded.add(pid)
                        del self._watched[pid]
                    process.kill()  # psutil checks it is still the same process
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    with self._lock:  # ended by itself (or not ours to see): nothing to do
                        self._watched.pop(pid, None)
