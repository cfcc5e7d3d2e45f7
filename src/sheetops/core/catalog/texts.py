"""The shapes of the catalog's entries (kept apart so domain modules import nothing else)."""

from __future__ import annotations

from typing import NamedTuple, TypeAlias

Text: TypeAlias = tuple[str, str]
"""One message in every language, side by side: (zh-CN, en)."""

Texts: TypeAlias = dict[str, Text]
"""A domain's messages by key."""


class IssueText(NamedTuple):
    """A registered issue code: its severity, its group and what people read about it."""

    code: str
    severity: str  # "error" | "warning"
    group: str
    title: Text
    message: Text  # a template: {cell}, {sheet}, {form_id} and the issue's parameters
    action: Text  # what the sender should do
