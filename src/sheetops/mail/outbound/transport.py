"""Where outgoing messages go: an SMTP server, or ``.eml`` drafts in ``outbox/mail/``.

Server addresses and credentials come from the caller (options or environment); the password
lives in memory only, for the connection.
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import Message
from email.policy import compat32
from email.utils import parseaddr
from pathlib import Path
from typing import Final

from sheetops.core.errors import SheetopsError
from sheetops.core.files import replace_atomically

SECURITY_MODES: Final = ("starttls", "ssl", "plain")
DEFAULT_SMTP_PORTS: Final = {"starttls": 587, "ssl": 465, "plain": 25}
TIMEOUT_SECONDS: Final = 60.0


class MailError(SheetopsError):
    """Mail cannot be sent or read: bad settings, unreachable server, refused login."""


class DeliveryRefused(Exception):
    """The server answered no to one message: it was not sent.

    Attributes:
        detail: the server's reply.
        stop: whether the next messages would fail the same way (sender refused, temporary
            failures such as rate limits): the run stops and a re-run resumes.
    """

    def __init__(self, detail: str, *, stop: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.stop = stop


class DeliveryInterrupted(Exception):
    """The connection broke during a transaction: whether the message went out is unknown."""


def tls_context(cafile: Path | None) -> ssl.SSLContext:
    """Return a verifying TLS context, trusting ``cafile`` too when given (a private CA)."""
    return ssl.create_default_context(cafile=str(cafile) if cafile else None)


def address_of(mailbox: str) -> str:
    """Return the bare address of ``Name <address>`` (or of a bare address)."""
    return parseaddr(mailbox)[1]


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the outgoing mail server."""

    host: str
    sender: str  # From: "考核办 <kh@example.org>" or a bare address
    security: str = "starttls"
    port: int | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: Path | None = None
    timeout: float = TIMEOUT_SECONDS

    @property
    def effective_port(self) -> int:
        """The port, or the usual one for the security mode."""
        return self.port or DEFAULT_SMTP_PORTS[self.security]


class SmtpTransport:
    """Hands messages to an SMTP server over one connection, reconnecting when it drops."""

    dry_run: Final = False

    def __init__(self, settings: SmtpSettings) -> None:
        if settings.security not in SECURITY_MODES:
            raise MailError("mail.bad-security", value=settings.security,
                            choices=", ".join(SECURITY_MODES))
        if "@" not in address_of(settings.sender):
            raise MailError("mail.bad-sender", value=settings.sender)
        self.settings = settings
        self.sender = settings.sender
        self._connection: smtplib.SMTP | None = None

    def _where(self) -> str:
        return f"{self.settings.host}:{self.settings.effective_port}"

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.security == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.effective_port, timeout=s.timeout, context=tls_context(s.cafile))
            else:
                connection = smtplib.SMTP(s.host, s.effective_port, timeout=s.timeout)
                if s.security == "starttls":
                    connection.starttls(context=tls_context(s.cafile))
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError("mail.smtp-unreachable", server=self._where(),
                            reason=_reason(exc)) from exc
        if s.user:
            try:
                connection.login(s.user, s.password or "")
            except (OSError, smtplib.SMTPException, UnicodeError) as exc:
                connection.close()
                raise MailError("mail.smtp-login-failed", server=self._where(), user=s.user,
                                reason=_reason(exc)) from exc
        return connection

    def prepare(self) -> None:
        """Make sure a live, logged-in connection is ready for the next message.

        Raises:
            MailError: the server cannot be reached, or refuses the login.
        """
        if self._connection is not None:
            try:
                if self._connection.noop()[0] == 250:
                    return
            except (OSError, smtplib.SMTPException):
                pass
            self._drop()
        self._connection = self._connect()

    def deliver(self, message: Message, address: str) -> None:
        """Send ``message`` to ``address`` in one SMTP transaction.

        Raises:
            DeliveryRefused: the server said no (the message was not sent).
            DeliveryInterrupted: the connection broke: the outcome is unknown.
        """
        if self._connection is None:
            self.prepare()
        assert self._connection is not None
        try:
            self._connection.send_message(message, from_addr=address_of(self.sender),
                                          to_addrs=[address])
        except smtplib.SMTPRecipientsRefused as exc:
            replies = "; ".join(f"{code} {_text(reply)}"
                                for code, reply in exc.recipients.values())
            raise DeliveryRefused(replies, stop=False) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx about this message: skip it. 4xx (busy, rate-limited) or a refused sender:
            # the next messages would fail too, so stop and let a re-run resume.
            permanent = 500 <= exc.smtp_code < 600
            stop = not permanent or isinstance(exc, smtplib.SMTPSenderRefused)
            raise DeliveryRefused(f"{exc.smtp_code} {_text(exc.smtp_error)}", stop=stop) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            raise DeliveryInterrupted(_reason(exc)) from exc

    def _drop(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(OSError):
                self._connection.close()
            self._connection = None

    def close(self) -> None:
        """Say goodbye to the server."""
        if self._connection is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._connection.quit()
            self._drop()


class DraftFolder:
    """Writes each message as an ``.eml`` draft instead of sending it (``--dry-run``).

    Drafts carry ``X-Unsent: 1``, so Outlook opens them ready to send.
    """

    dry_run: Final = True

    def __init__(self, folder: Path, sender: str | None = None) -> None:
        self.folder = folder
        self.sender = sender

    def clear(self, kind: str) -> None:
        """Remove the drafts of ``kind`` left by an earlier dry run."""
        if self.folder.is_dir():
            for old in self.folder.glob(f"{kind}-*.eml"):
                old.unlink()

    def write(self, message: Message, stem: str) -> Path:
        """Write ``message`` as ``<stem>.eml`` (atomically, CRLF line ends) and return its path.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{stem}.eml"
        data = message.as_bytes(policy=compat32.clone(linesep="\r\n"))
        replace_atomically(target, lambda path: path.write_bytes(data))
        return target


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return str(exc) or type(exc).__name__
