"""Mail commands of the ``sheetops`` CLI (send, remind), registered on the main group."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the mail commands to ``group``."""
    del group
