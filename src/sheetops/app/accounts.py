"""Console accounts, API tokens, signing in, and the audit log: ``sheetops user``, ``token``.

There is no default account and no default password. Roles:

- ``admin``: everything, including accounts and round settings;
- ``staff``: generate, upload and collect, fetch mail, veto, rank, send and remind;
- ``viewer`` (committee members, leaders): read and download only.

Passwords are hashed with argon2id. After :data:`MAX_FAILURES` failed sign-ins for one name
within :data:`LOCKOUT_SECONDS`, further attempts are refused for that long.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import secrets
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from sheetops.core.csvtext import csv_cell
from sheetops.core.errors import SheetopsError
from sheetops.core.files import utc_stamp
from sheetops.ledger.console import AuditEntry, ConsoleStore, TokenRecord, User

ACCOUNT_ROLES: Final = ("admin", "staff", "viewer")
MAX_FAILURES: Final = 5
LOCKOUT_SECONDS: Final = 15 * 60
MIN_PASSWORD: Final = 8
MAX_NAME: Final = 40
AUDIT_COLUMNS: Final = ("time", "actor", "address", "action", "round", "detail")

_HASHER: Final = PasswordHasher()  # argon2id, the library's recommended parameters
# Checked against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH: Final = _HASHER.hash(secrets.token_hex(16))


class AccountError(SheetopsError):
    """An account or token cannot be created, changed or found."""


class SignInRefused(SheetopsError):
    """A wrong name or password (the message never says which)."""


class SignInLocked(SheetopsError):
    """Too many failed sign-ins for this name: refused until ``retry_after`` seconds pass."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("accounts.locked", minutes=max(1, -(-retry_after // 60)))
        self.retry_after = retry_after


@dataclass(frozen=True)
class NewToken:
    """A token just created: its secret is shown once and never stored."""

    id: int
    user: str
    secret: str


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def check_name(name: str) -> str:
    """Return an account name, trimmed, if it is acceptable.

    Raises:
        AccountError: empty, too long, or holding control or separator characters.
    """
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(
            unicodedata.category(ch)[0] in "CZ" and ch != " " for ch in name):
        raise AccountError("accounts.bad-name", max=MAX_NAME)
    return name


def _check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError("accounts.short-password", min=MIN_PASSWORD)
    return password


def add_user(workspace: Path, name: str, role: str, password: str, *, actor: str = "cli",
             address: str = "", now: dt.datetime | None = None) -> User:
    """Create an account.

    Args:
        workspace: the folder the console serves.
        name: the sign-in name.
        role: ``admin``, ``staff`` or ``viewer``.
        password: at least :data:`MIN_PASSWORD` characters.
        actor, address: who asked, from where (for the audit log).
        now: the time (default: now).

    Returns:
        The account.

    Raises:
        AccountError: a bad name, role or password, or the name is taken.
    """
    name = check_name(name)
    if role not in ACCOUNT_ROLES:
        raise AccountError("accounts.bad-role", value=role, choices=" | ".join(ACCOUNT_ROLES))
    store = ConsoleStore(workspace)
    at = utc_stamp(now or _now())
    if not store.add_user(name, role, _HASHER.hash(_check_password(password)), at):
        raise AccountError("accounts.name-taken", name=name)
    store.audit(at, actor, address, "user-add", "", f"{name} ({role})")
    user = store.user(name)
    assert user is not None
    return user


def list_users(workspace: Path) -> list[User]:
    """Every account, by name."""
    return ConsoleStore(workspace).users()


def remove_user(workspace: Path, name: str, *, actor: str = "cli", address: str = "",
                now: dt.datetime | None = None) -> None:
    """Remove an account: its sessions end at once and its tokens stop working.

    Raises:
        AccountError: there is no such account.
    """
    store = ConsoleStore(workspace)
    if not store.remove_user(name):
        raise AccountError("accounts.unknown-user", name=name)
    store.audit(utc_stamp(now or _now()), actor, address, "user-remove", "", name)


def change_password(workspace: Path, name: str, password: str, *, actor: str = "cli",
                    address: str = "", now: dt.datetime | None = None) -> None:
    """Set a new password; every session of the account ends.

    Raises:
        AccountError: no such account, or the password is too short.
    """
    store = ConsoleStore(workspace)
    if not store.set_password_hash(name, _HASHER.hash(_check_password(password))):
        raise AccountError("accounts.unknown-user", name=name)
    store.audit(utc_stamp(now or _now()), actor, address, "user-passwd", "", name)


def sign_in(workspace: Path, name: str, password: str, *, address: str = "",
            now: float | None = None) -> User:
    """Check a name and password.

    Args:
        workspace: the folder the console serves.
        name, password: what was typed.
        address: the client's address (for the audit log).
        now: epoch seconds (default: now).

    Returns:
        The account.

    Raises:
        SignInLocked: too many failures for this name lately (checked before the password).
        SignInRefused: the name or the password is wrong.
    """
    store = ConsoleStore(workspace)
    moment = time.time() if now is None else now
    stamp = utc_stamp(dt.datetime.fromtimestamp(moment, dt.UTC))
    name = name.strip()[:MAX_NAME * 2]
    failures = store.failures_since(name, moment - LOCKOUT_SECONDS)
    if len(failures) >= MAX_FAILURES:
        retry = int(failures[-MAX_FAILURES] + LOCKOUT_SECONDS - moment) + 1
        store.audit(stamp, name, address, "login-locked", "", "")
        raise SignInLocked(retry)
    stored = store.password_hash(name)
    try:
        _HASHER.verify(stored or _DUMMY_HASH, password)
        ok = stored is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        store.add_failure(name, moment)
        store.audit(stamp, name, address, "login-failed", "", "")
        raise SignInRefused("accounts.refused")
    assert stored is not None
    store.clear_failures(name)
    if _HASHER.check_needs_rehash(stored):
        store.set_password_hash(name, _HASHER.hash(password))
    store.audit(stamp, name, address, "login", "", "")
    user = store.user(name)
    assert user is not None
    return user


def add_token(workspace: Path, user: str, *, actor: str = "cli", address: str = "",
              now: dt.datetime | None = None) -> NewToken:
    """Create an API token carrying ``user``'s role.

    Returns:
        The token; its secret is shown once and only its digest is kept.

    Raises:
        AccountError: there is no such account.
    """
    store = ConsoleStore(workspace)
    if store.user(user) is None:
        raise AccountError("accounts.unknown-user", name=user)
    secret = "sht_" + secrets.token_urlsafe(32)
    at = utc_stamp(now or _now())
    token_id = store.add_token(user, secret, at)
    store.audit(at, actor, address, "token-add", "", f"{user} #{token_id}")
    return NewToken(token_id, user, secret)


def list_tokens(workspace: Path) -> list[TokenRecord]:
    """Every token, newest first (secrets are never kept)."""
    return ConsoleStore(workspace).tokens()


def revoke_token(workspace: Path, token_id: int, *, actor: str = "cli", address: str = "",
                 now: dt.datetime | None = None) -> None:
    """Revoke a token: it stops working at once.

    Raises:
        AccountError: there is no live token with that id.
    """
    store = ConsoleStore(workspace)
    at = utc_stamp(now or _now())
    if not store.revoke_token(token_id, at):
        raise AccountError("accounts.unknown-token", id=token_id)
    store.audit(at, actor, address, "token-revoke", "", f"#{token_id}")


def token_user(workspace: Path, secret: str) -> User | None:
    """The account a live token belongs to, or None."""
    store = ConsoleStore(workspace)
    name = store.token_user(secret)
    return store.user(name) if name else None


def record_audit(workspace: Path, actor: str, address: str, action: str, round_id: str = "",
                 detail: str = "", *, now: dt.datetime | None = None) -> None:
    """Append one entry to the workspace's audit log."""
    ConsoleStore(workspace).audit(utc_stamp(now or _now()), actor, address, action, round_id,
                                  detail)


def audit_entries(workspace: Path, *, round_id: str | None = None, limit: int | None = None,
                  offset: int = 0) -> list[AuditEntry]:
    """Audit entries, newest first."""
    return ConsoleStore(workspace).audit_entries(round_id=round_id, limit=limit, offset=offset)


def audit_csv(workspace: Path, *, round_id: str | None = None) -> str:
    """The audit log as CSV (oldest first, text that could be a formula made safe)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(AUDIT_COLUMNS)
    for entry in reversed(audit_entries(workspace, round_id=round_id)):
        writer.writerow(csv_cell(value) for value in (
            entry.at, entry.actor, entry.address, entry.action, entry.round, entry.detail))
    return out.getvalue()
