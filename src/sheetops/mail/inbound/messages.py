"""Reading returned mail: every usable attachment of a message as a received file.

A message is read from its raw bytes, whatever it came from (an .eml file, an mbox, a Maildir,
an IMAP mailbox). Attachment names are decoded the ways real clients write them, Chinese ones
above all: RFC 2231 parameters (``filename*=GBK''%BB%FA``), RFC 2047 encoded words inside the
quotes (``filename="=?GB2312?B?...?="``, often GBK characters under a GB2312 label) and raw 8-bit
names in UTF-8 or GBK. Zipped attachments are opened; a message without any usable attachment
becomes one item of its own, so that collect reports it with its sender and subject.

Parsing happens once to list what a message carries; each item's bytes are extracted again only
when collect opens it, so an mbox of thousands of messages is never held in memory.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.header
import email.message
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
from typing import IO, Final

from sheetops.intake.sources import MAX_ARCHIVE_MEMBERS, Received, member_name
from sheetops.layout.packs import safe_file_part

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


@dataclass(frozen=True)
class MessageInfo:
    """Who sent a message, when it arrived and what it was about."""

    sender: str | None
    subject: str
    message_id: str | None
    received_at: dt.datetime | None


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
    for part in message.walk():
        if not part.is_multipart():
            yield part


def parse_message(raw: bytes) -> email.message.Message:
    """Parse a message's raw bytes (tolerant: mail in the wild is often malformed)."""
    return email.message_from_bytes(raw, policy=email.policy.compat32)


def _first_date(values: list[str]) -> dt.datetime | None:
    for value in values:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:  # "-0000": the time is UTC, the zone unknown
            moment = moment.replace(tzinfo=dt.UTC)
        return moment
    return None


def message_info(message: email.message.Message) -> MessageInfo:
    """Return sender, subject, Message-ID and arrival time of a parsed message.

    The arrival time is taken from the topmost ``Received:`` header (written by the receiving
    server), else from ``Date:`` (written by the sender's client).

    Args:
        message: the parsed message.

    Returns:
        What collect records about the message.
    """
    # Raw values: the parser hands 8-bit headers out as opaque Header objects otherwise.
    raw = {key.lower(): str(value) for key, value in reversed(list(message.raw_items()))}
    _, address = email.utils.parseaddr(decode_header_text(raw.get("from")))
    received = [str(value).rsplit(";", 1)[-1] for key, value in message.raw_items()
                if key.lower() == "received" and ";" in str(value)]
    moment = _first_date(received) or _first_date([raw.get("date", "")])
    message_id = raw.get("message-id", "").strip() or None
    return MessageInfo(address.strip().lower() or None, decode_header_text(raw.get("subject")),
                       message_id, moment)


def list_attachments(message: email.message.Message) -> list[Attachment]:
    """Return the message's usable attachments, in order.

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
        found.append(Attachment(attachment_name(part, index), index, len(data)))
    return found


def attachment_bytes(raw: bytes, index: int) -> bytes:
    """Return the decoded bytes of the ``index``-th leaf part of a raw message."""
    for position, part in enumerate(_leaves(parse_message(raw))):
        if position == index:
            payload = part.get_payload(decode=True)
            return payload if isinstance(payload, bytes) else b""
    raise LookupError(index)


def _zip_members(data: bytes) -> list[zipfile.ZipInfo] | None:
    """The file members of a zipped attachment, or None when it cannot be listed as one."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return infos if len(infos) <= MAX_ARCHIVE_MEMBERS else None


def _hidden(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.startswith((".", "~$")) or base in ("Thumbs.db", "desktop.ini") or (
        name.startswith("__MACOSX/"))


def message_items(
    load: Callable[[], bytes],
    label: str,
    fallback_time: dt.datetime,
    *,
    message_name: str | None = None,
) -> list[Received]:
    """List what one message carries as received files.

    Args:
        load: returns the message's raw bytes (called now, and again when an item is opened).
        label: where the message is (a file, ``mbox#3``, an IMAP URL), for the item's source.
        fallback_time: its arrival time when the message names none (file time, INTERNALDATE).
        message_name: the name to show for the message itself (default: from its subject).

    Returns:
        One item per attachment (per member for a zipped one); a message with none gives one
        item holding the message itself, marked ``no-attachment``.
    """
    raw = load()
    message = parse_message(raw)
    info = message_info(message)
    when = info.received_at or fallback_time

    def item(name: str, source: str, size: int, opener: Callable[[], IO[bytes]],
             problem: str | None = None) -> Received:
        return Received(name, source, when, info.sender, size, opener, subject=info.subject,
                        message_id=info.message_id, problem=problem)

    items: list[Received] = []
    for attachment in list_attachments(message):

        def part_bytes(index: int = attachment.index) -> bytes:
            return attachment_bytes(load(), index)

        def whole(read: Callable[[], bytes] = part_bytes) -> IO[bytes]:
            return io.BytesIO(read())

        source = f"{label}!{attachment.name}"
        members = (_zip_members(part_bytes()) if attachment.name.lower().endswith(".zip")
                   else None)
        if members is None:
            items.append(item(attachment.name, source, attachment.size, whole))
            continue
        for entry in members:
            name = member_name(entry)
            if _hidden(name):
                continue

            def member(read: Callable[[], bytes] = part_bytes,
                       entry: zipfile.ZipInfo = entry) -> IO[bytes]:
                # zipfile enforces the declared size and CRC while streaming the member.
                return zipfile.ZipFile(io.BytesIO(read())).open(entry)

            items.append(item(PurePosixPath(name).name, f"{source}!{name}", entry.file_size,
                              member))
    if not items:

        def message_bytes() -> IO[bytes]:
            return io.BytesIO(load())

        name = message_name or f"{safe_file_part(info.subject or 'message')}.eml"
        items.append(item(name, label, len(raw), message_bytes, NO_ATTACHMENT))
    return items


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(microsecond=0)


def eml_items(path: Path) -> list[Received]:
    """What an ``.eml`` file carries (see :func:`message_items`)."""
    return message_items(path.read_bytes, str(path), _mtime(path), message_name=path.name)


def is_mbox(path: Path) -> bool:
    """Whether ``path`` looks like an mbox file (by suffix, or a suffix-less ``From `` file)."""
    if path.suffix.lower() in MBOX_SUFFIXES:
        return True
    if path.suffix:
        return False
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def mbox_items(path: Path) -> list[Received]:
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

        items += message_items(load, f"{path}#{number}", fallback)
    return items


def is_maildir(path: Path) -> bool:
    """Whether ``path`` is a Maildir folder (``cur``, ``new`` and ``tmp`` inside)."""
    return all((path / name).is_dir() for name in ("cur", "new", "tmp"))


def maildir_items(path: Path) -> list[Received]:
    """What every delivered message of a Maildir carries (``tmp`` holds unfinished deliveries)."""
    items: list[Received] = []
    for folder in ("new", "cur"):
        for message in sorted((path / folder).iterdir()):
            if message.name.startswith(".") or not message.is_file():
                continue
            items += message_items(message.read_bytes, str(message), _mtime(message))
    return items


class MailFiles:
    """Mail saved as files, for :func:`~sheetops.intake.sources.scan_sources`: ``.eml``
    files, mbox files and Maildir folders."""

    def folder_items(self, path: Path) -> list[Received] | None:
        """What a Maildir folder's messages carry, or None when ``path`` is no Maildir."""
        return maildir_items(path) if is_maildir(path) else None

    def file_items(self, path: Path) -> list[Received] | None:
        """What an ``.eml`` or mbox file carries, or None when ``path`` is neither."""
        if path.suffix.lower() in EML_SUFFIXES:
            return eml_items(path)
        return mbox_items(path) if is_mbox(path) else None


MAIL_FILES: Final = MailFiles()
