"""Every text a person reads, one catalog split by domain, the languages side by side.

Each domain module holds ``TEXTS``: message key → ``(zh-CN, en)``. The issue registry's texts
(:mod:`sheetops.core.catalog.issues`) join the catalog as ``issue.<code>.title``,
``issue.<code>.message``, ``issue.<code>.action`` and ``issue-group.<group>``. Sentences are
rendered by :func:`sheetops.core.i18n.text`; nothing else holds user-facing text.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from sheetops.core.catalog import (
    collect,
    common,
    console,
    forms,
    handbook,
    help,
    issues,
    mail,
    rank,
    records,
    reports,
    roster,
    round,
    scheme,
    upkeep,
)
from sheetops.core.catalog.texts import Text

LANGUAGES: Final = ("zh-CN", "en")  # the order of every (zh-CN, en) pair
DOMAINS: Final = (common, scheme, roster, round, forms, handbook, collect, rank, reports,
                  records, mail, console, upkeep, help)


def _entries() -> dict[str, Text]:
    entries: dict[str, Text] = {}
    for domain in DOMAINS:
        for key, value in domain.TEXTS.items():
            if key in entries:
                raise AssertionError(f"catalog key {key!r} is defined twice")
            entries[key] = value
    for group, title in issues.GROUPS.items():
        entries[f"issue-group.{group}"] = title
    for entry in issues.ISSUES:
        for part in ("title", "message", "action"):
            entries[f"issue.{entry.code}.{part}"] = getattr(entry, part)
    return entries


CATALOG: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    key: MappingProxyType(dict(zip(LANGUAGES, value, strict=True)))
    for key, value in _entries().items()
})
