"""Returns uploaded through the console (or a branch's portal link): the same pipeline as
``collect``.

The web face saves each uploaded file under a name of its own choosing; the name the browser
sent is only shown and recorded, never used as a path. Sizes are checked before anything is
collected, so an upload that is too large records nothing.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from sheetops.app.collect import CollectReport, collect_round
from sheetops.core.errors import SheetopsError
from sheetops.intake.sources import ARCHIVE_SUFFIXES, Received, uploaded_items
from sheetops.model.workspace import Round

MAX_NAME: Final = 120
_UNSAFE_CATEGORIES: Final = ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")  # controls, bidi marks, …


class UploadTooLarge(SheetopsError):
    """An uploaded file, or the upload as a whole, is over the round's limits."""


@dataclass(frozen=True)
class Upload:
    """One uploaded file: where the server keeps its bytes and what the browser called it."""

    path: Path
    name: str


def clean_file_name(name: str) -> str:
    """What an uploaded file is called, fit to show and record.

    Browsers may send a full path (``C:\\fakepath\\表.xlsx``) or anything at all: only the last
    path part is kept, control and bidirectional-override characters are dropped, and the
    length is bounded.
    """
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(ch for ch in last if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    kept = kept.strip().lstrip(".") or "upload"
    if len(kept) > MAX_NAME:
        suffix = PurePosixPath(kept).suffix[:10]
        kept = kept[:MAX_NAME - len(suffix)] + suffix
    return kept


def check_upload(round_: Round, uploads: Sequence[Upload]) -> None:
    """Refuse an upload over the round's limits before anything is recorded.

    A workbook may be at most ``[limits] max_file_mb``; a .zip may be larger (its members are
    checked one by one), and the whole upload at most ``[limits] max_upload_mb``.

    Raises:
        UploadTooLarge: a file or the whole upload is too large.
    """
    limits = round_.config.limits
    total = 0
    for upload in uploads:
        size = upload.path.stat().st_size
        total += size
        is_archive = PurePosixPath(upload.name).suffix.lower() in ARCHIVE_SUFFIXES
        if not is_archive and size > limits.max_file_bytes:
            raise UploadTooLarge("upload.file-too-large", name=upload.name,
                                 limit=limits.max_file_bytes // 2**20)
    if total > limits.max_upload_bytes:
        raise UploadTooLarge("upload.too-large", limit=limits.max_upload_bytes // 2**20)


def collect_uploads(
    round_: Round,
    uploads: Sequence[Upload],
    *,
    source: str,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    recipient: str | None = None,
) -> CollectReport:
    """Collect uploaded files into the round, as ``collect`` collects a folder.

    Args:
        round_: the opened round.
        uploads: the files (a .zip counts as its members).
        source: where they came from, recorded with every file: ``upload:<account>`` for the
            console, ``portal:<recipient>`` for a personal link.
        now: when they arrived (default: now).
        progress: called with ``(done, total)`` after each file.
        workers: sandboxed processes side by side (default: one per usable core).
        recipient: the recipient whose personal link the files came through: a form of any
            other recipient in them is rejected (``not-your-form``).

    Returns:
        One outcome per file, as ``collect --json`` reports them.

    Raises:
        UploadTooLarge: over the round's size limits (nothing is recorded).
        SourceError: an uploaded .zip cannot be listed.
    """
    check_upload(round_, uploads)
    if not uploads:
        raise UploadTooLarge("upload.nothing")
    arrived = now or dt.datetime.now(dt.UTC)
    received: list[Received] = []
    for upload in uploads:
        received += uploaded_items(upload.path, clean_file_name(upload.name), source, arrived,
                                   recipient)
    return collect_round(round_, received=received, now=arrived, progress=progress,
                         workers=workers)
