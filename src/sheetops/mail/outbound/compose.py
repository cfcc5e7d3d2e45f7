"""Outgoing messages: what each recipient is told, and the MIME message that carries it.

Subjects and display names are RFC 2047 (UTF-8) encoded words; attachment names are RFC 2231
``filename*=utf-8''…`` parameters, with an RFC 2047 ``name=`` beside them for older clients
that read only that; bodies are UTF-8 in base64, which every relay passes unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from email import encoders
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from typing import Final, cast

from sheetops.core.i18n import long_date, text
from sheetops.layout.packs import FormPlan, safe_file_part
from sheetops.mail.outbound.transport import address_of

_MIME_TYPES: Final = {
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".xls": ("application", "vnd.ms-excel"),
    ".pdf": ("application", "pdf"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".zip": ("application", "zip"),
}


@dataclass(frozen=True)
class Draft:
    """One message for one recipient, before it becomes MIME.

    Attributes:
        recipient: the roster code.
        name: the recipient's name.
        address: the roster address ("" when the roster has none).
        subject: the subject line.
        body: the plain-text body.
        attachments: files to attach.
        fingerprint: a digest of what the message says (a reminder whose facts did not change
            since the last one sent is not repeated).
    """

    recipient: str
    name: str
    address: str
    subject: str
    body: str
    attachments: tuple[Path, ...]
    fingerprint: str

    @property
    def stem(self) -> str:
        """The draft's file name without the kind prefix: ``0101-机关办公室党支部``."""
        return safe_file_part(f"{self.recipient}-{self.name}")


def fingerprint(facts: object) -> str:
    """Return the SHA-256 of ``facts`` as canonical JSON."""
    data = json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def workbook_content_sha256(path: Path) -> str:
    """Return the SHA-256 of what a workbook we wrote says, leaving out its core properties.

    XlsxWriter stamps each workbook with the second it was written
    (``docProps/core.xml``); two writes of the same feedback differ only there, and must
    count as the same message.
    """
    digest = hashlib.sha256()
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name == "docProps/core.xml":
                continue
            digest.update(name.encode("utf-8") + b"\0")
            digest.update(hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def form_label(lang: str, form: FormPlan) -> str:
    """Name a form as a recipient reads it: 本支部自评 / 对…的互评 / 对…的考评."""
    return text(lang, f"mail.form.{form.identity.role}", target=form.target_name,
                code=form.identity.target)


def form_line(lang: str, form: FormPlan) -> str:
    """One bullet line for a form: what it is and its sheet."""
    return text(lang, "mail.form-line", label=form_label(lang, form), sheet=form.sheet)


def signature_lines(lang: str, sender: str | None, today: dt.date, contact: str = "",
                    ) -> list[str]:
    """The closing lines: who to ask (``[mail] contact``, if set), the sender's display name
    (if any) and the date."""
    name = _display_name(sender)
    asked = [text(lang, "mail.contact", contact=contact.strip())] if contact.strip() else []
    return ["", *asked, *([name] if name else []), long_date(lang, today)]


def _display_name(sender: str | None) -> str:
    return parseaddr(sender)[0].strip() if sender else ""


def message_domain(sender: str | None) -> str:
    """The domain for Message-IDs: the sender's, else ``localhost``."""
    address = address_of(sender or "")
    return address.rsplit("@", 1)[1] if "@" in address else "localhost"


def new_message_id(kind: str, recipient: str, sender: str | None) -> str:
    """A fresh, globally unique Message-ID naming kind and recipient.

    Kept short, so that the header is never folded (some clients then keep the leading space).
    """
    tag = re.sub(r"[^A-Za-z0-9.-]", "_", recipient)
    return f"<{kind}.{tag}.{secrets.token_hex(8)}@{message_domain(sender)}>"


def encoded_words(value: str) -> str:
    """Return ``value`` as RFC 2047 UTF-8 encoded words on one line (ASCII stays as it is)."""
    if value.isascii():
        return value
    return Header(value, "utf-8").encode(linesep=" ")


def mailbox_header(mailbox: str) -> str:
    """Return ``Name <address>`` with the display name as RFC 2047 words."""
    name, address = parseaddr(mailbox)
    return formataddr((name, address), charset="utf-8") if name else address


def build_message(
    draft: Draft,
    *,
    sender: str | None,
    message_id: str,
    date: dt.datetime,
    unsent: bool = False,
) -> Message:
    """Build the MIME message for ``draft``.

    Headers are written explicitly (the classic :mod:`email` API) so that what Chinese mail
    clients read is exactly what is sent: the subject as RFC 2047 UTF-8 words, each attachment
    name both as RFC 2231 ``filename*`` and, for older clients (Foxmail, Outlook 2007) that
    read only that, as an RFC 2047 ``name=`` on Content-Type.

    Args:
        draft: what to say, to whom, with which files.
        sender: the From mailbox (``Name <address>``); None leaves From to the mail client.
        message_id: the Message-ID (kept when a message is sent again after a crash, so
            clients can tell the two copies are one).
        date: the Date header.
        unsent: mark the message as a draft (``X-Unsent: 1``).

    Returns:
        The message, ready for SMTP or to be saved as ``.eml``.

    Raises:
        OSError: an attachment cannot be read.
    """
    message = MIMEMultipart()
    if sender:
        message["From"] = mailbox_header(sender)
    message["To"] = formataddr((draft.name, draft.address), charset="utf-8")
    # The classic API folds a Header into encoded words itself (typeshed only knows str).
    message["Subject"] = cast(str, Header(draft.subject, "utf-8"))
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    if unsent:
        message["X-Unsent"] = "1"
    message.attach(MIMEText(draft.body, "plain", "utf-8"))
    for path in draft.attachments:
        maintype, subtype = _MIME_TYPES.get(path.suffix.lower(),
                                            ("application", "octet-stream"))
        part = MIMEBase(maintype, subtype, name=encoded_words(path.name))
        part.set_payload(path.read_bytes())
        encoders.encode_base64(part)
        part.add_header("Content-Disposition", "attachment",
                        filename=("utf-8", "", path.name))
        message.attach(part)
    return message


def attachment_records(paths: Sequence[Path]) -> list[dict[str, str]]:
    """Name and SHA-256 of every attachment, for the ledger."""
    return [{"name": path.name, "sha256": file_sha256(path)} for path in paths]
