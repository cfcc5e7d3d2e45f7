"""Message templates of the mail commands (merged into :data:`sheetops.i18n.CATALOG`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

MAIL_TEXTS: Final[Mapping[str, Mapping[str, str]]] = {}
