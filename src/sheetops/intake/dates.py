"""Numbers a spreadsheet program shows as dates or times, turned back into the number stored.

A cell holds a number whatever its display format; python-calamine hands a number with a date
or time format back as a ``date``, ``datetime``, ``time`` or ``timedelta`` (and, from ODS, a
duration of a day or more as its ISO text, ``PT72H00M00S``). The number is recovered with the
workbook's date system:

- Excel's 1900 system (xlsx and xls by default): serial 1 is 1900-01-01 and serial 60 is the
  1900-02-29 that never was, so days before 1900-03-01 count one less; calamine reads both 59
  and 60 as 1900-02-28, which therefore cannot be told apart.
- Excel's 1904 system (``date1904`` in xlsx, the DATEMODE record in xls): serial 0 is
  1904-01-01.
- ODS: days since the document's null date (``table:null-date``, by default 1899-12-30);
  but Gnumeric writes the dates of Excel's 1900 system as Excel shows them (serial 1 as
  1900-01-01, where LibreOffice writes 1899-12-31), so its days before 1900-03-01 count one
  less, as in Excel.

Numbers below 1 come back as a time of day: calamine gives a negative number's fraction the
same way, so a time is read as a number from 0 to 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

DATE_TYPES: Final = frozenset({dt.date, dt.datetime, dt.time, dt.timedelta})
DAY_MS: Final = 86_400_000
_LEAP_DAY_SEEN: Final = dt.datetime(1900, 2, 28)  # 59 and 60 both read as this day
_AFTER_LEAP_DAY: Final = dt.datetime(1900, 3, 1)
_DURATION: Final = re.compile(
    r"(-?)P(?:(\d{1,7})D)?T(\d{1,9})H(\d{1,2})M(\d{1,2})(?:\.(\d{1,6}))?S")


@dataclass(frozen=True)
class DateSystem:
    """How a workbook counts days: the moment of serial 0 and Excel's 1900 leap-year quirk."""

    name: str  # "1900", "1904" or "ods"
    epoch: dt.datetime
    leap_quirk: bool = False  # days before 1900-03-01 count one less (Excel's 1900-02-29)
    leap_day_merged: bool = False  # and 59 and 60 both read as 1900-02-28 (calamine's reading)

    def serial(self, value: Any) -> Decimal | None:
        """Return the number a date, time or duration value was stored as.

        Returns:
            The number (the shortest decimal that gives the same millisecond), or None when
            ``value`` is no such value or cannot be told apart from another number (1900-02-28
            in Excel's 1900 system: 59 or 60).
        """
        kind = type(value)
        if kind is dt.timedelta:
            return _number(_ms(value))
        if kind is dt.time:
            return _number(((value.hour * 60 + value.minute) * 60 + value.second) * 1000
                           + value.microsecond // 1000)
        if kind is dt.date:
            value = dt.datetime(value.year, value.month, value.day)
        elif kind is str:
            return _duration(value)
        elif kind is not dt.datetime:
            return None
        if value.tzinfo is not None:
            value = value.replace(tzinfo=None)
        days = _ms(value - self.epoch)
        if self.leap_quirk and value < _AFTER_LEAP_DAY:
            if self.leap_day_merged and value >= _LEAP_DAY_SEEN:
                return None
            days -= DAY_MS
        return _number(days)


EXCEL_1900: Final = DateSystem("1900", dt.datetime(1899, 12, 30), leap_quirk=True,
                               leap_day_merged=True)
EXCEL_1904: Final = DateSystem("1904", dt.datetime(1904, 1, 1))
ODS_DEFAULT: Final = DateSystem("ods", dt.datetime(1899, 12, 30))
GNUMERIC_ODS: Final = DateSystem("ods", dt.datetime(1899, 12, 30), leap_quirk=True)


def is_date_value(value: Any) -> bool:
    """Whether a cell value is a number shown as a date, time or duration."""
    return type(value) in DATE_TYPES or (type(value) is str and _DURATION.fullmatch(value)
                                          is not None)


def shown_date(value: Any) -> str:
    """Return a date, time or duration value as a sender sees it (``1900-01-03 12:00``)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S" if value.second else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S" if value.second else "%H:%M")
    if isinstance(value, dt.timedelta):
        seconds = int(value.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return str(value)


def _ms(span: dt.timedelta) -> int:
    return (span.days * 86_400 + span.seconds) * 1000 + span.microseconds // 1000


def _duration(value: str) -> Decimal | None:
    match = _DURATION.fullmatch(value)
    if match is None:
        return None
    sign, days, hours, minutes, seconds, fraction = match.groups()
    ms = ((((int(days or 0) * 24 + int(hours)) * 60 + int(minutes)) * 60 + int(seconds)) * 1000
          + int((fraction or "0").ljust(3, "0")[:3]))
    return _number(-ms if sign else ms)


def _number(ms: int) -> Decimal:
    """The shortest decimal number of days that gives ``ms`` milliseconds when rounded as the
    file stored it.

    Readers keep dates and times to the millisecond: 3.3 days comes back as 3 days 7:12,
    2.333 as 2 days 7:59:31.200; either gives back the number typed. Some programs store
    them to the second only (Gnumeric's ODS: 2.333 as 7:59:31): a whole second then stands
    for any number within that second.
    """
    exact = Decimal(ms) / DAY_MS
    within = Decimal(1000 if ms % 1000 == 0 else 0.5)
    for places in range(9):
        candidate = exact.quantize(Decimal(1).scaleb(-places))
        if abs(candidate * DAY_MS - ms) < within or (candidate * DAY_MS).to_integral_value(
                ) == ms:
            return candidate if candidate else Decimal(0)
    return exact
