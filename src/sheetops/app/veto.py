"""``sheetops veto``: the committee records or revokes a one-vote veto, with its reason."""

from __future__ import annotations

import datetime as dt

from sheetops.core.errors import SheetopsError
from sheetops.ledger.store import Ledger
from sheetops.model.workspace import Round


class VetoError(SheetopsError):
    """A committee veto names an unknown branch or veto question, or has no note."""



def record_committee_veto(
    round_: Round, branch: str, veto_id: str, note: str, *, remove: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Record (or with ``remove``, revoke) a committee veto on a branch.

    Args:
        round_: the opened round.
        branch: the branch code.
        veto_id: a veto question id of the scheme.
        note: the committee's reason (required).
        remove: revoke instead of record.
        now: the decision time.

    Returns:
        1 when recorded; for a removal, how many active vetoes were revoked.

    Raises:
        VetoError: unknown branch or veto id, or an empty note.
    """
    codes = [b.code for b in round_.roster.branches]
    if branch not in codes:
        raise VetoError("veto.unknown-branch", code=branch)
    ids = [v.id for v in round_.scheme.vetoes]
    if veto_id not in ids:
        raise VetoError("veto.unknown-veto", value=veto_id, choices=", ".join(ids))
    if not note.strip():
        raise VetoError("veto.note-required")
    at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with Ledger(round_.paths.ledger) as ledger:
        if remove:
            return ledger.revoke_veto(branch, veto_id, note.strip(), at)
        for active in ledger.active_vetoes():
            if active[:2] == (branch, veto_id):
                raise VetoError("veto.already", branch=branch, veto=veto_id, at=active[3])
        ledger.record_veto(branch, veto_id, note.strip(), at)
        return 1
