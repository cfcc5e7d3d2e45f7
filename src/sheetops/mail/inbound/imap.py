"""Collecting straight from an IMAP mailbox, without changing anything on the server.

The folder is opened read-only (``EXAMINE``) and messages are fetched with ``BODY.PEEK[]``, so
none is flagged ``\\Seen``; nothing is ever stored, moved, expunged or deleted. The round
remembers each message it has read by folder, UIDVALIDITY and UID (in its ledger, once the
message's files are recorded), so the next collect reads only what arrived since.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Protocol
from urllib.parse import unquote, urlsplit

from sheetops.intake.sources import Received
from sheetops.ledger.store import Ledger
from sheetops.mail.inbound.messages import message_items
from sheetops.mail.log import MailLog, SeenMessage
from sheetops.mail.outbound.transport import SECURITY_MODES, TIMEOUT_SECONDS, MailError, tls_context
from sheetops.model.round import Limits

DEFAULT_IMAP_PORTS: Final = {"ssl": 993, "starttls": 143, "plain": 143}
FETCH_BATCH: Final = 25
_UID: Final = re.compile(rb"\bUID (\d+)")
_INTERNALDATE: Final = re.compile(rb'INTERNALDATE "([^"]+)"')


def imap_utf7(name: str) -> str:
    """Encode a folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3): 考核 → ``&gAOFOA-``."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            data = "".join(pending).encode("utf-16-be")
            out.append("&" + base64.b64encode(data).decode("ascii").rstrip("=")
                       .replace("/", ",") + "-")
            pending.clear()

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending.append(char)
    flush()
    return "".join(out)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class ImapSettings:
    """Where the returns arrive: server, account and folder."""

    host: str
    user: str
    folder: str = "INBOX"
    security: str = "ssl"
    port: int | None = None
    password: str = field(default="", repr=False)
    cafile: Path | None = None
    timeout: float = TIMEOUT_SECONDS

    @property
    def effective_port(self) -> int:
        """The port, or the usual one for the security mode."""
        return self.port or DEFAULT_IMAP_PORTS[self.security]

    @property
    def server(self) -> str:
        """``host:port``."""
        return f"{self.host}:{self.effective_port}"

    @property
    def mailbox_key(self) -> str:
        """The folder's identity in the ledger (the account, not how it is reached)."""
        return f"imap://{self.user}@{self.server}/{self.folder}"


def parse_imap_url(url: str, *, security: str | None = None) -> ImapSettings:
    """Read ``imaps://user@host[:port]/FOLDER`` (or ``imap://``; percent-escapes allowed).

    Args:
        url: the mailbox URL; ``imaps`` means TLS from the start, ``imap`` STARTTLS.
        security: ``ssl``, ``starttls`` or ``plain``, overriding what the scheme implies.

    Returns:
        The settings, without a password.

    Raises:
        MailError: the URL is not an IMAP URL with a user and a host.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise MailError("mail.imap-bad-url", url=url) from exc
    implied = {"imaps": "ssl", "imap": "starttls"}.get(parts.scheme.lower())
    if implied is None or not parts.hostname or not parts.username:
        raise MailError("mail.imap-bad-url", url=url)
    mode = security or implied
    if mode not in SECURITY_MODES:
        raise MailError("mail.bad-security", value=mode, choices=", ".join(SECURITY_MODES))
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapSettings(host=parts.hostname, user=unquote(parts.username), folder=folder,
                        security=mode, port=port)


def _internal_date(response: bytes) -> dt.datetime | None:
    match = _INTERNALDATE.search(response)
    if match is None:
        return None
    try:
        return dt.datetime.strptime(match.group(1).decode("ascii").strip(),
                                    "%d-%b-%Y %H:%M:%S %z")
    except ValueError:
        return None


def fetched_messages(data: list[object]) -> list[tuple[int, dt.datetime | None, bytes]]:
    """Split an ``imaplib`` FETCH answer into ``(uid, internal date, raw message)``.

    Servers put UID and INTERNALDATE before or after the literal, so both sides are read.
    """
    messages: list[tuple[int, dt.datetime | None, bytes]] = []
    current: list[bytes] = []
    raw = b""

    def close() -> None:
        if current:
            head = b" ".join(current)
            match = _UID.search(head)
            if match is not None:
                messages.append((int(match.group(1)), _internal_date(head), raw))

    for element in data:
        if isinstance(element, tuple) and len(element) == 2:
            close()
            current = [bytes(element[0])]
            raw = bytes(element[1])
        elif isinstance(element, bytes) and current:
            current.append(element)
    close()
    return messages


class Mailbox(Protocol):
    """A remote mailbox (IMAP) that collect reads inside its ledger lock."""

    def fetch_new(self, ledger: Ledger, limits: Limits) -> list[Received]:
        """Return what the messages this round has not seen yet carry (read within
        ``limits``)."""

    def mark_seen(self, ledger: Ledger, at: str) -> None:
        """Remember the messages of the last fetch as seen (after they were recorded, those
        that could not be read included)."""


class ImapMailbox:
    """One IMAP folder as a collect source (a :class:`Mailbox`)."""

    def __init__(self, settings: ImapSettings) -> None:
        self.settings = settings
        self._read: list[SeenMessage] = []

    def _connect(self) -> imaplib.IMAP4:
        s = self.settings
        try:
            if s.security == "ssl":
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    s.host, s.effective_port, ssl_context=tls_context(s.cafile),
                    timeout=s.timeout)
            else:
                client = imaplib.IMAP4(s.host, s.effective_port, timeout=s.timeout)
                if s.security == "starttls":
                    client.starttls(ssl_context=tls_context(s.cafile))
        except (OSError, imaplib.IMAP4.error, ssl.SSLError) as exc:
            raise MailError("mail.imap-unreachable", server=s.server, reason=_reason(exc)
                            ) from exc
        try:
            client.login(s.user, s.password)
        except (OSError, imaplib.IMAP4.error) as exc:
            _logout(client)
            raise MailError("mail.imap-login-failed", server=s.server, user=s.user,
                            reason=_reason(exc)) from exc
        return client

    def fetch_new(self, ledger: Ledger, limits: Limits) -> list[Received]:
        """Read every message of the folder this round has not seen yet.

        Args:
            ledger: the round's ledger (which messages were seen).
            limits: the round's limits (message size, MIME nesting, attachments).

        Returns:
            What the new messages carry (see :func:`sheetops.mail.inbound.messages.message_items`).

        Raises:
            MailError: the server cannot be reached, refuses the login or the folder, or
                breaks off while answering.
        """
        s = self.settings
        log = MailLog(ledger)
        client = self._connect()
        items: list[Received] = []
        self._read = []
        try:
            status, answer = client.select(_quoted(imap_utf7(s.folder)), readonly=True)
            if status != "OK":
                raise MailError("mail.imap-no-mailbox", server=s.server, mailbox=s.folder,
                                reason=_answer(answer))
            _, validity = client.response("UIDVALIDITY")
            uidvalidity = int(validity[0]) if validity and validity[0] else 0
            status, answer = client.uid("SEARCH", "ALL")
            if status != "OK":
                raise MailError("mail.imap-failed", server=s.server, reason=_answer(answer))
            uids = [int(u) for u in b" ".join(a for a in answer if isinstance(a, bytes)).split()]
            seen = log.seen_uids(s.mailbox_key, uidvalidity)
            new = [uid for uid in uids if uid not in seen]
            for start in range(0, len(new), FETCH_BATCH):
                batch = ",".join(str(uid) for uid in new[start:start + FETCH_BATCH])
                status, answer = client.uid("FETCH", batch, "(UID INTERNALDATE BODY.PEEK[])")
                if status != "OK":
                    raise MailError("mail.imap-failed", server=s.server, reason=_answer(answer))
                for uid, arrived, raw in fetched_messages(list(answer)):
                    label = (f"imap://{s.user}@{s.server}/{s.folder};UIDVALIDITY={uidvalidity}"
                             f"/;UID={uid}")
                    fallback = arrived or dt.datetime.now(dt.UTC).replace(microsecond=0)
                    # Never raises: a message that cannot be read is one item, marked with
                    # its problem, and is remembered as seen like any other, so that it is
                    # reported once and never blocks the mailbox.
                    carried = message_items(_constant(raw), label, fallback, limits=limits,
                                            fallback_is_server=arrived is not None)
                    items += carried
                    self._read.append(SeenMessage(uidvalidity, uid, carried[0].message_id))
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailError("mail.imap-failed", server=s.server, reason=_reason(exc)) from exc
        finally:
            _logout(client)
        return items

    def mark_seen(self, ledger: Ledger, at: str) -> None:
        """Remember the messages of the last :meth:`fetch_new` as read by this round, those
        that could not be read included (each was reported once, as its own item)."""
        if self._read:
            MailLog(ledger).mark_seen(self.settings.mailbox_key, self._read, at)
            self._read = []


def _constant(raw: bytes) -> Callable[[], bytes]:
    def load() -> bytes:
        return raw

    return load


def _logout(client: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        client.logout()


def _answer(answer: Sequence[object]) -> str:
    return " ".join(a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)
                    for a in answer if a is not None)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, imaplib.IMAP4.error) and exc.args:
        first = exc.args[0]
        return first.decode("utf-8", "replace") if isinstance(first, bytes) else str(first)
    return str(exc) or type(exc).__name__
