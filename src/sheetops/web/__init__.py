"""The staff console (``sheetops serve``): a web face over the use cases in :mod:`sheetops.app`."""
