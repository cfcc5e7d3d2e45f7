"""Times as people read them: in the round's time zone, to the minute, one format everywhere.

The ledger keeps UTC (ISO 8601); everything a person reads (reports, pages, messages) shows
the same moment through :func:`local_time`.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo

TIME_FORMAT: Final = "%Y-%m-%d %H:%M"


def local_time(value: str | dt.datetime | None, zone: ZoneInfo) -> str:
    """A UTC time from the ledger as people read it: in the round's zone, to the minute
    (``""`` for none; a time without a zone is taken as UTC)."""
    if value is None or value == "":
        return ""
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).strftime(TIME_FORMAT)
