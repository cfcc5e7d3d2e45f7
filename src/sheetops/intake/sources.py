"""Where returned files come from: files, folders (recursive) and zip archives of files.

Each source yields :class:`Received` items that say what the file was called, where it came from,
when it was received and (for mail) who sent it, and open its bytes lazily. Mail sources (.eml,
mbox, Maildir, IMAP) plug in here the same way: files and folders are dispatched here, a remote
mailbox is a :class:`Mailbox` that collect asks for what this round has not seen yet.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Final, Protocol

from sheetops.core.errors import SheetopsError

if TYPE_CHECKING:
    from sheetops.ledger.store import Ledger

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

    @property
    def from_mail(self) -> bool:
        """Whether this came out of a message (sender and time then come from the message)."""
        return self.subject is not None


class SourceError(SheetopsError):
    """A collect source does not exist or cannot be listed."""


class Mailbox(Protocol):
    """A remote mailbox (IMAP) that collect reads inside its ledger lock."""

    def fetch_new(self, ledger: Ledger) -> list[Received]:
        """Return what the messages this round has not seen yet carry."""

    def mark_seen(self, ledger: Ledger, at: str) -> None:
        """Remember the messages of the last fetch as seen (after they were recorded)."""


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
    # Mail is read by sheetops.mail, which builds on this module (hence the late import).
    from sheetops.mail.inbound.messages import EML_SUFFIXES, eml_items, is_mbox, mbox_items

    if path.suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
        yield from _archive_members(path)
    elif path.suffix.lower() in EML_SUFFIXES:
        yield from eml_items(path)
    elif is_mbox(path):
        yield from mbox_items(path)
    else:
        yield Received(path.name, str(path), _mtime(path), None, path.stat().st_size,
                       lambda: path.open("rb"))


def scan_sources(sources: list[Path]) -> list[Received]:
    """List every received file in ``sources``, oldest first (ties by source).

    Args:
        sources: files, folders (searched recursively), .zip archives, and mail: .eml files,
            mbox files and Maildir folders (each message's attachments, see
            :mod:`sheetops.mail.inbound.messages`).

    Returns:
        The received files, sorted by received time so that later ones supersede earlier.

    Raises:
        SourceError: a source does not exist or an archive cannot be listed.
    """
    from sheetops.mail.inbound.messages import is_maildir, maildir_items

    found: list[Received] = []
    for source in sources:
        if source.is_dir():
            # A Maildir's hidden subfolders (.Sent, .Trash) are other folders: not read.
            maildirs = sorted(p for p in [source, *source.rglob("*")]
                              if p.is_dir() and is_maildir(p) and not any(
                                  _skip(Path(part)) for part in p.relative_to(source).parts))
            for maildir in maildirs:
                found.extend(maildir_items(maildir))
            for path in sorted(source.rglob("*")):
                if any(path.is_relative_to(maildir) for maildir in maildirs):
                    continue
                if path.is_file() and not any(_skip(Path(p)) for p in path.relative_to(
                        source).parts):
                    found.extend(_file(path))
        elif source.is_file():
            found.extend(_file(source))
        else:
            raise SourceError("collect.no-source", path=source)
    return sorted(found, key=lambda r: (r.received_at, r.source))
