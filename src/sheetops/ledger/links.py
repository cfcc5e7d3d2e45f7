"""The recipients' personal upload links, as the round's ledger keeps them.

A link's secret is derived from the round's signing key (which never leaves the round folder):
the same recipient and serial always give the same link, so ``sheetops links`` can list them
again, and renewing a link (serial + 1) or revoking it touches no other recipient. Only each
link's SHA-256 digest is stored, for looking a link up.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Final

from sheetops.ledger.console import digest
from sheetops.ledger.store import Ledger

SECRET_CHARS: Final = 32  # 192 bits of HMAC-SHA256, base64url

LINKS_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS portal_links (
    recipient TEXT PRIMARY KEY,
    serial INTEGER NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    revoked_at TEXT,
    changed_at TEXT NOT NULL
)
"""


def link_secret(key: bytes, round_id: str, recipient: str, serial: int) -> str:
    """The secret of ``recipient``'s link number ``serial``."""
    mac = hmac.new(key, f"sheetops-portal\n{round_id}\n{recipient}\n{serial}".encode(),
                   hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii")[:SECRET_CHARS]


@dataclass(frozen=True)
class LinkRecord:
    """A recipient's link as stored (its secret is derived, not stored)."""

    recipient: str
    serial: int
    revoked_at: str | None
    changed_at: str


class PortalLinks:
    """The portal_links table of a round's ledger."""

    def __init__(self, ledger: Ledger, key: bytes, round_id: str) -> None:
        self.ledger = ledger
        self.key = key
        self.round_id = round_id
        with ledger.transaction() as db:
            db.execute(LINKS_SCHEMA)

    def secret(self, record: LinkRecord) -> str:
        """The link's secret."""
        return link_secret(self.key, self.round_id, record.recipient, record.serial)

    def ensure(self, recipients: list[str], at: str) -> dict[str, LinkRecord]:
        """Every recipient's link record, creating the first link of those without one."""
        with self.ledger.transaction() as db:
            known = {row[0] for row in db.execute("SELECT recipient FROM portal_links")}
            db.executemany(
                "INSERT INTO portal_links(recipient, serial, digest, changed_at) VALUES "
                "(?, 1, ?, ?)",
                [(code, digest(link_secret(self.key, self.round_id, code, 1)), at)
                 for code in recipients if code not in known])
            rows = db.execute("SELECT recipient, serial, revoked_at, changed_at "
                              "FROM portal_links").fetchall()
        return {row[0]: LinkRecord(row[0], int(row[1]), row[2], row[3]) for row in rows}

    def find(self, secret: str) -> LinkRecord | None:
        """The live link whose secret this is, or None (unknown, tampered or revoked)."""
        row = self.ledger.connection.execute(
            "SELECT recipient, serial, revoked_at, changed_at FROM portal_links "
            "WHERE digest = ?", (digest(secret),)).fetchone()
        if row is None or row[2] is not None:
            return None
        record = LinkRecord(row[0], int(row[1]), row[2], row[3])
        # The digest matched; check the derivation too, so a forged row cannot open a link.
        return record if hmac.compare_digest(self.secret(record), secret) else None

    def revoke(self, recipient: str, at: str) -> bool:
        """Revoke ``recipient``'s link; False when it has none or it is revoked already."""
        with self.ledger.transaction() as db:
            return bool(db.execute(
                "UPDATE portal_links SET revoked_at = ?, changed_at = ? "
                "WHERE recipient = ? AND revoked_at IS NULL", (at, at, recipient)).rowcount)

    def renew(self, recipient: str, at: str) -> LinkRecord:
        """Give ``recipient`` a new link (the old one stops working)."""
        with self.ledger.transaction() as db:
            row = db.execute("SELECT serial FROM portal_links WHERE recipient = ?",
                             (recipient,)).fetchone()
            serial = (int(row[0]) if row else 0) + 1
            db.execute(
                "INSERT INTO portal_links(recipient, serial, digest, revoked_at, changed_at) "
                "VALUES (?, ?, ?, NULL, ?) ON CONFLICT(recipient) DO UPDATE SET "
                "serial = excluded.serial, digest = excluded.digest, revoked_at = NULL, "
                "changed_at = excluded.changed_at",
                (recipient, serial, digest(link_secret(self.key, self.round_id, recipient,
                                                       serial)), at))
        return LinkRecord(recipient, serial, None, at)
