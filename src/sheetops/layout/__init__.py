"""The cell contract of scoresheets and handbooks, and the pack plan: shared by the
writers in :mod:`sheetops.forms` and the readers in :mod:`sheetops.intake` and
:mod:`sheetops.validate`."""
