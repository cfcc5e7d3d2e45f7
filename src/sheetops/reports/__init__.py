"""Workbooks sheetops writes for people: rejection report, summary, feedback."""
