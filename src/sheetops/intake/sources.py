"""Where returned files come from: files, folders (recursive) and zip archives of files.

Each source yields :class:`Received` items that say what the file was called, where it came from,
when it was received and (for mail) who sent it, and open its bytes lazily. Mail plugs in
without this module knowing it: files and folders that hold several items (an ``.eml``, an
mbox, a Maildir) are a :class:`Container` passed to :func:`scan_sources`, and a remote mailbox
(:class:`sheetops.mail.inbound.imap.Mailbox`) is asked for what the round has not seen yet.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Final, Protocol

from sheetops.core.errors import SheetopsError

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
    subject: str | None = None  # set for everything read from mail ("" when it has none)
    message_id: str | None = None
    problem: str | None = None  # an issue code for the item as a whole (``no-attachment``)
    recipient: str | None = None  # came through this recipient's personal link (portal)

    @property
    def from_mail(self) -> bool:
        """Whether this came out of a message (sender and time then come from the message)."""
        return self.subject is not None


class SourceError(SheetopsError):
    """A collect source does not exist or cannot be listed."""


class Container(Protocol):
    """A kind of file or folder that holds several received items (saved mail, say)."""

    def folder_items(self, path: Path) -> list[Received] | None:
        """What the folder ``path`` holds, or None when it is not of this kind."""

    def file_items(self, path: Path) -> list[Received] | None:
        """What the file ``path`` holds, or None when it is not of this kind."""


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


def _archive_members(path: Path, label: str | None = None,
                     when: dt.datetime | None = None) -> Iterator[Received]:
    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError("collect.bad-archive", path=label or path, reason=str(exc)) from exc
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        raise SourceError("collect.bad-archive", path=label or path,
                          reason=f"{len(infos)} members (limit {MAX_ARCHIVE_MEMBERS})")
    for info in infos:
        name = member_name(info)
        if _skip(Path(PurePosixPath(name).name)):
            continue
        if when is not None:
            member_time = when
        else:
            try:
                member_time = dt.datetime(*info.date_time).replace(tzinfo=dt.UTC)
            except ValueError:
                member_time = _mtime(path)

        def opener(info: zipfile.ZipInfo = info) -> IO[bytes]:
            # A stream, never the whole member in memory; zipfile enforces the declared size
            # and CRC while reading, so a lying member fails instead of expanding without bound.
            # The archive is opened once for all its members (reading its directory for each
            # member of a 1,000-file .zip cost a second).
            return archive.open(info)

        yield Received(PurePosixPath(name).name, f"{label or path}!{name}", member_time, None,
                       info.file_size, opener)


def _file(path: Path, containers: Sequence[Container]) -> Iterator[Received]:
    if path.suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
        yield from _archive_members(path)
        return
    for container in containers:
        items = container.file_items(path)
        if items is not None:
            yield from items
            return
    yield Received(path.name, str(path), _mtime(path), None, path.stat().st_size,
                   lambda: path.open("rb"))


def uploaded_items(path: Path, name: str, source: str, received_at: dt.datetime,
                   recipient: str | None = None) -> list[Received]:
    """What one uploaded file holds: the file itself, or a .zip's members.

    The upload's own name is never used as a path: ``path`` is where the server kept the bytes,
    ``name`` only what the file was called.

    Args:
        path: the uploaded bytes.
        name: the file's name as the browser sent it.
        source: where it came from (``upload:<account>``, ``portal:<recipient>``).
        received_at: when it arrived (every member of a .zip arrived then too).
        recipient: the recipient whose personal link it came through, if any.

    Raises:
        SourceError: a .zip cannot be listed.
    """
    if PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
        return [dataclasses.replace(item, recipient=recipient) for item in
                _archive_members(path, f"{source}/{name}", received_at)]
    return [Received(name, f"{source}/{name}", received_at, None, path.stat().st_size,
                     lambda: path.open("rb"), recipient=recipient)]


def scan_sources(sources: list[Path], containers: Sequence[Container] = ()) -> list[Received]:
    """List every received file in ``sources``, oldest first (ties by source).

    Args:
        sources: files, folders (searched recursively) and .zip archives.
        containers: the kinds of files and folders that hold several items (collect passes
            saved mail: .eml, mbox and Maildir, see :mod:`sheetops.mail.inbound.messages`).

    Returns:
        The received files, sorted by received time so that later ones supersede earlier.

    Raises:
        SourceError: a source does not exist or an archive cannot be listed.
    """
    found: list[Received] = []
    for source in sources:
        if source.is_dir():
            # Hidden folders (a Maildir's .Sent and .Trash among them) are not read.
            held: list[Path] = []
            for folder in sorted(p for p in [source, *source.rglob("*")] if p.is_dir()):
                if any(_skip(Path(part)) for part in folder.relative_to(source).parts) or any(
                        folder.is_relative_to(other) for other in held):
                    continue
                for container in containers:
                    items = container.folder_items(folder)
                    if items is not None:
                        found.extend(items)
                        held.append(folder)
                        break
            for path in sorted(source.rglob("*")):
                if any(path.is_relative_to(folder) for folder in held):
                    continue
                if path.is_file() and not any(_skip(Path(p)) for p in path.relative_to(
                        source).parts):
                    found.extend(_file(path, containers))
        elif source.is_file():
            found.extend(_file(source, containers))
        else:
            raise SourceError("collect.no-source", path=source)
    return sorted(found, key=lambda r: (r.received_at, r.source))
