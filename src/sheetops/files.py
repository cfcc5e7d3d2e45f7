"""Writing files so that a crash never leaves half of one."""

from __future__ import annotations

import os
from collections.abc import Callable
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
