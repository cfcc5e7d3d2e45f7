"""``sheetops veto``: the committee records or revokes a one-vote veto, with its reason."""

from __future__ import annotations

import datetime as dt

from sheetops.core.errors import SheetopsError
from sheetops.core.i18n import join_items, text
from sheetops.core.times import local_time
from sheetops.ledger.store import Ledger
from sheetops.model.scheme import Scheme, Veto
from sheetops.model.workspace import Round


class VetoError(SheetopsError):
    """A committee veto names an unknown branch or veto question, or has no note."""



def find_veto(scheme: Scheme, value: str, lang: str) -> Veto:
    """The veto ``value`` names: its id, its name (党纪处分) or its whole question, ignoring
    case and surrounding spaces.

    Raises:
        VetoError: no veto of the scheme is named so; the message lists them, by name and id.
    """
    wanted = value.strip().casefold()
    for veto in scheme.vetoes:
        if wanted in {veto.id.casefold(), veto.name.casefold(), veto.text.strip().casefold()}:
            return veto
    choices = join_items(lang, (text(lang, "veto.choice", name=v.label, id=v.id)
                                for v in scheme.vetoes))
    raise VetoError("veto.unknown-veto", value=value, choices=choices)


def record_committee_veto(
    round_: Round, branch: str, veto_id: str, note: str, *, remove: bool = False,
    now: dt.datetime | None = None,
) -> int:
    """Record (or with ``remove``, revoke) a committee veto on a branch.

    Args:
        round_: the opened round.
        branch: the branch code.
        veto_id: a veto of the scheme: its id, name or question (see :func:`find_veto`).
        note: the committee's reason (required).
        remove: revoke instead of record.
        now: the decision time.

    Returns:
        1 when recorded; for a removal, how many active vetoes were revoked (the veto's id is
        what the ledger records).

    Raises:
        VetoError: unknown branch or veto id, or an empty note.
    """
    branch = branch_code(round_, branch)
    veto = find_veto(round_.scheme, veto_id, round_.lang)
    veto_id = veto.id
    if not note.strip():
        raise VetoError("veto.note-required")
    at = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat()
    with Ledger(round_.paths.ledger) as ledger:
        if remove:
            return ledger.revoke_veto(branch, veto_id, note.strip(), at)
        for active in ledger.active_vetoes():
            if active[:2] == (branch, veto_id):
                raise VetoError("veto.already", branch=branch, veto=veto.label, id=veto_id,
                                at=local_time(active[3], round_.config.zone))
        ledger.record_veto(branch, veto_id, note.strip(), at)
        return 1


def branch_code(round_: Round, given: str) -> str:
    """The code of the branch ``given`` names: its code, or its whole name as the roster
    writes it (staff often type the name).

    Raises:
        VetoError: no branch has that code or name; the message names the branches meant
        most likely (the code without its leading zeros, a name containing the text).
    """
    given = given.strip()
    branches = round_.roster.branches
    for branch in branches:
        if given in (branch.code, branch.name):
            return branch.code
    near = [b for b in branches
            if (given.lstrip("0") and b.code.lstrip("0") == given.lstrip("0"))
            or (given and given in b.name)][:5]
    if near:
        raise VetoError("veto.unknown-branch-near", code=given, names=join_items(
            round_.lang, [f"{b.code} {b.name}" for b in near]))
    raise VetoError("veto.unknown-branch", code=given)
