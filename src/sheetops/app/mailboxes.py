"""The round's mail servers as ``round.toml`` ``[mail]`` names them, for the console.

Passwords are never stored: they are typed on the page (or come from
``SHEETOPS_IMAP_PASSWORD`` / ``SHEETOPS_SMTP_PASSWORD``) and live only as long as the request.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Final

from sheetops.core.errors import RoundError
from sheetops.mail.inbound.imap import ImapMailbox, parse_imap_url
from sheetops.mail.outbound.transport import DraftFolder, SmtpSettings, SmtpTransport
from sheetops.model.workspace import Round

IMAP_PASSWORD_ENV: Final = "SHEETOPS_IMAP_PASSWORD"
SMTP_PASSWORD_ENV: Final = "SHEETOPS_SMTP_PASSWORD"


def round_mailbox(round_: Round, password: str = "") -> ImapMailbox:
    """The IMAP folder returns arrive in (``[mail] imap``).

    Args:
        round_: the round.
        password: the account's password ("" : ``SHEETOPS_IMAP_PASSWORD``).

    Raises:
        RoundError: ``[mail] imap`` is not set.
        MailError: it is not an IMAP URL.
    """
    url = round_.config.mail.imap
    if not url:
        raise RoundError("mail.no-imap", path=round_.paths.config)
    settings = parse_imap_url(url)
    secret = password or os.environ.get(IMAP_PASSWORD_ENV, "")
    return ImapMailbox(dataclasses.replace(settings, password=secret, cafile=_cafile(round_)))


def _cafile(round_: Round) -> Path | None:
    name = round_.config.mail.cafile
    return (round_.paths.root / name) if name else None


def round_transport(round_: Round, password: str = "", *, dry_run: bool = False
                    ) -> SmtpTransport | DraftFolder:
    """Where the round's messages go: drafts in ``outbox/mail/`` for a preview, else the SMTP
    server of ``[mail]``.

    Args:
        round_: the round.
        password: the SMTP login's password ("" : ``SHEETOPS_SMTP_PASSWORD``).
        dry_run: write drafts only (a preview).

    Raises:
        RoundError: a real send without ``[mail] smtp_host`` or ``from``.
        MailError: the sender is not an address.
    """
    mail = round_.config.mail
    if dry_run:
        return DraftFolder(round_.paths.outbox / "mail", mail.sender or None)
    if not mail.smtp_host or not mail.sender:
        raise RoundError("mail.no-smtp", path=round_.paths.config)
    secret = password or os.environ.get(SMTP_PASSWORD_ENV, "")
    settings = SmtpSettings(host=mail.smtp_host, sender=mail.sender,
                            security=mail.smtp_security, port=mail.smtp_port or None,
                            user=mail.smtp_user or None,
                            password=secret if mail.smtp_user else None,
                            cafile=_cafile(round_))
    return SmtpTransport(settings)
