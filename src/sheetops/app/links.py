"""``sheetops links``: every recipient's personal upload link, to revoke or renew one by one.

A link is the key to one recipient's page of one round (no account needed): it shows the
recipient's own expected forms and takes its returns through the same pipeline as
``collect``. It works until the end of the round's deadline day in the round's time zone (or
``[portal] expires``), unless revoked; renewing gives a new link and ends the old one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from sheetops.core.errors import SheetopsError
from sheetops.core.files import utc_stamp
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.links import LinkRecord, PortalLinks
from sheetops.ledger.store import Ledger
from sheetops.model.round import RoundConfig
from sheetops.model.workspace import Round

DEFAULT_BASE_URL: Final = "http://127.0.0.1:8300"
ACTIVE, REVOKED, EXPIRED = "active", "revoked", "expired"


class LinkError(SheetopsError):
    """A link cannot be revoked or renewed (an unknown recipient)."""


@dataclass(frozen=True)
class PortalLink:
    """One recipient's link."""

    recipient: str
    name: str
    kind: str  # branch | inspector
    email: str
    url: str
    state: str  # active | revoked | expired
    expires: dt.date  # its last day, in the round's time zone

    def to_json(self) -> dict[str, str]:
        """The link as ``links --json`` lists it."""
        return {"recipient": self.recipient, "name": self.name, "kind": self.kind,
                "email": self.email, "url": self.url, "state": self.state,
                "expires": self.expires.isoformat()}


def link_expiry(config: RoundConfig) -> dt.date:
    """The links' last day: ``[portal] expires``, else the deadline day."""
    return config.portal.expires or config.deadline


def link_expired(config: RoundConfig, now: dt.datetime) -> bool:
    """Whether the links' last day is over, in the round's time zone."""
    return now.astimezone(config.zone).date() > link_expiry(config)


def _packs(round_: Round) -> list[PackPlan]:
    return sent_packs(round_.config, round_.scheme, round_.roster, round_.paths.manifest)


def _links(round_: Round) -> PortalLinks:
    return PortalLinks(Ledger(round_.paths.ledger), round_.key, round_.config.id)


def portal_url(round_: Round, secret: str, base_url: str | None = None) -> str:
    """The address of a link: ``<base>/p/<round id>/<secret>``."""
    base = (base_url or round_.config.portal.base_url or DEFAULT_BASE_URL).rstrip("/")
    return f"{base}/p/{quote(round_.config.id, safe='')}/{secret}"


def list_links(round_: Round, *, base_url: str | None = None, now: dt.datetime | None = None
               ) -> list[PortalLink]:
    """Every recipient's link, in the order of the packs (branches, then inspectors).

    Args:
        round_: the round.
        base_url: where recipients reach the console (default ``[portal] base_url``).
        now: the time the states are judged at (default: now).
    """
    moment = now or dt.datetime.now(dt.UTC)
    packs = _packs(round_)
    links = _links(round_)
    try:
        records = links.ensure([p.recipient for p in packs], utc_stamp(moment))
        expired = link_expired(round_.config, moment)
        return [_link(round_, links, p, records[p.recipient], expired, base_url) for p in packs]
    finally:
        links.ledger.close()


def _link(round_: Round, links: PortalLinks, pack: PackPlan, record: LinkRecord,
          expired: bool, base_url: str | None) -> PortalLink:
    state = REVOKED if record.revoked_at else EXPIRED if expired else ACTIVE
    return PortalLink(pack.recipient, pack.recipient_name, pack.recipient_kind, pack.email,
                      portal_url(round_, links.secret(record), base_url), state,
                      link_expiry(round_.config))


def change_link(round_: Round, recipient: str, *, renew: bool, base_url: str | None = None,
                now: dt.datetime | None = None) -> PortalLink:
    """Revoke ``recipient``'s link, or (``renew``) give it a new one; the others stay.

    Raises:
        LinkError: the round sends nothing to ``recipient``.
    """
    moment = now or dt.datetime.now(dt.UTC)
    pack = next((p for p in _packs(round_) if p.recipient == recipient), None)
    if pack is None:
        raise LinkError("links.unknown-recipient", code=recipient)
    links = _links(round_)
    try:
        at = utc_stamp(moment)
        links.ensure([recipient], at)
        if renew:
            record = links.renew(recipient, at)
        else:
            links.revoke(recipient, at)
            record = links.ensure([recipient], at)[recipient]
        return _link(round_, links, pack, record, link_expired(round_.config, moment),
                     base_url)
    finally:
        links.ledger.close()


def link_recipient(round_: Round, secret: str, *, now: dt.datetime | None = None
                   ) -> PackPlan | None:
    """The recipient (its pack) a link opens, or None: unknown, tampered, revoked, expired,
    or no longer sent anything. The four are not told apart."""
    if not round_.paths.ledger.is_file() or len(secret) != 32:
        return None
    if link_expired(round_.config, now or dt.datetime.now(dt.UTC)):
        return None
    links = _links(round_)
    try:
        record = links.find(secret)
    finally:
        links.ledger.close()
    if record is None:
        return None
    return next((p for p in _packs(round_) if p.recipient == record.recipient), None)
