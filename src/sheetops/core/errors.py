"""Exceptions (sheetops cannot go on) and located problems in staff-provided files.

Problems found in returned workbooks are :mod:`sheetops.core.issues`; the problems here are the ones
found in what the committee itself prepares (scheme, roster, round settings). They are values
until an operation decides it cannot proceed, and then travel inside the exception that says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from sheetops.core.i18n import text


class Severity(StrEnum):
    """How serious a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """A problem in a staff-provided file, located precisely.

    Attributes:
        key: message key in :data:`sheetops.core.i18n.CATALOG`.
        where: location a person can find: ``scheme.yaml:12`` or ``branches!B7``.
        params: values for the message template.
        severity: error (blocks the operation) or warning (reported, not blocking).
    """

    key: str
    where: str
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    severity: Severity = Severity.ERROR

    def render(self, lang: str) -> str:
        """Return ``where: message`` in ``lang``."""
        message = text(lang, self.key, **self.params)
        if self.severity is Severity.WARNING:
            message = text(lang, "problem.with-warning", message=message)
        return f"{self.where}: {message}" if self.where else message


def errors_in(problems: Sequence[Problem]) -> list[Problem]:
    """Return the problems that are errors."""
    return [p for p in problems if p.severity is Severity.ERROR]


class SheetopsError(Exception):
    """Base exception for sheetops: the operation cannot go on."""

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str) -> str:
        """Return the message in ``lang``."""
        return text(lang, self.key, **self.params)

    def __str__(self) -> str:
        return self.render("en")


class ProblemsError(SheetopsError):
    """A staff-provided file has problems that block the operation."""

    def __init__(self, key: str, problems: Sequence[Problem], /, **params: object) -> None:
        super().__init__(key, count=len(errors_in(problems)), **params)
        self.problems = list(problems)

    def render(self, lang: str) -> str:
        """Return the headline and one line per problem, errors first."""
        ordered = errors_in(self.problems) + [
            p for p in self.problems if p.severity is Severity.WARNING
        ]
        lines = [super().render(lang)]
        lines += [f"  {p.render(lang)}" for p in ordered]
        return "\n".join(lines)


class SchemeError(ProblemsError):
    """Scoring scheme is missing, unreadable or inconsistent."""


class RosterError(ProblemsError):
    """Roster is unreadable or inconsistent."""


class SchemeFileError(SheetopsError):
    """Scoring scheme file cannot be read at all."""


class RosterFileError(SheetopsError):
    """Roster file cannot be read at all."""


class RoundError(SheetopsError):
    """Round folder is missing, already exists, or its settings are invalid."""
