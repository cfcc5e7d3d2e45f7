"""Real mail servers on 127.0.0.1 for the mail tests: aiosmtpd (captures what is sent) and
Dovecot (a real IMAP server, run with its own configuration in a temporary folder).

Each server listens on a free loopback port and is stopped by the context manager that started
it. The IMAP tests skip, saying why, where Dovecot is not installed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import grp
import imaplib
import ipaddress
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
SMTP_USER = "khb@dangjian.example.cn"
SMTP_PASSWORD = "s3cret-pass"
IMAP_PASSWORD = "imap-s3cret"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, seconds: float = 10.0) -> None:
    """Block until something accepts connections on ``port``."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


# -- TLS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 (also the CA clients are told to trust)."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(folder: Path) -> Certificate:
    """Write a fresh self-signed certificate and key into ``folder``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.SubjectAlternativeName([
            x509.IPAddress(ipaddress.ip_address(HOST)), x509.DNSName("localhost")]),
            critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert = folder / "cert.pem"
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private = folder / "key.pem"
    private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    private.chmod(0o644)  # Dovecot reads it as root, then drops privileges
    return Certificate(cert, private)


# -- SMTP -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Captured:
    """One message as the server received it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes

    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


@dataclass
class CaptureHandler:
    """Keeps every accepted message; can refuse addresses or turn busy after N messages."""

    messages: list[Captured] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    busy_after: int | None = None
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.busy_after is not None and len(self.messages) >= self.busy_after:
            return "421 4.7.0 Too many messages, try again later"
        content = envelope.original_content or b""
        self.messages.append(Captured(str(envelope.mail_from), tuple(envelope.rcpt_tos),
                                      content))
        return "250 2.0.0 Queued"


@dataclass(frozen=True)
class SmtpServer:
    """A running capturing SMTP server."""

    port: int
    security: str
    handler: CaptureHandler
    certificate: Certificate | None

    def options(self, *, login: bool = True) -> list[str]:
        """``sheetops send`` options that reach this server."""
        found = ["--smtp-host", HOST, "--smtp-port", str(self.port),
                 "--smtp-security", self.security,
                 "--from", f"党委组织部考核办 <{SMTP_USER}>"]
        if self.certificate is not None:
            found += ["--smtp-cafile", str(self.certificate.cert)]
        if login:
            found += ["--smtp-user", SMTP_USER]
        return found


def _authenticate(server: SMTP, session: Session, envelope: Envelope, mechanism: str,
                  auth_data: Any) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == SMTP_USER.encode()
          and auth_data.password == SMTP_PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@contextlib.contextmanager
def running_smtp(security: str, certificate: Certificate | None,
                 handler: CaptureHandler | None = None) -> Iterator[SmtpServer]:
    """Run aiosmtpd on a free loopback port: ``starttls`` (required, with login), ``ssl``
    (implicit TLS, with login) or ``plain`` (no TLS, no login)."""
    handler = handler or CaptureHandler()
    port = free_port()
    kwargs: dict[str, Any] = {}
    if security == "starttls":
        assert certificate is not None
        kwargs = {"tls_context": certificate.server_context(), "require_starttls": True,
                  "authenticator": _authenticate, "auth_require_tls": True}
    elif security == "ssl":
        assert certificate is not None
        kwargs = {"ssl_context": certificate.server_context(), "authenticator": _authenticate,
                  "auth_require_tls": False, "server_hostname": HOST}
    controller = Controller(handler, hostname=HOST, port=port, ready_timeout=10, **kwargs)
    controller.start()
    try:
        yield SmtpServer(port, security, handler, certificate if security != "plain" else None)
    finally:
        controller.stop()


# -- IMAP (Dovecot) -------------------------------------------------------------------------


def dovecot_binary() -> str | None:
    """Where Dovecot is installed, if it is."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)),
        None)


@dataclass(frozen=True)
class ImapServer:
    """A running Dovecot: implicit TLS on ``ssl_port``, STARTTLS or plain on ``port``.

    Any user name logs in with :data:`IMAP_PASSWORD`; each user has its own Maildir.
    """

    port: int
    ssl_port: int
    certificate: Certificate

    def client(self, user: str) -> imaplib.IMAP4_SSL:
        context = ssl.create_default_context(cafile=str(self.certificate.cert))
        client = imaplib.IMAP4_SSL(HOST, self.ssl_port, ssl_context=context, timeout=10)
        client.login(user, IMAP_PASSWORD)
        return client

    def append(self, user: str, messages: list[bytes], folder: str = "INBOX") -> None:
        """Deliver ``messages`` into ``folder`` (created when missing) with IMAP APPEND."""
        client = self.client(user)
        try:
            if folder != "INBOX":
                client.create(folder)
            for raw in messages:
                status, answer = client.append(folder, None, None, raw)
                assert status == "OK", answer
        finally:
            client.logout()

    def flags(self, user: str, folder: str = "INBOX") -> list[str]:
        """Every message's flags, read without changing them."""
        client = self.client(user)
        try:
            status, _ = client.select(folder, readonly=True)
            assert status == "OK"
            status, answer = client.fetch("1:*", "(FLAGS)")
            return [item.decode() for item in answer if isinstance(item, bytes)]
        finally:
            client.logout()


def _dovecot_config(base: Path, certificate: Certificate, port: int, ssl_port: int) -> str:
    if os.geteuid() == 0:
        # Dovecot refuses mail access as root: mail belongs to an unprivileged user.
        mail_user, mail_group = "nobody", grp.getgrgid(pwd.getpwnam("nobody").pw_gid).gr_name
        privileges = ""
    else:
        me = pwd.getpwuid(os.getuid())
        mail_user, mail_group = me.pw_name, grp.getgrgid(me.pw_gid).gr_name
        privileges = (f"default_internal_user = {mail_user}\n"
                      f"default_internal_group = {mail_group}\n"
                      f"default_login_user = {mail_user}\n")
    return f"""# Test configuration: loopback only, everything under {base}
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = {HOST}
{privileges}ssl = yes
ssl_cert = <{certificate.cert}
ssl_key = <{certificate.key}
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
passdb {{
  driver = static
  args = password={IMAP_PASSWORD}
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={base}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {HOST}
    port = {port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {ssl_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@contextlib.contextmanager
def running_dovecot(certificate: Certificate) -> Iterator[ImapServer]:
    """Run Dovecot in the foreground with its own configuration; stop it afterwards."""
    binary = dovecot_binary()
    if binary is None:
        pytest.skip("Dovecot is not installed (Debian: apt-get install dovecot-imapd); the "
                    "IMAP tests need a real IMAP server")
    # Not under pytest's tmp_path: its parents are private to root, and Dovecot's mail
    # processes run as an unprivileged user that must reach the mail folders.
    base = Path(tempfile.mkdtemp(prefix="sheetops-dovecot-"))
    base.chmod(0o755)
    for folder in ("run", "state", "home"):
        (base / folder).mkdir()
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base / "home", nobody.pw_uid, nobody.pw_gid)
    port, ssl_port = free_port(), free_port()
    config = base / "dovecot.conf"
    config.write_text(_dovecot_config(base, certificate, port, ssl_port), encoding="utf-8")
    process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        try:
            wait_for_port(ssl_port)
            wait_for_port(port)
        except OSError:
            log = (base / "dovecot.log").read_text(errors="replace") if (
                base / "dovecot.log").exists() else ""
            process.kill()
            _, errors = process.communicate(timeout=10)
            raise RuntimeError(f"Dovecot did not start: {errors.decode(errors='replace')}"
                               f"{log}") from None
        yield ImapServer(port, ssl_port, certificate)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
        shutil.rmtree(base, ignore_errors=True)
