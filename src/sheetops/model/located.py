"""Documents read with the location of every value, and the problems found while reading them.

The roster, the scheme and the handbook definition are all read the same way: a reader turns
located records (each carrying ``__where__``: field → ``file:line`` or ``sheet!C7``) into plain
data and collects every problem with its location, so one pass reports them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from sheetops.core.errors import Problem, Severity

WHERE: Final = "__where__"


class ProblemCollector:
    """Collects located problems while a document is read.

    Args:
        origin: where a problem about the document as a whole is located (its file).
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.problems: list[Problem] = []

    def where(self, node: Mapping[str, Any], field: str = "") -> str:
        """Where ``field`` of ``node`` is (the node itself, then the document, as fallbacks)."""
        locations = node.get(WHERE) or {}
        return str(locations.get(field) or locations.get("") or self.origin)

    def add(self, key: str, where: str, severity: Severity = Severity.ERROR,
            **params: object) -> None:
        """Record the problem ``key`` (a catalog key) at ``where``."""
        self.problems.append(Problem(key, where, params, severity))
