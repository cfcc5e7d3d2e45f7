"""Simulated Windows: with this folder on ``PYTHONPATH``, every Python process started lacks
what Windows lacks, from before anything of sheetops is imported.

``./dev test`` runs the collect, sandbox and pre-check tests a second time this way (see
``run_simulated`` in ``dev``). Python runs this file at start-up (``site`` imports the first
``sitecustomize`` on the path), so the simulation holds in pytest's own process, in the
sandbox's spawned workers and in every subprocess a test starts:

- ``fcntl`` and ``resource`` cannot be imported;
- ``os.fork``, ``os.forkpty`` and ``os.sched_getaffinity`` are gone, and so are ``select.poll``,
  ``epoll``, ``devpoll`` and ``kqueue`` (Windows has only ``select.select``);
- multiprocessing starts processes with ``spawn`` by default, as on Windows;
- ``msvcrt`` is a stand-in for the one file-locking call sheetops makes on Windows,
  ``msvcrt.locking``, with its contract (a blocking lock tries once a second for ten seconds,
  then raises ``OSError`` with ``EDEADLOCK``) on top of ``flock``, so that the Windows branch of
  the lock code runs; the real call only runs on Windows;
- an ``open()`` without an encoding in sheetops is an error (Windows would use the ANSI code
  page, GBK on a Chinese desktop), when ``PYTHONWARNDEFAULTENCODING=1`` is set too.

psutil is imported before ``resource`` is hidden: its Linux backend needs it, while on Windows
psutil has a backend of its own.
"""

from __future__ import annotations

import errno
import os
import sys
import time
import types
import warnings

SIMULATED = "windows"


def _hide_selectors() -> None:
    import select

    for name in ("poll", "epoll", "devpoll", "kqueue"):
        if hasattr(select, name):
            delattr(select, name)
    selectors = sys.modules.get("selectors")
    if selectors is not None:  # imported before us: drop what it built on the hidden calls
        for name in ("PollSelector", "EpollSelector", "DevpollSelector", "KqueueSelector"):
            selectors.__dict__.pop(name, None)
        selectors.DefaultSelector = selectors.SelectSelector  # type: ignore[attr-defined]


def _msvcrt_stand_in() -> types.ModuleType:
    import fcntl

    flock, exclusive, nonblocking, unlock = fcntl.flock, fcntl.LOCK_EX, fcntl.LOCK_NB, fcntl.LOCK_UN
    module = types.ModuleType("msvcrt", "A stand-in for msvcrt.locking (simulated Windows).")
    module.LK_UNLCK, module.LK_LOCK, module.LK_NBLCK, module.LK_RLCK, module.LK_NBRLCK = range(5)

    def locking(descriptor: int, mode: int, nbytes: int) -> None:
        """msvcrt.locking's contract, on the whole file (sheetops locks its first byte)."""
        if nbytes < 1:
            raise OSError(errno.EINVAL, "Invalid argument")
        if mode == module.LK_UNLCK:
            flock(descriptor, unlock)
            return
        tries = 10 if mode in (module.LK_LOCK, module.LK_RLCK) else 1
        for attempt in range(tries):
            try:
                flock(descriptor, exclusive | nonblocking)
                return
            except BlockingIOError:
                if attempt + 1 < tries:
                    time.sleep(1)
        if tries == 1:
            raise OSError(errno.EACCES, "Permission denied")
        raise OSError(errno.EDEADLOCK, "Resource deadlock avoided")

    module.locking = locking
    return module


def simulate_windows() -> None:
    """Take away what Windows lacks (see the module's docstring)."""
    _hide_selectors()
    import psutil  # noqa: F401  (see the module's docstring)

    msvcrt = _msvcrt_stand_in()
    sys.modules["fcntl"] = None  # type: ignore[assignment]
    sys.modules["resource"] = None  # type: ignore[assignment]
    sys.modules["msvcrt"] = msvcrt
    for name in ("fork", "forkpty", "sched_getaffinity"):
        if hasattr(os, name):
            delattr(os, name)
    import multiprocessing

    multiprocessing.set_start_method("spawn", force=True)
    warnings.filterwarnings("error", category=EncodingWarning, module=r"sheetops(\.|$)")


simulate_windows()
