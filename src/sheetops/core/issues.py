"""Problems found in returned workbooks: the issue-code registry and issue values.

Codes are API: stable, kebab-case, never renamed without a CHANGELOG entry under the exact old
spelling. Each code has a severity, a group and, in the catalog
(:mod:`sheetops.core.catalog.issues`), a title, a message template and what the sender should
do, in every supported language. ``docs/issues.md`` is generated from this
registry (:func:`render_issue_docs`); a test keeps the two equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, TypeVar

from sheetops.core.catalog import LANGUAGES
from sheetops.core.catalog.issues import GROUPS, ISSUES
from sheetops.core.errors import Severity
from sheetops.core.i18n import join_items, text

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_T = TypeVar("_T")
# One encoder for every issue: json.dumps with options builds a new one on each call.
_PARAMS_JSON: Final = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


@dataclass(frozen=True)
class IssueType:
    """One registered issue code; its texts are in the catalog (``issue.<code>.*``)."""

    code: str
    severity: Severity
    group: str

    def title(self, lang: str) -> str:
        """What the code is called, in ``lang``."""
        return text(lang, f"issue.{self.code}.title")

    def action(self, lang: str) -> str:
        """What the sender should do, in ``lang``."""
        return text(lang, f"issue.{self.code}.action")


REGISTRY: Final[Mapping[str, IssueType]] = MappingProxyType({
    entry.code: IssueType(entry.code, Severity(entry.severity), entry.group)
    for entry in ISSUES
})


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found in a returned file, located as precisely as possible.

    Attributes:
        code: registered issue code.
        severity: from the registry (``note-missing`` can be raised to error by the round).
        sheet: worksheet name, or None for the file as a whole.
        cell: Excel address such as ``F12``, or None.
        params: values for the message template.
        form_id: the form the issue belongs to, or None for the file.
    """

    code: str
    severity: Severity
    sheet: str | None = None
    cell: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    form_id: str | None = None

    def message(self, lang: str) -> str:
        """Return the message in ``lang``."""
        values = {"form_id": self.form_id, "sheet": self.sheet, **self.params}
        return text(lang, f"issue.{self.code}.message", **values)

    def to_dict(self, lang: str) -> dict[str, Any]:
        """Return the issue's JSON shape: code, severity, sheet, cell, message, and the
        message's parameters (the value read, the bounds, …) as structured fields."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message(lang),
            "params": dict(sorted(self.params.items())),
        }

    def params_json(self) -> str:
        """Return the parameters as JSON (for the ledger)."""
        return _PARAMS_JSON(dict(self.params))


def issue(
    code: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    form_id: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Issue:
    """Make an issue of a registered ``code`` (KeyError for an unregistered one: a bug)."""
    registered = REGISTRY[code]
    return Issue(code, severity or registered.severity, sheet, cell, MappingProxyType(params),
                 form_id)


@dataclass(frozen=True)
class IssueGroup:
    """The issues of one code that one form (or file) has on one sheet, told as one: a
    secretary who left twenty deductions unexplained reads one line naming twenty cells.

    Attributes:
        code: the issue code.
        severity: its severity.
        form_id: the form, or None for the file.
        sheet: the worksheet, or None.
        cells: the cells, in the order found (those that have one).
        count: how many issues the group holds.
        first: the first issue's message, already rendered.
    """

    code: str
    severity: Severity
    form_id: str | None
    sheet: str | None
    cells: tuple[str, ...]
    count: int
    first: str

    def title(self, lang: str) -> str:
        """What the code is called, in ``lang``."""
        return REGISTRY[self.code].title(lang)

    def where(self, lang: str) -> str:
        """The cells as ``lang`` lists them (``D12、D15、D19``); empty for none."""
        return join_items(lang, self.cells)

    def summary(self, lang: str) -> str:
        """The message of a single issue; for several, how many and the first one."""
        if self.count == 1:
            return self.first
        return text(lang, "issues.grouped", count=self.count, first=self.first)


def group_issues(issues: Iterable[Issue], lang: str) -> list[IssueGroup]:
    """Group issues by form, sheet and code, in the order each group is first found.

    Args:
        issues: a file's issues, in the order found.
        lang: the language of each group's first message.

    Returns:
        One group per form, sheet and code.
    """
    return _grouped(((i.form_id, i.sheet, i.code, i.severity, i.cell, i) for i in issues),
                    lambda found: found.message(lang))


def group_issue_entries(entries: Iterable[Mapping[str, Any]]) -> list[IssueGroup]:
    """:func:`group_issues` over issues in their JSON shape (:meth:`Issue.to_dict`: a file's
    issues in ``collect --json``), grouped by sheet and code."""
    return _grouped(((None, e["sheet"], e["code"], Severity(e["severity"]), e["cell"], e)
                     for e in entries), lambda entry: str(entry["message"]))


def _grouped(rows: Iterable[tuple[str | None, str | None, str, Severity, str | None, _T]],
             message: Callable[[_T], str]) -> list[IssueGroup]:
    groups: dict[tuple[str | None, str | None, str],
                 tuple[Severity, list[str], list[int], _T]] = {}
    for form_id, sheet, code, severity, cell, found in rows:
        group = groups.get((form_id, sheet, code))
        if group is None:
            group = groups[form_id, sheet, code] = (severity, [], [0], found)
        if cell:
            group[1].append(cell)
        group[2][0] += 1
    return [IssueGroup(code, severity, form_id, sheet, tuple(cells), count[0], message(first))
            for (form_id, sheet, code), (severity, cells, count, first) in groups.items()]


def render_issue_docs() -> str:
    """Return ``docs/issues.md``: every code with severity, meaning and what to do."""
    lines = [
        "# Validation issue codes",
        "",
        "Every problem `sheetops collect` finds in a returned file has one of these codes.",
        "Codes are stable API: they appear in `collect --json`, the ledger and the rejection",
        "report. Messages are shown in the round's language; both are listed here.",
        "This page is generated from the registry (`python -m sheetops.core.issues`); the",
        "texts are in `src/sheetops/core/catalog/issues.py`.",
        "",
    ]
    for group in GROUPS:
        zh, en = (text(lang, f"issue-group.{group}") for lang in LANGUAGES)
        lines += [f"## {en} ({zh})", ""]
        lines += ["| code | severity | meaning | message | what the sender should do |",
                  "|---|---|---|---|---|"]
        for entry in ISSUES:
            if entry.group != group:
                continue
            cells = [f"`{entry.code}`", entry.severity,
                     *("<br>".join(reversed(texts))
                       for texts in (entry.title, entry.message, entry.action))]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    lines += [
        "`note-missing` is a warning by default; `note_below_max = \"error\"` in round.toml",
        "makes it an error.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(render_issue_docs(), end="")
