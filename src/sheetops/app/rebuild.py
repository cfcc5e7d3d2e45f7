"""``sheetops rebuild``: make a lost or damaged ledger again from the archive and the journal.

Everything the ledger knows can be derived again: every received file's bytes are in
``archive/`` under their SHA-256, the arrivals journal ``archive/arrivals.jsonl`` says where
each came from (name, source, sender, arrival), and every committee decision (vetoes, their
revocations, returns accepted after review) is also appended to ``.sheetops/decisions.jsonl``.
Rebuilding sets the old ledger aside (it is never deleted), records every archived file again in
its order of arrival through the same checks as ``collect``, then replays the decisions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sheetops.app.collect import collect_round, read_arrivals, round_lock
from sheetops.app.upkeep import UpkeepError
from sheetops.intake.sources import Received
from sheetops.ledger.store import JOURNAL_NAME, Ledger
from sheetops.model.workspace import Round

_SHA_LENGTH: Final = 64


@dataclass
class RebuildReport:
    """What a rebuild recovered."""

    round_id: str
    set_aside: list[Path] = field(default_factory=list)  # the old ledger's files, renamed
    files: Counter[str] = field(default_factory=Counter)  # recorded again, by status
    without_arrival: int = 0  # archived by an earlier version: named by their fingerprint
    decisions: int = 0  # replayed from the journal
    unreadable_decisions: int = 0  # journal lines that could not be read

    @property
    def recorded(self) -> int:
        """How many files were recorded again."""
        return sum(self.files.values())


def ledger_is_sound(path: Path) -> bool:
    """Whether the ledger exists and passes SQLite's integrity check (read-only)."""
    if not path.exists():
        return False
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        rows = connection.execute("PRAGMA integrity_check(1)").fetchall()
        connection.execute("SELECT count(*) FROM files").fetchone()
        return [row[0] for row in rows] == ["ok"]
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def archived_items(round_: Round) -> Iterator[tuple[Received, bool]]:
    """Every archived file as a received item, with whether the arrivals journal knows it.

    A file the journal does not know (archived by an earlier version) is named by its
    fingerprint and arrives at its archive copy's time.
    """
    archive = round_.paths.archive
    if not archive.is_dir():
        return
    arrivals: dict[str, dict[str, Any]] = {}
    for arrival in read_arrivals(archive):
        arrivals.setdefault(str(arrival["sha256"]), arrival)  # where it first came from
    for folder in sorted(p for p in archive.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            name = path.name
            if name.startswith(".") or len(name) < _SHA_LENGTH or not path.is_file():
                continue
            entry = arrivals.get(name[:_SHA_LENGTH])

            def opener(path: Path = path) -> Any:
                return path.open("rb")

            size = path.stat().st_size
            if entry is None:
                moment = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                yield Received(name, f"archive/{folder.name}/{name}",
                               moment.replace(microsecond=0), None, size, opener,
                               server_time=True), False
                continue
            claimed = entry.get("claimed_at")
            yield Received(
                str(entry["name"]), str(entry["source"]),
                dt.datetime.fromisoformat(str(entry["received_at"])), entry.get("sender"),
                size, opener, subject=entry.get("subject"), message_id=entry.get("message_id"),
                recipient=entry.get("recipient"), server_time=True,
                claimed_at=dt.datetime.fromisoformat(claimed) if claimed else None), True


def rebuild_round(round_: Round, *, force: bool = False,
                  now: dt.datetime | None = None) -> RebuildReport:
    """Rebuild the round's ledger from its archive, arrivals journal and decisions journal.

    Args:
        round_: the opened round.
        force: rebuild even though the ledger is sound (it is set aside all the same).
        now: the time of the rebuild (names the set-aside files, in the round's zone).

    Returns:
        What was recovered.

    Raises:
        UpkeepError: the ledger is sound and ``force`` was not given.
    """
    ledger_path = round_.paths.ledger
    if ledger_is_sound(ledger_path) and not force:
        raise UpkeepError("rebuild.ledger-sound", path=ledger_path)
    # The set-aside files are named for the moment as staff read it: in the round's zone.
    moment = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).astimezone(round_.config.zone)
    stamp = moment.strftime("%Y%m%dT%H%M%S")
    report = RebuildReport(round_.config.id)
    journal = ledger_path.with_name(JOURNAL_NAME)
    with round_lock(round_):
        for suffix in ("", "-wal", "-shm"):
            old = ledger_path.with_name(ledger_path.name + suffix)
            if old.exists():
                aside = ledger_path.with_name(f"ledger-set-aside-{stamp}.sqlite{suffix}")
                os.replace(old, aside)
                report.set_aside.append(aside)
        lines = journal.read_text(encoding="utf-8").splitlines() if journal.exists() else []
        if journal.exists():
            os.replace(journal, journal.with_name(f"decisions-set-aside-{stamp}.jsonl"))
    items = []
    for item, with_arrival in archived_items(round_):
        items.append(item)
        report.without_arrival += not with_arrival
    if items:
        collected = collect_round(round_, received=items, now=moment)
        report.files.update(f.status for f in collected.files)
    with Ledger(ledger_path) as ledger:
        for line in lines:
            try:
                entry = json.loads(line)
                kind, branch, subject = entry["kind"], entry["branch"], entry["subject"]
                note, at = entry["note"], entry["at"]
            except (ValueError, KeyError, TypeError):
                report.unreadable_decisions += 1
                continue
            if kind == "veto":
                ledger.record_veto(branch, subject, note, at)
            elif kind == "revoke":
                ledger.revoke_veto(branch, subject, note, at)
            elif kind == "accept":
                ledger.accept_held(subject, note, at)
            else:
                report.unreadable_decisions += 1
                continue
            report.decisions += 1
    return report
