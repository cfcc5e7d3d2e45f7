"""What staff download from a round: the generated packs, the reports, one received file.

Every function returns a path inside the round (or writes a .zip to a stream); the faces
serve them. A report that has not been written yet is a clear problem, not an empty file.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from sheetops.core.errors import RoundError
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.store import FileRecord, Ledger
from sheetops.model.workspace import Round
from sheetops.reports.handbook import records_report_path
from sheetops.reports.rejections import rejection_list_path, rejection_report_path
from sheetops.reports.summary import summary_path

REPORTS: Final = ("summary", "results.csv", "results.json", "rejections", "rejections.csv",
                   "records")
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES: Final = {".xlsx": XLSX, ".csv": "text/csv; charset=utf-8",
                      ".json": "application/json", ".zip": "application/zip",
                      ".xls": "application/vnd.ms-excel",
                      ".ods": "application/vnd.oasis.opendocument.spreadsheet"}


@dataclass(frozen=True)
class Download:
    """A file to hand out: where it is, the name to save it as, its media type."""

    path: Path
    name: str
    media_type: str


def _download(path: Path, name: str | None = None) -> Download:
    return Download(path, name or path.name,
                    MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream"))


def report_download(round_: Round, kind: str) -> Download:
    """A report of the round: ``summary``, ``results.csv``, ``results.json``, ``rejections``
    (with ``rejections.csv``, every issue cell by cell) or ``records``.

    Raises:
        RoundError: an unknown kind, or the report has not been written yet (say which
            command writes it).
    """
    paths = {
        "summary": summary_path(round_),
        "results.csv": round_.paths.reports / f"results-{round_.config.id}.csv",
        "results.json": round_.paths.reports / f"results-{round_.config.id}.json",
        "rejections": rejection_report_path(round_),
        "rejections.csv": rejection_list_path(round_),
        "records": records_report_path(round_),
    }
    if kind not in paths:
        raise RoundError("download.unknown-report", kind=kind, choices=", ".join(REPORTS))
    path = paths[kind]
    if not path.is_file():
        raise RoundError(f"download.not-yet.{kind.split('.')[0]}")
    return _download(path)


def generated_packs(round_: Round) -> list[PackPlan]:
    """The packs ``generate`` wrote (empty before it ran)."""
    if not round_.paths.manifest.is_file():
        return []
    return sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)


def pack_download(round_: Round, recipient: str) -> Download:
    """One recipient's pack.

    Raises:
        RoundError: the round has no pack for ``recipient`` (not generated yet, or unknown).
    """
    for pack in generated_packs(round_):
        path = round_.paths.outbox / pack.file
        if pack.recipient == recipient and path.is_file():
            return _download(path)
    raise RoundError("download.no-pack", code=recipient)


def write_packs_zip(round_: Round, out: BinaryIO) -> int:
    """Write every generated pack, handbook and the manifest into one .zip.

    Returns:
        How many files the .zip holds.

    Raises:
        RoundError: nothing has been generated yet.
    """
    outbox = round_.paths.outbox
    if not round_.paths.manifest.is_file():
        raise RoundError("download.not-generated")
    files = sorted(p for folder in ("branches", "inspectors", "handbooks")
                   for p in (outbox / folder).glob("*.xlsx"))
    files.append(round_.paths.manifest)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in files:
            # Names in UTF-8 with the flag set: Windows' own unzip and every office tool
            # read the Chinese names right.
            archive.write(path, path.relative_to(outbox).as_posix())
    return len(files)


def write_feedback_zip(round_: Round, out: BinaryIO) -> int:
    """Write every branch's feedback workbook (``reports/feedback/``) into one .zip.

    Raises:
        RoundError: no feedback has been written yet.
    """
    files = sorted((round_.paths.reports / "feedback").glob("*.xlsx"))
    if not files:
        raise RoundError("download.not-yet.feedback")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path in files:
            archive.write(path, path.name)
    return len(files)


def received_download(round_: Round, sha256: str) -> tuple[FileRecord, Download]:
    """A received file exactly as it arrived (its archived copy), under its own name.

    Raises:
        RoundError: the round has received no such file.
    """
    with Ledger(round_.paths.ledger) as ledger:
        record = ledger.file(sha256)
    if record is None:
        raise RoundError("download.no-file", sha256=sha256[:12])
    return record, _download(round_.paths.root / record.archive, record.name)
