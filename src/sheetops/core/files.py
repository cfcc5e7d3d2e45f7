"""Files a round shares between runs: written whole or not at all, and locked while in use."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sheetops.core.platform import lock_file, unlock_file


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write to a temporary file beside ``target`` and rename it into place.

    A crash mid-write leaves the previous file (or none), never a half-written one.

    Raises:
        OSError: it cannot be written or replaced (a full disk; on Windows, ``target`` open in
            another program), with ``target`` as its file name.
    """
    temporary = target.with_name(f".{target.stem}.tmp{target.suffix}")
    try:
        write(temporary)
        os.replace(temporary, target)
    except OSError as exc:
        # Named after the file a person knows (the summary, not its hidden temporary copy).
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    finally:
        remove_file(temporary)


def remove_file(path: Path) -> None:
    """Remove a file if it exists, read-only or not (Windows refuses to delete a read-only
    file; elsewhere the file's mode does not matter).

    Raises:
        OSError: it cannot be removed.
    """
    try:
        path.unlink(missing_ok=True)
    except PermissionError:
        os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
        path.unlink(missing_ok=True)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing), waiting while another
    process holds it (``flock`` on Linux and macOS, ``msvcrt.locking`` on Windows)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # not inherited (PEP 446)
    try:
        lock_file(descriptor)
        try:
            yield
        finally:
            unlock_file(descriptor)
    finally:
        os.close(descriptor)


def utc_stamp(moment: dt.datetime) -> str:
    """``moment`` as the ledger records times: UTC, to the second, ISO 8601."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()
