"""Files a round shares between runs: written whole or not at all, and locked while in use."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def replace_atomically(target: Path, write: Callable[[Path], object]) -> None:
    """Write to a temporary file beside ``target`` and rename it into place.

    A crash mid-write leaves the previous file (or none), never a half-written one.
    """
    temporary = target.with_name(f".{target.stem}.tmp{target.suffix}")
    try:
        write(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing), waiting while another
    process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def utc_stamp(moment: dt.datetime) -> str:
    """``moment`` as the ledger records times: UTC, to the second, ISO 8601."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()
