"""The roster: branches, inspectors and who rates whom.

:func:`build_roster` is pure (located records in, roster and problems out); :func:`load_roster`
reads the committee's roster workbook. Codes are text throughout: ``0012`` stays ``0012``.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sheetops.core.errors import Problem, RosterError, RosterFileError, Severity, errors_in
from sheetops.core.i18n import Term
from sheetops.model.located import ProblemCollector
from sheetops.model.tables import NUMERIC, find_sheet, read_records, read_sheets

CODE_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,19}")
EMAIL_PATTERN: Final = re.compile(r"[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+")
# Line breaks and the other control characters (tab aside), and Unicode's line separators.
CONTROL_PATTERN: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")

# Sheet and column names as people type them, English or Chinese (matched ignoring case).
BRANCH_SHEET: Final = ("branches", "支部", "党支部", "支部名单")
INSPECTOR_SHEET: Final = ("inspectors", "巡查组", "巡查人员", "巡查", "巡查组名单")
PEER_SHEET: Final = ("peers", "互评", "互评安排")
_EMAIL: Final = ("email", "邮箱", "电子邮箱", "电子邮件", "e-mail")
BRANCH_COLUMNS: Final = {
    "code": ("code", "支部代码", "代码", "编号"),
    "name": ("name", "支部名称", "名称", "支部"),
    "secretary": ("secretary", "书记", "支部书记"),
    "email": _EMAIL,
    "phone": ("phone", "电话", "联系电话", "手机", "手机号", "书记电话"),
    "members": ("members", "党员人数", "党员数", "人数"),
}
INSPECTOR_COLUMNS: Final = {
    "code": ("code", "巡查组代码", "代码", "编号"),
    "name": ("name", "巡查组名称", "名称", "姓名", "巡查组"),
    "email": _EMAIL,
    "branches": ("branches", "负责支部", "巡查支部", "负责支部代码"),
}
PEER_COLUMNS: Final = {
    "rater": ("rater", "评分支部", "评分支部代码", "评价支部"),
    "target": ("target", "被评支部", "被评支部代码", "被评价支部"),
}
_OPTIONAL: Final = {"secretary", "email", "phone", "members", "branches"}


@dataclass(frozen=True)
class Branch:
    """A grassroots Party branch."""

    code: str
    name: str
    secretary: str = ""
    email: str = ""
    phone: str = ""
    members: int | None = None  # party members, when the roster says: sizes the handbook


@dataclass(frozen=True)
class Inspector:
    """An inspector (巡查人员); ``branches`` empty means every branch."""

    code: str
    name: str
    email: str = ""
    branches: tuple[str, ...] = ()


@dataclass(frozen=True)
class Roster:
    """Branches, inspectors and explicit peer assignments (None: assign automatically)."""

    branches: tuple[Branch, ...]
    inspectors: tuple[Inspector, ...]
    peers: tuple[tuple[str, str], ...] | None = None

    def branch(self, code: str) -> Branch:
        """Return the branch with ``code`` (KeyError if none)."""
        for branch in self.branches:
            if branch.code == code:
                return branch
        raise KeyError(code)

    def inspected_by(self, inspector: Inspector) -> tuple[str, ...]:
        """Return the codes of the branches ``inspector`` scores, in roster order."""
        if not inspector.branches:
            return tuple(b.code for b in self.branches)
        wanted = set(inspector.branches)
        return tuple(b.code for b in self.branches if b.code in wanted)


def split_codes(value: str) -> tuple[str, ...]:
    """Split a list of codes separated by commas (also Chinese commas, 、 and semicolons)."""
    return tuple(c for c in re.split(r"[,，、;；\s]+", value) if c)


def build_roster(
    branches: Sequence[Mapping[str, Any]],
    inspectors: Sequence[Mapping[str, Any]],
    peers: Sequence[Mapping[str, Any]] | None,
    *,
    peers_per_branch: int,
    origin: str = "",
) -> tuple[Roster | None, list[Problem]]:
    """Build and check a roster from located records.

    Args:
        branches: records with ``code``, ``name`` and optionally ``secretary``, ``email``.
        inspectors: records with ``code``, ``name`` and optionally ``email``, ``branches``.
        peers: records with ``rater``, ``target``, or None to assign peers automatically.
        peers_per_branch: how many peers rate each branch when assigned automatically.
        origin: fallback location for problems about the roster as a whole.

    Returns:
        ``(roster, problems)``: ``roster`` is None when any problem is an error; warnings
        (missing email, a branch nobody inspects) come with a roster.
    """
    collector = ProblemCollector(origin)
    add, where, problems = collector.add, collector.where, collector.problems

    seen: dict[str, str] = {}

    def code_of(record: Mapping[str, Any]) -> str | None:
        code = str(record.get("code", ""))
        if not code:
            add("roster.empty-code", where(record, "code"))
            return None
        if not CODE_PATTERN.fullmatch(code):
            add("roster.bad-code", where(record, "code"), value=code)
            return None
        if code in seen:
            add("roster.duplicate-code", where(record, "code"), code=code, first=seen[code])
            return None
        seen[code] = where(record, "code")
        if "code" in record.get(NUMERIC, ()):
            add("roster.numeric-code", where(record, "code"), Severity.WARNING, code=code)
        name = str(record.get("name", ""))
        if not name:
            add("roster.empty-name", where(record, "name"), code=code)
        for field in ("name", "secretary", "email", "phone"):
            # A line break (Alt+Enter in Excel) would split a mail header or a printed line.
            if CONTROL_PATTERN.search(str(record.get(field, ""))):
                add("roster.line-break", where(record, field), code=code)
        email = str(record.get("email", ""))
        if not email:
            add("roster.missing-email", where(record, "email"), Severity.WARNING, code=code)
        elif not EMAIL_PATTERN.fullmatch(email) and not CONTROL_PATTERN.search(email):
            add("roster.bad-email", where(record, "email"), Severity.WARNING, code=code,
                value=email)
        return code

    def members_of(record: Mapping[str, Any], code: str) -> int | None:
        value = str(record.get("members", "")).strip()
        if not value:
            return None
        if not value.isdecimal() or int(value) == 0:
            add("roster.bad-members", where(record, "members"), code=code, value=value)
            return None
        return int(value)

    branch_list = []
    for record in branches:
        code = code_of(record)
        if code is not None:
            branch_list.append(
                Branch(code, str(record.get("name", "")), str(record.get("secretary", "")),
                       str(record.get("email", "")), str(record.get("phone", "")),
                       members_of(record, code))
            )
    if not branches:
        add("roster.no-branches", origin)
    branch_codes = {b.code for b in branch_list}

    inspector_list = []
    for record in inspectors:
        code = code_of(record)
        assigned = split_codes(str(record.get("branches", "")))
        for target in assigned:
            if target not in branch_codes:
                add("roster.unknown-branch", where(record, "branches"), code=target)
        if code is not None:
            inspector_list.append(
                Inspector(code, str(record.get("name", "")), str(record.get("email", "")),
                          assigned)
            )
    if not inspectors:
        add("roster.no-inspectors", origin, Severity.WARNING)

    peer_pairs: list[tuple[str, str]] | None = None
    if peers is not None:
        peer_pairs = []
        pair_seen: dict[tuple[str, str], str] = {}
        for record in peers:
            rater, target = str(record.get("rater", "")), str(record.get("target", ""))
            ok = True
            for field, code in (("rater", rater), ("target", target)):
                if code not in branch_codes:
                    add("roster.unknown-branch", where(record, field), code=code)
                    ok = False
            if not ok:
                continue
            if rater == target:
                add("roster.self-peer", where(record, "target"), code=rater)
            elif (rater, target) in pair_seen:
                add("roster.duplicate-peer", where(record, "target"), rater=rater, target=target,
                    first=pair_seen[(rater, target)])
            else:
                pair_seen[(rater, target)] = where(record, "target")
                peer_pairs.append((rater, target))
    elif branches and peers_per_branch > len(branches) - 1:
        # Counted on the sheet's rows, so a bad code does not also trigger this message.
        add("roster.too-many-peers", origin, peers=peers_per_branch,
            branches=len(branches), most=len(branches) - 1)

    inspected = {
        code
        for inspector in inspector_list
        for code in (inspector.branches or branch_codes)
    }
    if inspectors:
        for branch in branch_list:
            if branch.code not in inspected:
                add("roster.uninspected", seen[branch.code], Severity.WARNING, code=branch.code)

    if errors_in(problems):
        return None, problems
    roster = Roster(
        tuple(branch_list),
        tuple(inspector_list),
        None if peer_pairs is None else tuple(peer_pairs),
    )
    return roster, problems


def assign_peers(roster: Roster, peers_per_branch: int, seed: str) -> list[tuple[str, str]]:
    """Return the (rater, target) peer pairs of a round.

    Explicit pairs from the roster win. Otherwise the branches are put in an order shuffled by
    ``seed`` (the round id, so each round differs but re-running gives the same pairs) and each
    branch is rated by the ``peers_per_branch`` branches that follow it in that circle: every
    branch rates and is rated exactly that many times, never by itself.

    Args:
        roster: the roster.
        peers_per_branch: raters per branch (≤ number of branches − 1).
        seed: the round id.

    Returns:
        Pairs sorted by target (roster order), then rater.
    """
    if roster.peers is not None:
        return list(roster.peers)
    codes = [b.code for b in roster.branches]
    circle = codes[:]
    random.Random(hashlib.sha256(seed.encode("utf-8")).digest()).shuffle(circle)
    n = len(circle)
    pairs = [
        (circle[(i + offset) % n], target)
        for i, target in enumerate(circle)
        for offset in range(1, min(peers_per_branch, n - 1) + 1)
    ]
    order = {code: i for i, code in enumerate(codes)}
    return sorted(pairs, key=lambda pair: (order[pair[1]], order[pair[0]]))


def _names(aliases: Sequence[str]) -> Term:
    """The names a sheet or column may have, the reader's language's first."""
    return Term("roster.names", {
        "chinese": " / ".join(a for a in aliases if not a.isascii()),
        "english": " / ".join(a for a in aliases if a.isascii())})


def load_roster(path: Path, *, peers_per_branch: int) -> tuple[Roster, list[Problem]]:
    """Read and check the roster workbook.

    Args:
        path: roster .xlsx (sheets ``branches``/``支部``, ``inspectors``/``巡查组``, optional
            ``peers``/``互评``; see :data:`BRANCH_COLUMNS` and its siblings for the columns).
        peers_per_branch: peers per branch, for the feasibility check.

    Returns:
        ``(roster, warnings)``.

    Raises:
        RosterFileError: the file cannot be read.
        RosterError: the roster has errors (all of them, located).
    """
    try:
        sheets = read_sheets(path)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise RosterFileError("roster.unreadable", path=path, reason=reason) from exc
    problems: list[Problem] = []
    tables: dict[str, list[dict[str, Any]] | None] = {}
    specs = (
        ("branches", BRANCH_SHEET, BRANCH_COLUMNS, True),
        ("inspectors", INSPECTOR_SHEET, INSPECTOR_COLUMNS, True),
        ("peers", PEER_SHEET, PEER_COLUMNS, False),
    )
    for key, names, columns, required in specs:
        sheet = find_sheet(sheets, names)
        if sheet is None:
            if required:
                problems.append(Problem("roster.missing-sheet", path.name, {
                    "sheet": Term(f"roster.sheet.{key}"), "aliases": _names(names)}))
            tables[key] = None
            continue
        records, missing = read_records(sheet, columns)
        for field in missing:
            if field not in _OPTIONAL:
                problems.append(Problem("roster.missing-column", f"{sheet.name}!1", {
                    "column": Term(f"roster.column.{key}.{field}"),
                    "aliases": _names(columns[field])}))
        tables[key] = records
    if problems:
        raise RosterError("roster.invalid", problems, path=path)
    roster, problems = build_roster(
        tables["branches"] or [],
        tables["inspectors"] or [],
        tables["peers"],
        peers_per_branch=peers_per_branch,
        origin=path.name,
    )
    if roster is None:
        raise RosterError("roster.invalid", problems, path=path)
    return roster, problems
