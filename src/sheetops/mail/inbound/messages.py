"""Reading returned mail: every usable attachment of a message as a received file.

A message is read from its raw bytes, whatever it came from (an .eml file, an mbox, a Maildir,
an IMAP mailbox). Attachment names are decoded the ways real clients write them, Chinese ones
above all: RFC 2231 parameters (``filename*=GBK''%BB%FA``), RFC 2047 encoded words inside the
quotes (``filename="=?GB2312?B?...?="``, often GBK characters under a GB2312 label) and raw 8-bit
names in UTF-8 or GBK. Zipped attachments are opened; a message without any usable attachment
becomes one item of its own, so that collect reports it with its sender and subject.

Each message is parsed once per collect: the decoded bytes of its attachments are kept from that
parse until collect has archived them (each is let go once opened), so a message with 500
attachments costs one parse, not 500. Parsing is bounded before it starts (message size, how many
multipart and message parts it declares, since Python's parser recurses once per nesting level,
and how many attachments it carries), and a message that still breaks it is one item of its own,
marked with the failure: one message never stops a collect.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.header
import email.message
import email.parser
import email.policy
import email.utils
import io
import mailbox
import mimetypes
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import IO, Final

from sheetops.core.untrusted import safe_name, safe_text
from sheetops.intake.sources import (
    MAX_ARCHIVE_MEMBERS,
    ZIP_READ_ERRORS,
    Problem,
    Received,
    damaged_archive,
    damaged_members,
    failure_problem,
    member_name,
)
from sheetops.layout.packs import safe_file_part
from sheetops.model.round import Limits

NO_ATTACHMENT: Final = "no-attachment"
MBOX_SUFFIXES: Final = (".mbox", ".mbx")
EML_SUFFIXES: Final = (".eml",)
# Labels that Chinese clients put on text they actually wrote in GBK or GB18030.
_CHARSET_ALIASES: Final = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
    "euc-cn": "gb18030", "x-euc-cn": "gb18030", "gb_2312-80": "gb18030", "chinese": "gb18030",
    "ms936": "gb18030", "windows-936": "gb18030", "utf8": "utf-8",
}
# Parts that travel with a message but are never a submission.
_NOT_SUBMISSIONS: Final = frozenset({
    "application/pkcs7-signature", "application/x-pkcs7-signature",
    "application/pgp-signature", "application/pgp-keys", "text/vcard", "text/x-vcard",
    "text/calendar", "message/delivery-status", "message/disposition-notification",
})
_ENCODED_WORD: Final = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]+")
# A header line declaring a part that holds parts (matched in the raw bytes, any case).
_CONTAINER: Final = re.compile(rb"(?im)^content-type:[ \t]*(?:multipart|message)/")
DEFAULT_LIMITS: Final = Limits()
UNKNOWN_SENDER: Final = "—"


@dataclass(frozen=True)
class MessageInfo:
    """Who sent a message, when it arrived and what it was about."""

    sender: str | None
    subject: str
    message_id: str | None
    received_at: dt.datetime | None  # the topmost Received line: the receiving server's
    dated: dt.datetime | None = None  # the Date header: the sender's client's, evidence only


@dataclass(frozen=True)
class Attachment:
    """One attachment as found in a message: its decoded name and position among the parts."""

    name: str
    index: int
    size: int


def python_charset(label: str | None) -> str:
    """Return the codec to decode text labelled ``label`` with (GB2312 and GBK → GB18030)."""
    cleaned = (label or "").strip().strip('"').lower()
    return _CHARSET_ALIASES.get(cleaned, cleaned or "utf-8")


def decode_bytes(data: bytes, label: str | None = None) -> str:
    """Decode header bytes: the declared charset first, then UTF-8, then GB18030.

    Args:
        data: raw bytes of a header or parameter.
        label: the charset the sender declared, if any.

    Returns:
        The text; undecodable bytes become U+FFFD only when no candidate fits.
    """
    candidates = [python_charset(label)] if label else []
    candidates += ["utf-8", "gb18030"]
    for codec in candidates:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


def _undo_escapes(value: str) -> str:
    """Decode the raw 8-bit bytes the parser kept as surrogate escapes (UTF-8, else GBK)."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    return decode_bytes(value.encode("utf-8", errors="surrogateescape"))


def decode_header_text(value: str | None) -> str:
    """Decode a header's value: raw 8-bit bytes and RFC 2047 words in any charset.

    Adjacent encoded words in one charset are joined before decoding, since some clients split
    a GBK character across two words.

    Args:
        value: the header as the parser stored it (surrogate-escaped), or None.

    Returns:
        The readable text, unfolded.
    """
    if not value:
        return ""
    text = _undo_escapes(value)
    if _ENCODED_WORD.search(text):
        try:
            parts = email.header.decode_header(text)
        except (ValueError, email.errors.HeaderParseError):
            parts = [(text, None)]
        pieces = []
        for chunk, charset in parts:
            if isinstance(chunk, bytes):
                pieces.append(decode_bytes(chunk, charset))
            else:
                pieces.append(chunk)
        text = "".join(pieces)
    return " ".join(text.split())


def _raw_header(part: email.message.Message, name: str) -> str | None:
    for key, value in part.raw_items():
        if key.lower() == name:
            return str(value)
    return None


def _param(part: email.message.Message, header: str, name: str) -> str | None:
    """A header parameter, decoded (RFC 2231, RFC 2047 inside the quotes, raw 8-bit)."""
    raw = _raw_header(part, header)
    if raw is None:
        return None
    holder = email.message.Message()
    # Re-parse the header from its decoded text so raw 8-bit names survive as characters.
    holder[header] = _undo_escapes(raw)
    value = holder.get_param(name, header=header)
    if value is None or value == "":
        return None
    if isinstance(value, tuple):  # RFC 2231: (charset, language, text as latin-1)
        charset, _, encoded = value
        try:
            data = encoded.encode("latin-1")
        except UnicodeEncodeError:
            return decode_header_text(encoded)
        return decode_bytes(data, charset)
    return decode_header_text(email.utils.unquote(value))


def attachment_name(part: email.message.Message, index: int) -> str:
    """Return the file name an attachment part declares, safe as a single name.

    Args:
        part: a leaf MIME part.
        index: its position, for a made-up name when it declares none.

    Returns:
        The decoded base name (no folders); ``attachment-N.ext`` when nameless.
    """
    name = (_param(part, "content-disposition", "filename")
            or _param(part, "content-type", "name") or "")
    name = _CONTROL.sub("", name).replace("\\", "/")
    name = PurePosixPath(name).name.strip()
    if not name or name in (".", ".."):
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{index}{extension}"
    return name


def _is_attachment(part: email.message.Message) -> bool:
    if part.is_multipart():
        return False
    content_type = part.get_content_type()
    if content_type in _NOT_SUBMISSIONS:
        return False
    named = bool(_param(part, "content-disposition", "filename")
                 or _param(part, "content-type", "name"))
    disposition = part.get_content_disposition()
    if part.get_content_maintype() == "image" and part.get("content-id"):
        return False  # a picture shown in the body (signatures, logos)
    if disposition == "attachment":
        return True
    if content_type in ("text/plain", "text/html") and not named:
        return False  # the body
    return named or part.get_content_maintype() == "application"


def _leaves(message: email.message.Message) -> Iterator[email.message.Message]:
    """The leaf parts, in order, walked without recursion (``Message.walk`` recurses once per
    level; the nesting is bounded before parsing, see :func:`mime_containers`)."""
    stack = [message]
    while stack:
        part = stack.pop()
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                stack.extend(reversed([p for p in payload
                                       if isinstance(p, email.message.Message)]))
        else:
            yield part


def parse_message(raw: bytes) -> email.message.Message:
    """Parse a message's raw bytes (tolerant: mail in the wild is often malformed)."""
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def parse_headers(raw: bytes) -> email.message.Message:
    """Parse only a message's header block (no parts: safe whatever the body holds)."""
    return email.parser.BytesParser(policy=email.policy.compat32).parsebytes(
        raw, headersonly=True)


def mime_containers(raw: bytes) -> int:
    """Count the multipart and message parts a raw message declares, before parsing it.

    Python's parser recurses once per nesting level: about 1,000 levels (75 KB) exceed the
    interpreter's recursion limit. No part can nest deeper than there are containers, so
    bounding their number bounds the depth; the count errs high (a header line quoted inside
    a text part counts too), never low.
    """
    return len(_CONTAINER.findall(raw))


def _first_date(values: list[str]) -> dt.datetime | None:
    for value in values:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:  # "-0000": the time is UTC, the zone unknown
            moment = moment.replace(tzinfo=dt.UTC)
        try:
            moment.astimezone(dt.UTC)
        except OverflowError:  # 31 Dec 9999 23:59:59 -1200 lies beyond year 9999 in UTC
            continue
        return moment
    return None


def message_info(message: email.message.Message) -> MessageInfo:
    """Return sender, subject, Message-ID and arrival time of a parsed message.

    The arrival time is taken from the topmost ``Received:`` header (written by the receiving
    server) only; ``Date:`` (written by the sender's client) is kept apart as evidence, never
    used to order returns. A time that cannot be converted to UTC counts as none.

    Args:
        message: the parsed message (its headers at least).

    Returns:
        What collect records about the message.
    """
    # Raw values: the parser hands 8-bit headers out as opaque Header objects otherwise.
    raw = {key.lower(): str(value) for key, value in reversed(list(message.raw_items()))}
    _, address = email.utils.parseaddr(decode_header_text(raw.get("from")))
    received = [str(value).rsplit(";", 1)[-1] for key, value in message.raw_items()
                if key.lower() == "received" and ";" in str(value)]
    message_id = raw.get("message-id", "").strip() or None
    return MessageInfo(address.strip().lower() or None, decode_header_text(raw.get("subject")),
                       message_id, _first_date(received), _first_date([raw.get("date", "")]))


def list_attachments(message: email.message.Message) -> list[tuple[Attachment, bytes]]:
    """Return the message's usable attachments, in order, each with its decoded bytes.

    Args:
        message: the parsed message.

    Returns:
        One entry per attachment part (not yet unzipped).
    """
    found = []
    for index, part in enumerate(_leaves(message)):
        if not _is_attachment(part):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        found.append((Attachment(attachment_name(part, index), index, len(data)), data))
    return found


def attachment_bytes(raw: bytes, index: int) -> bytes:
    """Return the decoded bytes of the ``index``-th leaf part of a raw message."""
    for position, part in enumerate(_leaves(parse_message(raw))):
        if position == index:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise LookupError(index)


class _Payload:
    """An attachment's decoded bytes, kept from the message's single parse until every item
    made from it has been opened, then let go; opened again after that, the message is
    parsed again (collect opens each item once, to archive it)."""

    def __init__(self, data: bytes, users: int, reload: Callable[[], bytes]) -> None:
        self._data: bytes | None = data
        self._users = users
        self._reload = reload

    def take(self) -> bytes:
        data = self._data if self._data is not None else self._reload()
        self._users -= 1
        if self._users <= 0:
            self._data = None
        return data


def _zip_members(name: str, data: bytes
                 ) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]] | Problem:
    """A zipped attachment and its file members, or why it cannot be listed."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (*ZIP_READ_ERRORS, UnicodeDecodeError) as exc:
        # A damaged directory, or names not in UTF-8 under the UTF-8 flag.
        return Problem("archive-damaged", MappingProxyType({
            "archive": safe_name(name), "detail": safe_text(f"{type(exc).__name__}: {exc}", 300)}))
    if len(infos) > MAX_ARCHIVE_MEMBERS:
        return Problem("archive-too-many-members", MappingProxyType({
            "archive": safe_name(name), "count": str(len(infos)),
            "limit": str(MAX_ARCHIVE_MEMBERS)}))
    return archive, infos


def _hidden(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.startswith((".", "~$")) or base in ("Thumbs.db", "desktop.ini") or (
        name.startswith("__MACOSX/"))


def _opener(read: Callable[[], bytes]) -> Callable[[], IO[bytes]]:
    def whole() -> IO[bytes]:
        return io.BytesIO(read())

    return whole


def message_items(
    load: Callable[[], bytes],
    label: str,
    fallback_time: dt.datetime,
    *,
    message_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    fallback_is_server: bool = False,
) -> list[Received]:
    """List what one message carries as received files.

    The message is parsed once: each attachment's decoded bytes are kept for its items until
    they are opened. Whatever goes wrong reading it, it costs only itself: a message over
    ``limits`` (size, nesting, attachments), or one the parser or this module fails on, is
    one item holding the message, marked with its problem.

    Args:
        load: returns the message's raw bytes (called now, and again only if an item is
            opened twice, or for the message itself).
        label: where the message is (a file, ``mbox#3``, an IMAP URL), for the item's source.
        fallback_time: its arrival time when no receiving server wrote one into it (file
            time, INTERNALDATE).
        message_name: the name to show for the message itself (default: from its subject).
        limits: the round's limits (message size, MIME nesting, attachments per message).
        fallback_is_server: ``fallback_time`` is a server's (IMAP INTERNALDATE), not a file
            time (then collect orders the message by when it first saw it).

    Returns:
        One item per attachment (per member for a zipped one); a message with none gives one
        item holding the message itself, marked ``no-attachment``.
    """
    raw = b""
    try:
        raw = load()
        return _message_items(raw, load, label, fallback_time, message_name, limits,
                              fallback_is_server)
    except Exception as exc:
        name = message_name or f"{label.rsplit('/', 1)[-1].lstrip(';') or 'message'}.eml"
        return [Received(name, label, fallback_time, None, len(raw), _opener(load),
                         subject="", problem=failure_problem(label, "mail", exc),
                         server_time=fallback_is_server)]


def _message_items(raw: bytes, load: Callable[[], bytes], label: str,
                   fallback_time: dt.datetime, message_name: str | None,
                   limits: Limits, fallback_is_server: bool) -> list[Received]:
    too_large = len(raw) > limits.max_message_bytes
    containers = 0 if too_large else mime_containers(raw)
    within = not too_large and containers <= limits.max_mime_nesting
    # The one parse of the message; over a limit, only its header block is read.
    message = parse_message(raw) if within else parse_headers(raw)
    info = message_info(message)
    when = info.received_at or fallback_time
    by_server = info.received_at is not None or fallback_is_server

    def item(name: str, source: str, size: int, opener: Callable[[], IO[bytes]],
             problem: Problem | None = None) -> Received:
        return Received(name, source, when, info.sender, size, opener, subject=info.subject,
                        message_id=info.message_id, problem=problem, server_time=by_server,
                        claimed_at=info.dated)

    def itself(problem: Problem) -> list[Received]:
        name = message_name or f"{safe_file_part(info.subject or 'message')}.eml"
        return [item(name, label, len(raw), _opener(load), problem)]

    if too_large:
        return itself(Problem("message-too-large", MappingProxyType({
            "size": f"{len(raw) / 2**20:.1f} MB",
            "limit": f"{limits.max_message_bytes / 2**20:.0f} MB"})))
    if not within:
        return itself(Problem("message-too-deep", MappingProxyType({
            "count": str(containers), "limit": str(limits.max_mime_nesting)})))
    attachments = list_attachments(message)
    if len(attachments) > limits.max_attachments:
        return itself(Problem("too-many-attachments", MappingProxyType({
            "count": str(len(attachments)), "limit": str(limits.max_attachments)})))
    items: list[Received] = []
    for attachment, data in attachments:

        def reload(index: int = attachment.index) -> bytes:
            return attachment_bytes(load(), index)

        source = f"{label}!{attachment.name}"
        listed = (_zip_members(attachment.name, data)
                  if attachment.name.lower().endswith(".zip") else None)
        if listed is None or isinstance(listed, Problem):
            items.append(item(attachment.name, source, attachment.size,
                              _opener(_Payload(data, 1, reload).take), listed))
            continue
        archive, infos = listed
        infos = [entry for entry in infos if not _hidden(member_name(entry))]
        damaged = damaged_members(archive, infos)
        if damaged:  # the .zip itself stands for the members that cannot be read
            items.append(item(attachment.name, source, attachment.size,
                              _opener(_Payload(data, 1, reload).take),
                              damaged_archive(attachment.name, damaged)))
            infos = [entry for entry in infos if entry not in {info for info, _ in damaged}]
        payload = _Payload(data, len(infos), reload)
        for entry in infos:
            name = member_name(entry)

            def member(take: Callable[[], bytes] = payload.take,
                       entry: zipfile.ZipInfo = entry) -> IO[bytes]:
                # zipfile enforces the declared size and CRC while streaming the member.
                return zipfile.ZipFile(io.BytesIO(take())).open(entry)

            items.append(item(PurePosixPath(name).name, f"{source}!{name}", entry.file_size,
                              member))
    if not items:
        items = itself(Problem(NO_ATTACHMENT, MappingProxyType({
            "sender": safe_text(info.sender or UNKNOWN_SENDER),
            "subject": safe_text(info.subject)})))
    return items


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)


def eml_items(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Received]:
    """What an ``.eml`` file carries (see :func:`message_items`)."""
    return message_items(path.read_bytes, str(path), _mtime(path), message_name=path.name,
                         limits=limits)


def is_mbox(path: Path) -> bool:
    """Whether ``path`` looks like an mbox file (by suffix, or a suffix-less ``From `` file)."""
    if path.suffix.lower() in MBOX_SUFFIXES:
        return True
    if path.suffix:
        return False
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def mbox_items(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Received]:
    """What every message of an mbox file carries (see :func:`message_items`).

    The file is only read (never locked or written); messages are split as Python's
    :mod:`mailbox` splits them, at every line starting with ``From ``.
    """
    fallback = _mtime(path)
    box = mailbox.mbox(path, create=False)
    items: list[Received] = []
    for number, key in enumerate(box.keys(), start=1):

        def load(key: str = key) -> bytes:
            return box.get_bytes(key)

        items += message_items(load, f"{path}#{number}", fallback, limits=limits)
    return items


def is_maildir(path: Path) -> bool:
    """Whether ``path`` is a Maildir folder (``cur``, ``new`` and ``tmp`` inside)."""
    return all((path / name).is_dir() for name in ("cur", "new", "tmp"))


def maildir_items(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Received]:
    """What every delivered message of a Maildir carries (``tmp`` holds unfinished deliveries)."""
    items: list[Received] = []
    for folder in ("new", "cur"):
        for message in sorted((path / folder).iterdir()):
            if message.name.startswith(".") or not message.is_file():
                continue
            items += message_items(message.read_bytes, str(message), _mtime(message),
                                   limits=limits)
    return items


class MailFiles:
    """Mail saved as files, for :func:`~sheetops.intake.sources.scan_sources`: ``.eml``
    files, mbox files and Maildir folders, read within the round's ``limits``."""

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits

    def folder_items(self, path: Path) -> list[Received] | None:
        """What a Maildir folder's messages carry, or None when ``path`` is no Maildir."""
        return maildir_items(path, self.limits) if is_maildir(path) else None

    def file_items(self, path: Path) -> list[Received] | None:
        """What an ``.eml`` or mbox file carries, or None when ``path`` is neither."""
        if path.suffix.lower() in EML_SUFFIXES:
            return eml_items(path, self.limits)
        return mbox_items(path, self.limits) if is_mbox(path) else None


MAIL_FILES: Final = MailFiles()
