"""The hidden ``_meta`` sheet every generated workbook carries: one signed row per form."""

from __future__ import annotations

from typing import Final

from sheetops.core.identity import FormIdentity

META_COLUMNS: Final = ("sheet", *FormIdentity.field_names(), "signature")
PROPERTY_PREFIX: Final = "sheetops:"  # custom document properties mirroring the signatures
