"""Who receives which forms: the plan of a round's packs (pure).

A branch's pack holds its self form and one form per branch it rates as a peer; an inspector's
pack holds one form per branch it inspects. Form ids depend only on role, rater and target, so
regenerating a round gives every form the same id.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sheetops.core.csvtext import csv_cell, uncsv_cell
from sheetops.core.i18n import CATALOG, LANGUAGES, text
from sheetops.core.identity import FormIdentity, form_id_for
from sheetops.model.handbook import Handbook
from sheetops.model.roster import Roster, assign_peers
from sheetops.model.round import ROLES, RoundConfig
from sheetops.model.scheme import Scheme

SCORESHEET: Final = "scoresheet"
_UNSAFE_FILE_CHARS: Final = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True)
class FormPlan:
    """One form: its signed identity, sheet name and the names shown on it."""

    identity: FormIdentity
    sheet: str
    rater_name: str
    target_name: str


@dataclass(frozen=True)
class PackPlan:
    """One workbook for one recipient."""

    recipient: str
    recipient_kind: str  # "branch" | "inspector"
    recipient_name: str
    email: str
    file: str  # relative to outbox/, with forward slashes
    forms: tuple[FormPlan, ...]


def safe_file_part(value: str) -> str:
    """Return ``value`` usable in a file name on Windows, macOS and Linux."""
    cleaned = _UNSAFE_FILE_CHARS.sub("_", value).strip(" .")
    return cleaned[:60] or "_"


def plan_packs(
    config: RoundConfig, scheme: Scheme, roster: Roster, generated_at: str
) -> list[PackPlan]:
    """Return every pack of the round in roster order: branches first, then inspectors.

    Args:
        config: round settings (id, language, peers per branch).
        scheme: the round's scheme (its id, version and hash go into each identity).
        roster: branches, inspectors, peers.
        generated_at: ISO timestamp written into every identity.

    Returns:
        The packs.
    """
    lang = config.language
    names = {b.code: b.name for b in roster.branches}
    names.update({i.code: i.name for i in roster.inspectors})

    def form(role: str, rater: str, target: str) -> FormPlan:
        identity = FormIdentity(
            round_id=config.id,
            form_id=form_id_for(role, rater, target),
            kind=SCORESHEET,
            role=role,
            rater=rater,
            target=target,
            scheme_id=scheme.id,
            scheme_version=scheme.version,
            scheme_hash=scheme.hash,
            generated_at=generated_at,
        )
        sheet = text(lang, f"sheet.{role}", code=target)
        return FormPlan(identity, sheet, names[rater], names[target])

    rates: dict[str, list[str]] = {b.code: [] for b in roster.branches}
    for rater, target in assign_peers(roster, config.peers_per_branch, config.id):
        rates[rater].append(target)

    packs = []
    for branch in roster.branches:
        forms = [form("self", branch.code, branch.code)]
        forms += [form("peer", branch.code, target) for target in rates[branch.code]]
        packs.append(
            PackPlan(
                recipient=branch.code,
                recipient_kind="branch",
                recipient_name=branch.name,
                email=branch.email,
                file=f"branches/{safe_file_part(branch.code + '-' + branch.name)}.xlsx",
                forms=tuple(forms),
            )
        )
    for inspector in roster.inspectors:
        forms = [form("inspector", inspector.code, code) for code in roster.inspected_by(inspector)]
        if not forms:
            continue
        packs.append(
            PackPlan(
                recipient=inspector.code,
                recipient_kind="inspector",
                recipient_name=inspector.name,
                email=inspector.email,
                file=f"inspectors/{safe_file_part(inspector.code + '-' + inspector.name)}.xlsx",
                forms=tuple(forms),
            )
        )
    return packs


def packs_from_manifest(
    rows: Iterable[dict[str, str]], config: RoundConfig, scheme: Scheme
) -> list[PackPlan]:
    """Rebuild the packs a round sent out from its manifest rows (in manifest order).

    Codes, names and sheet names recur on many rows (a branch rates and is rated several
    times): each is kept once, so a province's plan takes a few bytes a form less.
    """
    heads: dict[str, dict[str, str]] = {}
    forms: dict[str, list[FormPlan]] = {}
    seen: dict[str, str] = {}
    shared = seen.setdefault
    for row in rows:
        identity = FormIdentity(
            round_id=config.id, form_id=row["form_id"], kind=SCORESHEET,
            role=shared(row["role"], row["role"]), rater=shared(row["rater"], row["rater"]),
            target=shared(row["target"], row["target"]), scheme_id=scheme.id,
            scheme_version=scheme.version, scheme_hash=scheme.hash, generated_at="",
        )
        key = row["file"]
        if key not in heads:
            heads[key] = row
            forms[key] = []
        forms[key].append(FormPlan(identity, shared(row["sheet"], row["sheet"]),
                                   shared(row["rater_name"], row["rater_name"]),
                                   shared(row["target_name"], row["target_name"])))
    return [PackPlan(row["recipient"], row["recipient_kind"], row["recipient_name"], row["email"],
                     key, tuple(forms[key])) for key, row in heads.items()]


MANIFEST_COLUMNS: Final = (
    "form_id", "role", "rater", "rater_name", "target", "target_name", "recipient",
    "recipient_kind", "recipient_name", "email", "file", "sheet",
)
# columns whose values are written in the round's language (自评, 支部), with their ids
_TRANSLATED: Final = {"role": ROLES, "recipient_kind": ("branch", "inspector")}


def _value_key(key: str, value: str) -> str:
    return f"manifest.role.{value}" if key == "role" else f"manifest.kind.{value}"


def manifest_header(lang: str) -> list[str]:
    """The manifest's header row in ``lang``: each column's name, then an id column (``role``,
    ``recipient_kind``) for each column whose values are translated under another name."""
    names = [text(lang, f"manifest.col.{key}") for key in MANIFEST_COLUMNS]
    return names + [key for key in _TRANSLATED if text(lang, f"manifest.col.{key}") != key]


def write_manifest(path: Path, packs: Sequence[PackPlan], lang: str) -> None:
    """Write ``outbox/manifest.csv`` in the round's language: UTF-8 with a byte-order mark (so
    Excel opens it right), one row per expected form, text that looks like a formula prefixed
    with ``'``.

    Raises:
        OSError: the file cannot be written.
    """
    header = manifest_header(lang)
    ids = header[len(MANIFEST_COLUMNS):]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for pack in packs:
            for form in pack.forms:
                identity = form.identity
                values = dict(zip(MANIFEST_COLUMNS, (
                    identity.form_id, identity.role, identity.rater, form.rater_name,
                    identity.target, form.target_name, pack.recipient, pack.recipient_kind,
                    pack.recipient_name, pack.email, pack.file, form.sheet,
                ), strict=True))
                shown = [text(lang, _value_key(key, value)) if key in _TRANSLATED else value
                         for key, value in values.items()]
                writer.writerow(csv_cell(value) for value in shown + [values[k] for k in ids])


def _manifest_keys() -> dict[str, str]:
    """Every header a manifest may have (any language's, or the id) → its column."""
    keys = {key: key for key in MANIFEST_COLUMNS}
    for key in MANIFEST_COLUMNS:
        keys.update({name: key for name in CATALOG[f"manifest.col.{key}"].values()})
    return keys


def _value_ids(key: str) -> dict[str, str]:
    """A translated column's values in any language → their ids."""
    return {CATALOG[_value_key(key, value)][lang]: value
            for value in _TRANSLATED[key] for lang in LANGUAGES}


def read_manifest(path: Path) -> list[dict[str, str]] | None:
    """The manifest's rows by column id (``form_id``, ``role``, …), values as ids, whatever
    language it was written in; None when the round has not been generated yet."""
    if not path.is_file():
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    if not lines:
        return []
    names = _manifest_keys()
    # where each column is; an id column (role) wins over its translated twin (评分类型)
    where: dict[str, int] = {}
    translated: set[str] = set()
    for index, header in enumerate(lines[0]):
        key = names.get(header.strip())
        if key is None:
            continue
        if header.strip() == key and key in _TRANSLATED:
            where[key] = index
            translated.discard(key)
        elif key not in where:
            where[key] = index
            if key in _TRANSLATED and header.strip() != key:
                translated.add(key)
    values = {key: _value_ids(key) for key in translated}
    rows = []
    for line in lines[1:]:
        if not any(cell.strip() for cell in line):
            continue
        row = {}
        for key, index in where.items():
            value = uncsv_cell(line[index]) if index < len(line) else ""
            row[key] = values[key].get(value, value) if key in values else value
        rows.append(row)
    return rows


def sent_packs(config: RoundConfig, scheme: Scheme, roster: Roster, manifest: Path,
               ) -> list[PackPlan]:
    """The packs the round expects back: what ``generate`` wrote into the manifest.

    Once a round is generated, its manifest is the truth about who rates whom: editing
    ``peers_per_branch`` or the roster afterwards must not change what the returned forms
    are checked against. Before generation, the plan is computed.
    """
    rows = read_manifest(manifest)
    if rows is None:
        return plan_packs(config, scheme, roster, generated_at="")
    return packs_from_manifest(rows, config, scheme)


# -- handbooks: one per branch, beside its pack ------------------------------------------------

HANDBOOK: Final = "handbook"


@dataclass(frozen=True)
class HandbookPlan:
    """One branch's work handbook: its signed identity and where it goes in ``outbox/``."""

    identity: FormIdentity
    code: str
    name: str
    secretary: str
    file: str  # relative to outbox/, with forward slashes
    members: int | None = None  # the roster's member count: sizes the roll and the dues


def handbook_form_id(code: str) -> str:
    """Return the stable form id of a branch's handbook."""
    return f"{HANDBOOK}-{code}"


def plan_handbooks(config: RoundConfig, handbook: Handbook, roster: Roster, generated_at: str,
                   ) -> list[HandbookPlan]:
    """Return every branch's handbook in roster order.

    The identity is signed like a form's: kind and role ``handbook``, rater and target the
    branch, and the handbook definition's id, version and hash in the scheme fields.

    Args:
        config: round settings (id).
        handbook: the round's handbook definition.
        roster: the branches.
        generated_at: ISO timestamp written into every identity.

    Returns:
        The plans.
    """
    return [
        HandbookPlan(
            FormIdentity(round_id=config.id, form_id=handbook_form_id(branch.code),
                         kind=HANDBOOK, role=HANDBOOK, rater=branch.code, target=branch.code,
                         scheme_id=handbook.id, scheme_version=handbook.version,
                         scheme_hash=handbook.hash, generated_at=generated_at),
            branch.code, branch.name, branch.secretary,
            handbook_file(branch.code, branch.name, config.language), branch.members,
        )
        for branch in roster.branches
    ]


def handbook_file(code: str, name: str, lang: str) -> str:
    """A branch's handbook, relative to ``outbox/``.

    Named apart from its pack (``…-工作手册.xlsx``) so the two never share an attachment name.
    """
    suffix = text(lang, "handbook.file-suffix")
    return f"handbooks/{safe_file_part(f'{code}-{name}-{suffix}')}.xlsx"
