"""Who is asking, and what they may do: one actor per request, one permission check.

The actor comes from exactly one place: an ``Authorization: Bearer`` token when the request
carries one (never falling back to a cookie, so a script's request cannot ride on a browser's
session), else the server-side session of the signed-in account. Every route asks
:func:`permitted`; the table below is the whole policy.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from starlette.requests import HTTPConnection
from starsessions import SessionStore

from sheetops.app.accounts import token_user
from sheetops.ledger.console import ConsoleStore

READ: Final = "read"  # pages, the ranking, downloads
UPLOAD: Final = "upload"  # upload returns, collect, fetch mail
GENERATE: Final = "generate"
SEND: Final = "send"  # send packs, remind, send feedback
VETO: Final = "veto"
RANK: Final = "rank"
AUDIT: Final = "audit"
SETTINGS: Final = "settings"
ACCOUNTS: Final = "accounts"

PERMISSIONS: Final[dict[str, frozenset[str]]] = {
    "admin": frozenset({READ, UPLOAD, GENERATE, SEND, VETO, RANK, AUDIT, SETTINGS, ACCOUNTS}),
    "staff": frozenset({READ, UPLOAD, GENERATE, SEND, VETO, RANK, AUDIT}),
    "viewer": frozenset({READ}),
}


@dataclass(frozen=True)
class Actor:
    """Who a request acts for.

    Attributes:
        name: the account name (``本机`` for the one-time sign-in link of ``serve``).
        role: ``admin``, ``staff`` or ``viewer``.
        via: ``session`` (a browser) or ``token`` (a script).
    """

    name: str
    role: str
    via: str


def permitted(actor: Actor | None, action: str) -> bool:
    """Whether ``actor`` may do ``action`` (nobody may do anything unsigned)."""
    return actor is not None and action in PERMISSIONS.get(actor.role, frozenset())


def bearer_token(connection: HTTPConnection) -> str | None:
    """The token of an ``Authorization: Bearer`` header ("" when the header is malformed)."""
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def session_actor(connection: HTTPConnection, workspace: Path) -> Actor | None:
    """The signed-in account of this browser session, if it still exists."""
    data = connection.session
    name = data.get("user")
    if not isinstance(name, str):
        return None
    if data.get("local"):
        return Actor(name, "admin", "session")
    user = ConsoleStore(workspace).user(name)
    return Actor(user.name, user.role, "session") if user else None


def token_actor(token: str, workspace: Path) -> Actor | None:
    """The account a live API token belongs to."""
    user = token_user(workspace, token) if token else None
    return Actor(user.name, user.role, "token") if user else None


class ConsoleSessionStore(SessionStore):
    """starsessions' store on the console's SQLite file: sessions live on the server, so
    signing out or removing an account ends them at once."""

    def __init__(self, workspace: Path) -> None:
        self.store = ConsoleStore(workspace)

    async def read(self, session_id: str, lifetime: int) -> bytes:
        """The session's data (empty when it has ended or never was)."""
        return self.store.session(session_id, time.time()) or b""

    async def write(self, session_id: str, data: bytes, lifetime: int, ttl: int) -> str:
        """Keep the session's data (and whose it is, so removing the account ends it)."""
        try:
            user = json.loads(data or b"{}").get("user")
        except ValueError:
            user = None
        expires = time.time() + (ttl if ttl > 0 else lifetime or 12 * 3600)
        self.store.save_session(session_id, user if isinstance(user, str) else None, data,
                                expires)
        return session_id

    async def remove(self, session_id: str) -> None:
        """End the session."""
        self.store.end_session(session_id)

    async def exists(self, session_id: str) -> bool:
        """Whether the session is live."""
        return self.store.session(session_id, time.time()) is not None
