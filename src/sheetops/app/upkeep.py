"""``sheetops verify``, ``backup`` and ``restore``: keeping a round's records whole.

A round's record is its ledger (what was received and decided) and its archive (every received
file's bytes, under their SHA-256). :func:`verify_round` checks that the two agree and that the
ledger is sound; :func:`backup_round` writes the whole round folder into one .zip (the ledger
through SQLite's backup API, so a collect running meanwhile cannot tear it) with a list of
every member's size and SHA-256; :func:`restore_round` checks such a .zip member by member and
unpacks it into a new folder, which then opens as the round it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import shutil
import sqlite3
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Final

from sheetops import __version__
from sheetops.app.collect import ARRIVALS_NAME
from sheetops.core.errors import SheetopsError
from sheetops.core.files import remove_file
from sheetops.model.workspace import Round, open_round

BACKUP_FORMAT: Final = "sheetops-backup-1"
BACKUP_INDEX: Final = "sheetops-backup.json"
# Files that are never copied: SQLite's journals (the database itself is copied through its
# backup API) and the lock files of running commands.
_SKIPPED_SUFFIXES: Final = ("-wal", "-shm", "-journal", ".lock")
_CHUNK: Final = 1 << 20

# verify's findings: errors make it exit 1, notes do not
LEDGER_DAMAGED: Final = "ledger-damaged"
ARCHIVE_MISSING: Final = "archive-missing"
ARCHIVE_CHANGED: Final = "archive-changed"
ARCHIVE_UNRECORDED: Final = "archive-unrecorded"
INCOMING_LEFTOVER: Final = "incoming-leftover"
ERRORS: Final = (LEDGER_DAMAGED, ARCHIVE_MISSING, ARCHIVE_CHANGED)


class UpkeepError(SheetopsError):
    """A backup cannot be written or restored."""


@dataclass(frozen=True)
class Finding:
    """One thing :func:`verify_round` found: its kind, the file (relative to the round) and,
    for a damaged ledger or a changed file, what was found."""

    kind: str
    path: str
    detail: str = ""

    @property
    def is_error(self) -> bool:
        """Whether it makes the round's record unsound."""
        return self.kind in ERRORS

    def to_json(self) -> dict[str, Any]:
        """One entry of ``verify --json``'s ``findings``."""
        return {"kind": self.kind, "error": self.is_error, "path": self.path,
                "detail": self.detail}


@dataclass
class VerifyReport:
    """What :func:`verify_round` checked and found."""

    round_id: str
    files: int = 0  # files recorded in the ledger
    verified: int = 0  # of them, found in the archive with their size and SHA-256
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the ledger is sound and every recorded file is archived unchanged."""
        return not any(f.is_error for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        """The ``verify --json`` document."""
        return {"round": self.round_id, "ok": self.ok, "files": self.files,
                "verified": self.verified, "findings": [f.to_json() for f in self.findings]}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _relative(round_: Round, path: Path) -> str:
    return path.relative_to(round_.paths.root).as_posix()


def _ledger_findings(path: Path) -> tuple[list[tuple[str, int, str]], list[Finding]]:
    """The ledger's files ``(sha256, size, archive path)`` and what is wrong with the ledger
    itself (read-only: a damaged ledger is never written to)."""
    if not path.exists():
        return [], []
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [], [Finding(LEDGER_DAMAGED, ".sheetops/ledger.sqlite", str(exc))]
    try:
        problems = [row[0] for row in connection.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            return [], [Finding(LEDGER_DAMAGED, ".sheetops/ledger.sqlite", "; ".join(problems))]
        rows = connection.execute(
            "SELECT sha256, size, archive FROM files ORDER BY received_at, name").fetchall()
        return [(str(sha), int(size), str(archive)) for sha, size, archive in rows], []
    except sqlite3.Error as exc:
        return [], [Finding(LEDGER_DAMAGED, ".sheetops/ledger.sqlite", str(exc))]
    finally:
        connection.close()


def verify_round(round_: Round) -> VerifyReport:
    """Check that the ledger passes SQLite's integrity check and that every file it records
    is in the archive, with its size and SHA-256.

    Nothing is changed. Archived files the ledger does not know (a collect stopped between
    archiving and recording: the next collect records them) and copies left half-written by a
    stopped collect (removed by the next collect) are noted, not errors; with a damaged
    ledger only the damage and the leftovers are reported.

    Args:
        round_: the opened round.

    Returns:
        The counts and every finding, errors first.
    """
    report = VerifyReport(round_.config.id)
    recorded, report.findings = _ledger_findings(round_.paths.ledger)
    report.files = len(recorded)
    known: set[str] = set()
    for sha, size, archive in recorded:
        known.add(archive)
        path = round_.paths.root / archive
        try:
            actual_size = path.stat().st_size
        except FileNotFoundError:
            report.findings.append(Finding(ARCHIVE_MISSING, archive, sha))
            continue
        actual = _sha256(path) if actual_size == size else None
        if actual != sha:
            report.findings.append(Finding(ARCHIVE_CHANGED, archive, (
                f"{actual_size} ≠ {size} B" if actual is None else actual)))
            continue
        report.verified += 1
    damaged = any(f.kind == LEDGER_DAMAGED for f in report.findings)
    for path in _archived(round_.paths.archive):
        relative = _relative(round_, path)
        if path.name.startswith(".incoming-"):  # see collect's Archive.remove_leftovers
            report.findings.append(Finding(INCOMING_LEFTOVER, relative))
        elif relative == f"{round_.paths.archive.name}/{ARRIVALS_NAME}":  # where each came from
            continue
        elif relative not in known and not damaged:
            report.findings.append(Finding(ARCHIVE_UNRECORDED, relative))
    report.findings.sort(key=lambda f: (not f.is_error, ERRORS.index(f.kind) if f.is_error
                                        else 0, f.path))
    return report


def _archived(folder: Path) -> Iterator[Path]:
    """Every file under ``archive/``, in name order."""
    if not folder.is_dir():
        return
    for top, folders, names in os.walk(folder):
        folders.sort()
        for name in sorted(names):
            yield Path(top) / name


# -- backup -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackupReport:
    """A written (or restored) backup: where, how many files, how many bytes."""

    path: Path
    files: int
    size: int


def _round_files(root: Path) -> Iterator[Path]:
    """The files of a round folder to back up, in name order."""
    for top, folders, names in os.walk(root):
        folders.sort()
        for name in sorted(names):
            if not name.endswith(_SKIPPED_SUFFIXES) and not name.startswith(".incoming-"):
                yield Path(top) / name


def backup_round(round_: Round, out: Path, *, now: dt.datetime | None = None) -> BackupReport:
    """Write the whole round into a new .zip: settings, scheme, roster, key, ledger, archive,
    outbox, inbox and reports, with ``sheetops-backup.json`` listing every member's size and
    SHA-256.

    The key signs every form: keep the backup as safe as the round folder itself.

    Args:
        round_: the opened round.
        out: the .zip to write; it must not exist and must lie outside the round folder.
        now: when the backup is taken (recorded in its index).

    Returns:
        The .zip written, with the number of files and their total size.

    Raises:
        UpkeepError: ``out`` exists or lies inside the round folder.
    """
    root = round_.paths.root.resolve()
    target = out.resolve()
    if target.is_relative_to(root):
        raise UpkeepError("backup.inside-round", path=out, round=round_.paths.root)
    if target.exists():
        raise UpkeepError("backup.exists", path=out)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    members: dict[str, dict[str, Any]] = {}
    try:
        with zipfile.ZipFile(temporary, "x", zipfile.ZIP_DEFLATED) as archive:
            for path in _round_files(root):
                name = path.relative_to(root).as_posix()
                if path.suffix == ".sqlite":
                    members[name] = _add_database(archive, path, name)
                else:
                    members[name] = _add_file(archive, path, name)
            index = {
                "format": BACKUP_FORMAT,
                "round": round_.config.id,
                "created_at": (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
                .isoformat(),
                "sheetops": __version__,
                "members": members,
            }
            archive.writestr(BACKUP_INDEX, json.dumps(index, ensure_ascii=False, indent=1))
        os.replace(temporary, target)
    finally:
        remove_file(temporary)
    return BackupReport(out, len(members), sum(m["size"] for m in members.values()))


def _add_file(archive: zipfile.ZipFile, path: Path, name: str) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source, archive.open(name, "w") as target:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            target.write(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _add_database(archive: zipfile.ZipFile, path: Path, name: str) -> dict[str, Any]:
    """Copy a SQLite database through its backup API (a consistent copy, whatever writes to
    it meanwhile), then add the copy."""
    copy = path.with_name(f".{path.name}.{secrets.token_hex(6)}.backup")
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(copy)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        return _add_file(archive, copy, name)
    except sqlite3.Error as exc:
        raise UpkeepError("backup.database-unreadable", path=path, reason=str(exc)) from exc
    finally:
        remove_file(copy)


# -- restore ------------------------------------------------------------------------------------


def _safe_member(name: str) -> bool:
    """Whether a member name is a plain relative path (no drive, no ``..``, no backslash)."""
    path = PurePosixPath(name)
    return (bool(name) and not path.is_absolute() and "\\" not in name and ":" not in name
            and all(part not in ("", ".", "..") for part in name.split("/")))


def _read_index(archive: zipfile.ZipFile, source: Path) -> dict[str, dict[str, Any]]:
    try:
        index = json.loads(archive.read(BACKUP_INDEX))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise UpkeepError("restore.not-a-backup", path=source) from exc
    members = index.get("members") if isinstance(index, dict) else None
    if index.get("format") != BACKUP_FORMAT or not isinstance(members, dict):
        raise UpkeepError("restore.not-a-backup", path=source)
    names = {info.filename for info in archive.infolist() if not info.is_dir()} - {BACKUP_INDEX}
    unlisted = sorted(names ^ set(members))  # in the .zip but not the index, or the reverse
    if unlisted:
        raise UpkeepError("restore.damaged", path=source, member=unlisted[0])
    for name, entry in members.items():
        if (not _safe_member(name) or not isinstance(entry, dict)
                or not isinstance(entry.get("size"), int)
                or not isinstance(entry.get("sha256"), str)):
            raise UpkeepError("restore.damaged", path=source, member=name)
    return members


def restore_round(source: Path, target: Path) -> BackupReport:
    """Unpack a backup written by :func:`backup_round` into a new round folder.

    Every member is checked against the backup's index (its size and SHA-256) while it is
    unpacked into a temporary folder beside ``target``, which becomes ``target`` only once
    everything checked and the round opens.

    Args:
        source: the backup .zip.
        target: the round folder to create; it must not exist, or be an empty folder.

    Returns:
        The restored folder, with the number of files and their total size.

    Raises:
        UpkeepError: ``target`` is not empty, or the .zip is not a sheetops backup or does
            not match its index.
        RoundError: the restored folder does not open as a round.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UpkeepError("restore.target-exists", path=target)
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        raise UpkeepError("restore.not-a-backup", path=source) from exc
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.{secrets.token_hex(6)}.restoring"
    try:
        with archive:
            members = _read_index(archive, source)
            for name, entry in sorted(members.items()):
                _extract(archive, name, entry, staging, source)
        open_round(staging)
        for name in members:  # as collect and init left them
            if name.startswith("archive/"):
                os.chmod(staging / name, stat.S_IREAD | stat.S_IRGRP | stat.S_IROTH)
            elif name == ".sheetops/key":
                os.chmod(staging / name, stat.S_IREAD | stat.S_IWRITE)
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, onerror=_writable_then_retry)
    return BackupReport(target, len(members), sum(m["size"] for m in members.values()))


def _extract(archive: zipfile.ZipFile, name: str, entry: dict[str, Any], staging: Path,
             source: Path) -> None:
    """Unpack one member, refusing it once it passes its recorded size or ends with another
    SHA-256."""
    path = staging / name
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(name) as member, path.open("xb") as out:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                if size > entry["size"]:
                    break
                digest.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise UpkeepError("restore.damaged", path=source, member=name) from exc
    if size != entry["size"] or digest.hexdigest() != entry["sha256"]:
        raise UpkeepError("restore.damaged", path=source, member=name)


def _writable_then_retry(function: Any, path: str, _info: Any) -> None:
    """shutil.rmtree's error handler: a read-only file (an archived return) on Windows."""
    os.chmod(path, stat.S_IWRITE | stat.S_IREAD)
    function(path)
