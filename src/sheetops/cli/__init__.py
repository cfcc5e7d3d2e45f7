"""The ``sheetops`` command: click faces over the use cases in :mod:`sheetops.app`."""
