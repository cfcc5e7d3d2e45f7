"""Texts people read, in the round's language.

Every sentence a branch or committee staff member reads comes from the catalog
(:mod:`sheetops.core.catalog`), keyed by a stable message key, with one template per language.
Code never builds user-facing sentences from fragments: it picks a key and passes named
parameters; lists are joined with :func:`join_items` and its siblings, never with a separator
chosen by language in code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from sheetops.core.catalog import CATALOG, LANGUAGES

__all__ = ["CATALOG", "DEFAULT_LANGUAGE", "LANGUAGES", "Term", "check_language",
           "field_label", "join_clauses", "join_counts", "join_items", "labelled", "long_date",
           "text"]

DEFAULT_LANGUAGE: Final = "zh-CN"


@dataclass(frozen=True)
class Term:
    """A message parameter that is itself translated when the message is rendered.

    ``key`` is a catalog key (rendered with ``params``) or a scheme field name (rendered as
    the field and its Chinese label).
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The term in ``lang``."""
        if self.key in CATALOG:
            return text(lang, self.key, **self.params)
        return field_label(self.key, lang)


def field_label(name: str, lang: str) -> str:
    """Return how a scheme field is named to a reader of ``lang`` (``target（考核内容）``)."""
    key = f"field.{name}"
    return text(lang, key) if key in CATALOG else name


def check_language(value: str) -> str:
    """Return ``value`` if it is a supported language code.

    Args:
        value: a language code such as ``zh-CN``.

    Returns:
        The same code.

    Raises:
        ValueError: the language is not supported.
    """
    if value not in LANGUAGES:
        raise ValueError(value)
    return value


def text(lang: str, key: str, /, **params: object) -> str:
    """Render the message ``key`` in ``lang`` with ``params``.

    Args:
        lang: language code; unknown codes fall back to the default language.
        key: a key of the catalog.
        **params: values for the template's named fields.

    Returns:
        The rendered sentence.

    Raises:
        KeyError: ``key`` is not in the catalog (a bug, not a user error).
    """
    templates = CATALOG[key]
    template = templates.get(lang) or templates[DEFAULT_LANGUAGE]
    rendered = {
        name: value.render(lang) if isinstance(value, Term) else value
        for name, value in params.items()
    }
    return template.format(**rendered)


def join_items(lang: str, items: Iterable[object]) -> str:
    """Join list items as ``lang`` writes them (``甲、乙、丙`` / ``a, b, c``)."""
    return text(lang, "join.items").join(str(item) for item in items)


def join_clauses(lang: str, clauses: Iterable[object]) -> str:
    """Join whole clauses as ``lang`` writes them (``…；…`` / ``…; …``)."""
    return text(lang, "join.clauses").join(str(clause) for clause in clauses)


def join_counts(lang: str, counts: Iterable[object]) -> str:
    """Join counted phrases as ``lang`` writes them (``先进 2，合格 8`` / ``a 2, b 8``)."""
    return text(lang, "join.counts").join(str(count) for count in counts)


def labelled(lang: str, label: object, value: object) -> str:
    """``label：value`` (or ``label: value``) as ``lang`` writes it."""
    return text(lang, "join.labelled", label=label, value=value)


def long_date(lang: str, day: dt.date) -> str:
    """Return a date as ``lang`` writes it in a sentence: 2026年12月11日 / 2026-12-11."""
    return text(lang, "date.long", year=day.year, month=day.month, day=day.day)
