"""``sheetops accept``: staff count a return that was held for review, with their reason.

A valid form from an address that is not its recipient's roster address is held: recorded and
archived, shown by ``status`` and the console, counted only once staff accept it here. The
decision and its note go into the ledger, beside the committee's vetoes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from sheetops.core.errors import SheetopsError
from sheetops.ledger.store import FileRecord, Ledger
from sheetops.model.workspace import Round

MIN_PREFIX: Final = 8  # characters of a SHA-256 that name a file unambiguously enough
_HEX: Final = re.compile(r"[0-9a-f]+")


class AcceptError(SheetopsError):
    """A file to accept is unknown, ambiguous, holds nothing for review, or has no note."""


@dataclass(frozen=True)
class Acceptance:
    """What one acceptance counted."""

    file: FileRecord
    form_ids: list[str]


def find_held_file(ledger: Ledger, sha256: str) -> FileRecord:
    """Return the held file whose SHA-256 is or starts with ``sha256``.

    Raises:
        AcceptError: too short a prefix, no such held file, or more than one.
    """
    key = sha256.strip().lower()
    if len(key) < MIN_PREFIX or not _HEX.fullmatch(key):
        raise AcceptError("accept.bad-sha", value=sha256, least=MIN_PREFIX)
    held = [f for f in ledger.held_files() if f.sha256.startswith(key)]
    if not held:
        known = ledger.file(key) if len(key) == 64 else None
        if known is not None:
            raise AcceptError("accept.not-held", name=known.name, sha=key[:12])
        raise AcceptError("accept.unknown", value=sha256)
    if len(held) > 1:
        raise AcceptError("accept.ambiguous", value=sha256, count=len(held))
    return held[0]


def accept_held(round_: Round, sha256: str, note: str, *,
                now: dt.datetime | None = None) -> Acceptance:
    """Count the held forms of one file, recording staff's decision and note.

    Args:
        round_: the opened round.
        sha256: the file's SHA-256, or at least its first eight characters.
        note: why staff accept it (required: who confirmed the sender, how).
        now: the decision time.

    Returns:
        The file and the forms that now count.

    Raises:
        AcceptError: unknown or ambiguous file, nothing held in it, or an empty note.
    """
    if not note.strip():
        raise AcceptError("accept.note-required")
    at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with Ledger(round_.paths.ledger) as ledger:
        record = find_held_file(ledger, sha256)
        form_ids = ledger.accept_held(record.sha256, note.strip(), at)
    return Acceptance(record, form_ids)
