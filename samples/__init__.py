"""Sample roster for `sheetops demo` (data only)."""
