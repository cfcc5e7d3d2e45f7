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
import traceback
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import IO, Final, Protocol

from sheetops.core.errors import SheetopsError
from sheetops.core.issues import REGISTRY, Issue
from sheetops.core.untrusted import safe_name, safe_text

ARCHIVE_SUFFIXES: Final = (".zip",)
MAX_ARCHIVE_MEMBERS: Final = 5_000
ITEM_FAILED: Final = "item-failed"
# What reading a damaged member raises: a bad CRC or header (BadZipFile), a broken deflate
# stream (zlib.error), a cut-off file (EOFError), an encrypted member (RuntimeError), a
# compression method this Python lacks (NotImplementedError).
ZIP_READ_ERRORS: Final = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                          NotImplementedError, ValueError)


@dataclass(frozen=True)
class Problem:
    """Why a received item is not read as a submission: an issue code and its parameters, and
    for an unexpected failure the traceback (kept under ``.sheetops/errors/``)."""

    code: str
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    trace: str = ""

    def to_issue(self) -> Issue:
        """The issue that reports this problem (its registered code and parameters)."""
        return Issue(self.code, REGISTRY[self.code].severity,
                     params=MappingProxyType(dict(self.params)))


def failure_problem(item: str, step: str, error: BaseException) -> Problem:
    """The problem of an item whose handling raised ``error`` (``item-failed``).

    Args:
        item: the item's name, as staff will read it.
        step: what was being done (``scan``, ``unzip``, ``mail``, ``archive``, ``record``).
        error: the exception, raised just now (its traceback is kept).

    Returns:
        The problem, with the exception's type and message as its detail.
    """
    detail = safe_text(f"{type(error).__name__}: {error}", 300)
    trace = "".join(traceback.format_exception(error))
    return Problem(ITEM_FAILED, MappingProxyType({"item": safe_name(item), "step": step,
                                                  "detail": detail}), trace)


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
    problem: Problem | None = None  # the item as a whole cannot be a submission
    recipient: str | None = None  # came through this recipient's personal link (portal)
    # ``received_at`` was written by a receiving server (a mail's topmost Received line, IMAP
    # INTERNALDATE, an upload); otherwise collect takes the time it first saw the item.
    server_time: bool = False
    claimed_at: dt.datetime | None = None  # a time the sender's side wrote: evidence only

    def __post_init__(self) -> None:
        # Every way in builds a Received: names are repaired (GBK bytes from an old unzip or a
        # share) and stripped of control and bidirectional characters here, once, before any
        # is printed or recorded.
        object.__setattr__(self, "name", safe_name(self.name))
        object.__setattr__(self, "source", safe_text(self.source))
        for attribute in ("sender", "subject", "message_id"):
            value = getattr(self, attribute)
            if value is not None:
                object.__setattr__(self, attribute, safe_text(value))

    @property
    def from_mail(self) -> bool:
        """Whether this came out of a message (sender and time then come from the message)."""
        return self.subject is not None


class SourceError(SheetopsError):
    """A collect source does not exist."""


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


def damaged_members(archive: zipfile.ZipFile, infos: Sequence[zipfile.ZipInfo]
                    ) -> list[tuple[zipfile.ZipInfo, str]]:
    """Read every member through once and return those that cannot be read, with why.

    A zip's directory can list a member whose bytes are damaged (one flipped byte fails its
    CRC), whose local header names another file, or that is encrypted: such a member has no
    bytes to keep, so it is found here, before any is archived, and the .zip itself stands
    for it.

    Args:
        archive: the open archive.
        infos: the members to check.

    Returns:
        ``(member, reason)`` for each member that cannot be read whole.
    """
    damaged = []
    for info in infos:
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except ZIP_READ_ERRORS as exc:
            damaged.append((info, safe_text(f"{type(exc).__name__}: {exc}", 300)))
    return damaged


def damaged_archive(name: str, damaged: Sequence[tuple[zipfile.ZipInfo, str]]) -> Problem:
    """The problem of a .zip some of whose members cannot be read
    (``archive-member-damaged``)."""
    members = ", ".join(safe_name(member_name(info)) for info, _ in damaged[:5])
    if len(damaged) > 5:
        members += f" (+{len(damaged) - 5})"
    return Problem("archive-member-damaged", MappingProxyType({
        "archive": safe_name(name), "members": members, "detail": damaged[0][1]}))


def _archive_members(path: Path, label: str | None = None,
                     when: dt.datetime | None = None) -> Iterator[Received]:
    """Each readable member of a .zip; the .zip itself, marked, when it cannot be listed or
    some of its members cannot be read (the others are still taken)."""
    source = label or str(path)

    def whole_archive(problem: Problem) -> Received:
        return Received(PurePosixPath(source).name, source, when or _mtime(path), None,
                        path.stat().st_size, lambda: path.open("rb"), problem=problem)

    try:
        archive = zipfile.ZipFile(path)
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (*ZIP_READ_ERRORS, UnicodeDecodeError) as exc:
        # A damaged directory, or names not in UTF-8 under the UTF-8 flag.
        yield whole_archive(Problem("archive-damaged", MappingProxyType({
            "archive": safe_name(PurePosixPath(source).name),
            "detail": safe_text(f"{type(exc).__name__}: {exc}", 300)})))
        return
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        yield whole_archive(Problem("archive-too-many-members", MappingProxyType({
            "archive": safe_name(PurePosixPath(source).name), "count": str(len(infos)),
            "limit": str(MAX_ARCHIVE_MEMBERS)})))
        return
    infos = [i for i in infos if not _skip(Path(PurePosixPath(member_name(i)).name))]
    damaged = damaged_members(archive, infos)
    if damaged:
        yield whole_archive(damaged_archive(PurePosixPath(source).name, damaged))
        infos = [i for i in infos if i not in {info for info, _ in damaged}]
    for info in infos:
        name = member_name(info)
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

        yield Received(PurePosixPath(name).name, f"{source}!{name}", member_time, None,
                       info.file_size, opener)


def _file(path: Path, containers: Sequence[Container]) -> list[Received]:
    """What one file holds; the file itself, marked ``item-failed``, when listing it raised
    (a message nested a thousand levels deep, say), so that it costs only itself."""
    try:
        if path.suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
            return list(_archive_members(path))
        for container in containers:
            items = container.file_items(path)
            if items is not None:
                return items
    except Exception as exc:
        return [Received(path.name, str(path), _mtime(path), None, path.stat().st_size,
                         lambda: path.open("rb"), problem=failure_problem(path.name, "scan",
                                                                          exc))]
    return [Received(path.name, str(path), _mtime(path), None, path.stat().st_size,
                     lambda: path.open("rb"))]


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

    A .zip that cannot be listed, or some of whose members cannot be read, is one item of its
    own, marked ``archive-damaged``.
    """
    if PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES and zipfile.is_zipfile(path):
        return [dataclasses.replace(item, recipient=recipient, server_time=True) for item in
                _archive_members(path, f"{source}/{name}", received_at)]
    return [Received(name, f"{source}/{name}", received_at, None, path.stat().st_size,
                     lambda: path.open("rb"), recipient=recipient, server_time=True)]


def scan_sources(sources: list[Path], containers: Sequence[Container] = ()) -> list[Received]:
    """List every received file in ``sources``, oldest first (ties by source).

    Args:
        sources: files, folders (searched recursively) and .zip archives.
        containers: the kinds of files and folders that hold several items (collect passes
            saved mail: .eml, mbox and Maildir, see :mod:`sheetops.mail.inbound.messages`).

    Returns:
        The received files, sorted by received time so that later ones supersede earlier. A
        file that cannot be listed (a damaged .zip, a message that breaks the parser) is one
        item of its own, marked with its problem: it costs only itself.

    Raises:
        SourceError: a source does not exist.
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
