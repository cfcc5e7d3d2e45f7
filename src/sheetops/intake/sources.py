"""Where returned files come from: files, folders (recursive) and zip archives of files.

Each source yields :class:`Received` items that say what the file was called, where it came from,
when it was received and (for mail) who sent it, and open its bytes lazily. Mail sources (.eml,
mbox, Maildir, IMAP) plug in here the same way.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final

from sheetops.errors import SheetopsError

ARCHIVE_SUFFIXES: Final = (".zip",)
MAX_ARCHIVE_MEMBERS: Final = 5_000


@dataclass(frozen=True)
class Received:
    """One received file, not yet read."""

    name: str
    source: str
    received_at: dt.datetime
    sender: str | None
    size: int
    open: Callable[[], IO[bytes]]


class SourceError(SheetopsError):
    """A collect source does not exist or cannot be listed."""


def _skip(path: Path) -> bool:
    """Hidden files and office lock files (``~$book.xlsx``) are not submissions."""
    return path.name.startswith((".", "~$")) or path.name in ("Thumbs.db", "desktop.ini")


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)


def member_name(info: zipfile.ZipInfo) -> str:
    """Return a zip member's name, repairing GBK names stored without the UTF-8 flag.

    Windows' built-in zip and many Chinese tools store names in the local code page; Python
    then decodes them as CP437, which turns 机关 into mojibake.
    """
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _archive_members(path: Path) -> Iterator[Received]:
    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError("collect.bad-archive", path=path, reason=str(exc)) from exc
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise SourceError("collect.bad-archive", path=path,
                          reason=f"{len(infos)} members (limit {MAX_ARCHIVE_MEMBERS})")
    for info in infos:
        name = member_name(info)
        if _skip(Path(PurePosixPath(name).name)):
            continue
        try:
            when = dt.datetime(*info.date_time).replace(tzinfo=dt.UTC)
        except ValueError:
            when = _mtime(path)

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            # A stream, never the whole member in memory; zipfile enforces the declared size
            # and CRC while reading, so a lying member fails instead of expanding without bound.
            return zipfile.ZipFile(path).open(info)

        yield Received(PurePosixPath(name).name, f"{path}!{name}", when, None, info.file_size,
                       opener)


def _file(path: Path) -> Iterator[Received]:
    if path.suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
        yield from _archive_members(path)
    else:
        yield Received(path.name, str(path), _mtime(path), None, path.stat().st_size,
                       lambda: path.open("rb"))


def scan_sources(sources: list[Path]) -> list[Received]:
    """List every received file in ``sources``, oldest first (ties by source).

    Args:
        sources: files, folders (searched recursively) and .zip archives.

    Returns:
        The received files, sorted by received time so that later ones supersede earlier.

    Raises:
        SourceError: a source does not exist or an archive cannot be listed.
    """
    found: list[Received] = []
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and not any(_skip(Path(p)) for p in path.relative_to(
                        source).parts):
                    found.extend(_file(path))
        elif source.is_file():
            found.extend(_file(source))
        else:
            raise SourceError("collect.no-source", path=source)
    return sorted(found, key=lambda r: (r.received_at, r.source))
