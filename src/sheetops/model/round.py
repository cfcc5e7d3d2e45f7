"""What a round is: its settings (``round.toml``) and its workspace folder.

Settings are plain data (:class:`RoundConfig`); :func:`render_round_toml` writes every default
spelled out and commented in the round's language, and :func:`parse_round_config` reads it back
with a located message for each bad value.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sheetops.core.errors import RoundError
from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Term, text

ROUND_ID_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,59}")
PERIODS: Final = ("half-year", "year-end")
ROLES: Final = ("self", "peer", "inspector")
MISSING_POLICIES: Final = ("renormalise", "zero", "pending")
NOTE_POLICIES: Final = ("warning", "error")
DEFAULT_DEADLINE_DAYS: Final = 14
DEFAULT_TIMEZONE: Final = "Asia/Shanghai"
SMTP_SECURITY: Final = ("starttls", "ssl", "plain")
ADVANCED_ORDERS: Final = ("rank", "roster")  # the names-only list of advanced branches


@dataclass(frozen=True)
class Limits:
    """Caps applied to every received file (configurable in round.toml ``[limits]``)."""

    max_file_bytes: int = 25 * 2**20
    max_parts: int = 5_000
    max_part_bytes: int = 100 * 2**20
    max_total_bytes: int = 300 * 2**20
    max_ratio: int = 100
    max_rows: int = 100_000
    max_columns: int = 256
    max_cells: int = 2_000_000
    parse_seconds: float = 30.0
    parse_memory_bytes: int = 1024 * 2**20
    max_upload_bytes: int = 500 * 2**20  # one upload through the console or the portal
    max_message_bytes: int = 200 * 2**20  # one mail message, attachments included
    max_mime_nesting: int = 50  # multipart and message parts in one message (bounds the depth)
    max_attachments: int = 500  # attachments in one message
    max_issues_per_file: int = 200  # issues stored for one file (then one that counts the rest)



@dataclass(frozen=True)
class Thresholds:
    """When the rater analysis flags a difference (points on the 100-point scale)."""

    inflation: Decimal = Decimal(5)
    leniency: Decimal = Decimal(3)
    reciprocal: Decimal = Decimal(3)


@dataclass(frozen=True)
class MailSettings:
    """Where the round's mail goes out and comes in (``[mail]``); passwords are never stored."""

    imap: str = ""  # imaps://user@host/INBOX
    smtp_host: str = ""
    smtp_port: int = 0  # 0: the security mode's usual port
    smtp_security: str = "starttls"
    smtp_user: str = ""
    sender: str = ""  # the From mailbox: 党委组织部考核办 <kh@example.cn>
    cafile: str = ""  # a CA certificate to trust too (servers with the office's own CA)
    contact: str = ""  # who to ask, closing every mail: 组织部考核办 王老师，电话 0851-12345678


@dataclass(frozen=True)
class PortalSettings:
    """The recipients' personal upload links (``[portal]``)."""

    base_url: str = ""  # where branches reach the console: https://kaohe.example.cn
    expires: dt.date | None = None  # the links' last day (default: the deadline day)


@dataclass(frozen=True)
class RoundConfig:
    """Everything a round decides, with the product's defaults."""

    id: str
    title: str
    period: str
    deadline: dt.date
    language: str
    scheme_file: str = "scheme.yaml"
    roster_file: str = "roster.xlsx"
    peers_per_branch: int = 3
    weights: Mapping[str, Decimal] = field(
        default_factory=lambda: {
            "self": Decimal("0.2"), "peer": Decimal("0.3"), "inspector": Decimal("0.5")
        }
    )
    missing: Mapping[str, str] = field(
        default_factory=lambda: {
            "self": "renormalise", "peer": "renormalise", "inspector": "pending"
        }
    )
    trim_min_forms: int = 5
    trim_drop_highest: int = 1
    trim_drop_lowest: int = 1
    tie_breaks: tuple[str, ...] = ("inspector", "peer")
    decimals: int = 2
    password: str = ""
    note_below_max: str = "warning"
    limits: Limits = field(default_factory=Limits)
    analysis: Thresholds = field(default_factory=Thresholds)
    combine_round: str = ""
    combine_weight: Decimal = Decimal("0.3")
    compare_round: str = ""
    timezone: str = DEFAULT_TIMEZONE
    issuer: str = ""  # who issues the list of advanced branches: 中共××委员会
    issue_date: dt.date | None = None  # the list's date (default: the day it is ranked)
    advanced_order: str = "rank"  # the names-only list: by rank, or in roster order
    # a branch that has not returned its own self form or a peer form it owes is not 先进
    advanced_requires_returns: bool = True
    mail: MailSettings = field(default_factory=MailSettings)
    portal: PortalSettings = field(default_factory=PortalSettings)

    @property
    def zone(self) -> ZoneInfo:
        """The round's time zone: every time a person reads is shown in it."""
        return ZoneInfo(self.timezone)


def default_round_id(period: str, today: dt.date) -> str:
    """Return the default round id, e.g. ``2026-year-end``."""
    return f"{today.year}-{period}"


def default_title(period: str, language: str, year: int) -> str:
    """Return the default round title in ``language``."""
    return text(language, f"round.default-title.{period}", year=year)


_TOML_ESCAPES: Final = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t", "\n": "\\n",
                        "\f": "\\f", "\r": "\\r"}


def _toml_string(value: str) -> str:
    """``value`` as a TOML basic string: backslash, quote and every control character escaped
    (a title pasted from elsewhere may carry a tab or a line break)."""
    escaped = "".join(_TOML_ESCAPES.get(ch) or (f"\\u{ord(ch):04X}" if ch < " " or ch == "\x7f"
                                                 else ch) for ch in value)
    return f'"{escaped}"'


def render_round_toml(config: RoundConfig) -> str:
    """Return ``round.toml`` text for ``config``, every setting written out and commented.

    Args:
        config: the settings.

    Returns:
        TOML text that :func:`parse_round_config` reads back equal.
    """
    def c(part: str) -> str:
        return text(config.language, f"toml.{part}")


    def number(value: Decimal) -> str:
        return format(value.normalize(), "f")

    lines = [
        c("head"),
        "",
        "[round]",
        c("round"),
        f"id = {_toml_string(config.id)}",
        f"title = {_toml_string(config.title)}",
        f"period = {_toml_string(config.period)}",
        f"deadline = {config.deadline.isoformat()}",
        f"language = {_toml_string(config.language)}",
        f"timezone = {_toml_string(config.timezone)}",
        c("round-list"),
        f"issuer = {_toml_string(config.issuer)}",
        "issue_date = " + (config.issue_date.isoformat() if config.issue_date else '""'),
        f"advanced_order = {_toml_string(config.advanced_order)}",
        "",
        "[files]",
        c("files"),
        f"scheme = {_toml_string(config.scheme_file)}",
        f"roster = {_toml_string(config.roster_file)}",
        "",
        "[raters]",
        c("raters"),
        f"peers_per_branch = {config.peers_per_branch}",
        "",
        "[weights]",
        c("weights"),
        *(f"{role} = {number(config.weights[role])}" for role in ROLES),
        "",
        "[missing]",
        c("missing"),
        *(f"{role} = {_toml_string(config.missing[role])}" for role in ROLES),
        "",
        "[trim]",
        c("trim"),
        f"min_forms = {config.trim_min_forms}",
        f"drop_highest = {config.trim_drop_highest}",
        f"drop_lowest = {config.trim_drop_lowest}",
        "",
        "[ranking]",
        c("ranking"),
        "tie_breaks = [" + ", ".join(_toml_string(t) for t in config.tie_breaks) + "]",
        f"decimals = {config.decimals}",
        "",
        "[forms]",
        c("forms"),
        f"password = {_toml_string(config.password)}",
        f"note_below_max = {_toml_string(config.note_below_max)}",
        "",
        "[analysis]",
        c("analysis"),
        f"inflation_points = {number(config.analysis.inflation)}",
        f"leniency_points = {number(config.analysis.leniency)}",
        f"reciprocal_points = {number(config.analysis.reciprocal)}",
        "",
        "[combine]",
        c("combine"),
        f"round = {_toml_string(config.combine_round)}",
        f"weight = {number(config.combine_weight)}",
        "",
        "[compare]",
        c("compare"),
        f"round = {_toml_string(config.compare_round)}",
        "",
        "[limits]",
        c("limits"),
        f"max_file_mb = {config.limits.max_file_bytes // 2**20}",
        f"max_ratio = {config.limits.max_ratio}",
        f"max_rows = {config.limits.max_rows}",
        f"max_columns = {config.limits.max_columns}",
        f"parse_seconds = {config.limits.parse_seconds:g}",
        f"parse_memory_mb = {config.limits.parse_memory_bytes // 2**20}",
        f"max_upload_mb = {config.limits.max_upload_bytes // 2**20}",
        f"max_message_mb = {config.limits.max_message_bytes // 2**20}",
        f"max_mime_nesting = {config.limits.max_mime_nesting}",
        f"max_attachments = {config.limits.max_attachments}",
        f"max_issues_per_file = {config.limits.max_issues_per_file}",
        "",
        "[mail]",
        c("mail"),
        f"imap = {_toml_string(config.mail.imap)}",
        f"smtp_host = {_toml_string(config.mail.smtp_host)}",
        f"smtp_port = {config.mail.smtp_port}",
        f"smtp_security = {_toml_string(config.mail.smtp_security)}",
        f"smtp_user = {_toml_string(config.mail.smtp_user)}",
        f"from = {_toml_string(config.mail.sender)}",
        f"cafile = {_toml_string(config.mail.cafile)}",
        f"contact = {_toml_string(config.mail.contact)}",
        "",
        "[portal]",
        c("portal"),
        f"base_url = {_toml_string(config.portal.base_url)}",
        "expires = " + (config.portal.expires.isoformat() if config.portal.expires else '""'),
        "",
        "[grades]",
        c("grades"),
        "advanced_requires_returns = "
        + ("true" if config.advanced_requires_returns else "false"),
        "",
    ]
    return "\n".join(lines)


def _bad(key: str, value: object, expected: str, **params: object) -> RoundError:
    return RoundError("round.bad-value", key=key, value=value,
                      expected=Term(f"expected.{expected}", params))


def _get(data: Mapping[str, Any], table: str, key: str, default: object) -> object:
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise _bad(table, section, "table")
    return section.get(key, default)


def _choice(data: Mapping[str, Any], table: str, key: str, default: str,
            choices: tuple[str, ...]) -> str:
    value = _get(data, table, key, default)
    if value not in choices:
        raise _bad(f"{table}.{key}", value, "choice", choices=" | ".join(choices))
    return str(value)


def _boolean(data: Mapping[str, Any], table: str, key: str, default: bool) -> bool:
    value = _get(data, table, key, default)
    if not isinstance(value, bool):
        raise _bad(f"{table}.{key}", value, "boolean")
    return value


def _integer(data: Mapping[str, Any], table: str, key: str, default: int, low: int) -> int:
    value = _get(data, table, key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _bad(f"{table}.{key}", value, "integer", low=low)
    return value


def parse_round_config(data: Mapping[str, Any]) -> RoundConfig:
    """Build a :class:`RoundConfig` from parsed ``round.toml`` data, checking every value.

    Args:
        data: the parsed TOML document.

    Returns:
        The settings; anything absent takes the product's default.

    Raises:
        RoundError: a value is missing or invalid (the message names the key).
    """
    defaults = RoundConfig(id="x", title="", period="year-end", deadline=dt.date.today(),
                           language="zh-CN")
    round_id = _get(data, "round", "id", None)
    if not isinstance(round_id, str) or not ROUND_ID_PATTERN.fullmatch(round_id):
        raise RoundError("round.bad-id", value=round_id)
    period = _choice(data, "round", "period", "year-end", PERIODS)
    language = _choice(data, "round", "language", "zh-CN", LANGUAGES)
    deadline = _date(_get(data, "round", "deadline", None))
    if deadline is None:
        raise _bad("round.deadline", _get(data, "round", "deadline", None), "date")
    title = _get(data, "round", "title", "")
    if not isinstance(title, str) or not title.strip():
        title = default_title(period, language, deadline.year)

    weights = {}
    for role in ROLES:
        value = _get(data, "weights", role, defaults.weights[role])
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise _bad(f"weights.{role}", value, "number")
        weights[role] = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if sum(weights.values()) != 1:
        raise _bad("weights", "+".join(str(w) for w in weights.values()), "weights")
    missing = {
        role: _choice(data, "missing", role, defaults.missing[role], MISSING_POLICIES)
        for role in ROLES
    }
    tie_breaks = _get(data, "ranking", "tie_breaks", list(defaults.tie_breaks))
    if not isinstance(tie_breaks, list) or any(t not in ROLES for t in tie_breaks):
        raise _bad("ranking.tie_breaks", tie_breaks, "roles")
    files = {}
    for key, default in (("scheme", defaults.scheme_file), ("roster", defaults.roster_file)):
        value = _get(data, "files", key, default)
        if not isinstance(value, str) or not value or "/" in value or "\\" in value:
            raise _bad(f"files.{key}", value, "file")
        files[key] = value
    password = _get(data, "forms", "password", "")
    if not isinstance(password, str):
        raise _bad("forms.password", password, "text")
    trim_min_forms = _integer(data, "trim", "min_forms", defaults.trim_min_forms, 1)
    drop_highest = _integer(data, "trim", "drop_highest", 1, 0)
    drop_lowest = _integer(data, "trim", "drop_lowest", 1, 0)
    if trim_min_forms <= drop_highest + drop_lowest:
        # Not silently skipped: with this few forms trimming would leave none to average.
        raise _bad("trim.min_forms", trim_min_forms, "min-forms", high=drop_highest,
                   low=drop_lowest, least=drop_highest + drop_lowest + 1)
    return RoundConfig(
        id=round_id,
        title=title.strip(),
        period=period,
        deadline=deadline,
        language=language,
        scheme_file=files["scheme"],
        roster_file=files["roster"],
        peers_per_branch=_integer(data, "raters", "peers_per_branch", 3, 0),
        weights=weights,
        missing=missing,
        trim_min_forms=trim_min_forms,
        trim_drop_highest=drop_highest,
        trim_drop_lowest=drop_lowest,
        tie_breaks=tuple(tie_breaks),
        decimals=_integer(data, "ranking", "decimals", 2, 0),
        password=password,
        note_below_max=_choice(data, "forms", "note_below_max", "warning", NOTE_POLICIES),
        limits=_parse_limits(data),
        analysis=Thresholds(
            inflation=_points(data, "analysis", "inflation_points", Thresholds.inflation),
            leniency=_points(data, "analysis", "leniency_points", Thresholds.leniency),
            reciprocal=_points(data, "analysis", "reciprocal_points", Thresholds.reciprocal),
        ),
        combine_round=_folder(data, "combine"),
        combine_weight=_points(data, "combine", "weight", Decimal("0.3")),
        compare_round=_folder(data, "compare"),
        timezone=_timezone(data),
        issuer=_text(data, "round", "issuer"),
        issue_date=_optional_date(data, "round", "issue_date"),
        advanced_order=_choice(data, "round", "advanced_order", "rank", ADVANCED_ORDERS),
        advanced_requires_returns=_boolean(data, "grades", "advanced_requires_returns", True),
        mail=_parse_mail(data),
        portal=_parse_portal(data),
    )


def _timezone(data: Mapping[str, Any]) -> str:
    value = _get(data, "round", "timezone", DEFAULT_TIMEZONE)
    try:
        if not isinstance(value, str) or not value:
            raise ValueError(value)
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError) as exc:
        raise _bad("round.timezone", value, "timezone") from exc
    return value


def _text(data: Mapping[str, Any], table: str, key: str) -> str:
    value = _get(data, table, key, "")
    if not isinstance(value, str) or any(ch in value for ch in "\r\n"):
        raise _bad(f"{table}.{key}", value, "text")
    return value.strip()


def _optional_date(data: Mapping[str, Any], table: str, key: str) -> dt.date | None:
    """A date, or None when the setting is empty."""
    given = _get(data, table, key, "")
    found = None if given == "" else _date(given)
    if given != "" and found is None:
        raise _bad(f"{table}.{key}", given, "date-or-empty")
    return found


def _parse_portal(data: Mapping[str, Any]) -> PortalSettings:
    base_url = _text(data, "portal", "base_url").rstrip("/")
    if base_url and not base_url.startswith(("https://", "http://")):
        raise _bad("portal.base_url", base_url, "url")
    return PortalSettings(base_url, _optional_date(data, "portal", "expires"))


def _date(value: object) -> dt.date | None:
    """A TOML date, or a date in quotes as people type it (``"2026年12月21日"``)."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    return loose_date(value) if isinstance(value, str) else None


def _parse_mail(data: Mapping[str, Any]) -> MailSettings:
    return MailSettings(
        imap=_text(data, "mail", "imap"),
        smtp_host=_text(data, "mail", "smtp_host"),
        smtp_port=_integer(data, "mail", "smtp_port", 0, 0),
        smtp_security=_choice(data, "mail", "smtp_security", "starttls", SMTP_SECURITY),
        smtp_user=_text(data, "mail", "smtp_user"),
        sender=_text(data, "mail", "from"),
        cafile=_text(data, "mail", "cafile"),
        contact=_text(data, "mail", "contact"),
    )


def _points(data: Mapping[str, Any], table: str, key: str, default: Decimal) -> Decimal:
    value = _get(data, table, key, float(default))
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise _bad(f"{table}.{key}", value, "number")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _folder(data: Mapping[str, Any], table: str) -> str:
    value = _get(data, table, "round", "")
    if not isinstance(value, str):
        raise _bad(f"{table}.round", value, "folder")
    return value.strip()


def _parse_limits(data: Mapping[str, Any]) -> Limits:
    base = Limits()
    seconds = _get(data, "limits", "parse_seconds", base.parse_seconds)
    if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds <= 0:
        raise _bad("limits.parse_seconds", seconds, "seconds")
    return Limits(
        max_file_bytes=_integer(data, "limits", "max_file_mb", base.max_file_bytes // 2**20,
                                1) * 2**20,
        max_ratio=_integer(data, "limits", "max_ratio", base.max_ratio, 1),
        max_rows=_integer(data, "limits", "max_rows", base.max_rows, 1),
        max_columns=_integer(data, "limits", "max_columns", base.max_columns, 1),
        parse_seconds=float(seconds),
        parse_memory_bytes=_integer(data, "limits", "parse_memory_mb",
                                    base.parse_memory_bytes // 2**20, 64) * 2**20,
        max_upload_bytes=_integer(data, "limits", "max_upload_mb",
                                  base.max_upload_bytes // 2**20, 1) * 2**20,
        max_message_bytes=_integer(data, "limits", "max_message_mb",
                                   base.max_message_bytes // 2**20, 1) * 2**20,
        max_mime_nesting=_integer(data, "limits", "max_mime_nesting", base.max_mime_nesting, 2),
        max_attachments=_integer(data, "limits", "max_attachments", base.max_attachments, 1),
        max_issues_per_file=_integer(data, "limits", "max_issues_per_file",
                                     base.max_issues_per_file, 1),
    )


@dataclass(frozen=True)
class RoundPaths:
    """Where a round keeps things."""

    root: Path

    @property
    def config(self) -> Path:
        """``round.toml``."""
        return self.root / "round.toml"

    @property
    def outbox(self) -> Path:
        """Generated packs and the manifest."""
        return self.root / "outbox"

    @property
    def manifest(self) -> Path:
        """``outbox/manifest.csv``."""
        return self.outbox / "manifest.csv"

    @property
    def inbox(self) -> Path:
        """Where returned files may be dropped (never modified)."""
        return self.root / "inbox"

    @property
    def archive(self) -> Path:
        """Every received file, by content hash."""
        return self.root / "archive"

    @property
    def reports(self) -> Path:
        """Summary, feedback and rejection reports."""
        return self.root / "reports"

    @property
    def private(self) -> Path:
        """Ledger and signing key (never sent out)."""
        return self.root / ".sheetops"

    @property
    def key(self) -> Path:
        """The round's signing key."""
        return self.private / "key"

    @property
    def ledger(self) -> Path:
        """The round's ledger (SQLite)."""
        return self.private / "ledger.sqlite"


# tomllib's messages → the catalog's Chinese (and plain English) wording
_TOML_MESSAGES: Final = (
    ("Expected newline or end of document after a statement", "toml.trailing"),
    ("Unterminated string", "toml.unterminated"),
    ("Invalid value", "toml.invalid-value"),
    ("Cannot overwrite a value", "toml.duplicate"),
    ("Cannot declare", "toml.duplicate"),
    ("Expected '=' after a key", "toml.no-equals"),
    ("Expected ']' at the end of a table declaration", "toml.table"),
    ("Unclosed array", "toml.unclosed-array"),
    ("Illegal character", "toml.control"),
    ("Invalid date or datetime", "toml.bad-date"),
)
_TOML_WHERE: Final = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)$")
# A date as people type it: 2026/12/21, 2026.12.21, 2026年12月21日 (quoted or not)
_LOOSE_DATE: Final = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_DATE_KEYS: Final = ("deadline", "expires")
_UNQUOTED_DATE: Final = re.compile(
    r"^(?P<head>\s*(?:" + "|".join(_DATE_KEYS) + r")\s*=\s*)(?P<date>\d{4}\s*[/.年][^#\n]*?)"
    r"(?P<tail>\s*(?:#.*)?)$", re.M)


# A date setting whose value has a date's shape (2026-13-01, 2026年2月30日): not such a day
_DATE_LINE: Final = re.compile(
    r"^\s*(?:" + "|".join(_DATE_KEYS) + r")\s*=\s*(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*"
    r"[-/.月]\s*\d{1,2}\s*日?)\s*(?:#.*)?$")


def loose_date(value: str) -> dt.date | None:
    """A date typed as 2026-12-21, 2026/12/21, 2026.12.21 or 2026年12月21日; None otherwise."""
    found = _LOOSE_DATE.fullmatch(value.strip())
    if found is None:
        return None
    try:
        return dt.date(*(int(part) for part in found.groups()))
    except ValueError:
        return None


def _iso_unquoted_dates(text: str) -> str:
    """``deadline = 2026/12/21`` (or 2026年12月21日) rewritten as a TOML date, as meant."""

    def iso(found: re.Match[str]) -> str:
        date = loose_date(found["date"])
        if date is None:
            return found[0]
        return found["head"] + date.isoformat() + found["tail"]

    return _UNQUOTED_DATE.sub(iso, text)


def decode_settings(data: bytes) -> str:
    """The text of a round.toml as Notepad may save it: UTF-8 with or without a byte-order
    mark, or the ANSI code page of a Chinese Windows (GBK/GB18030).

    Raises:
        RoundError: neither.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
    raise RoundError("round.bad-encoding")


def load_settings(text: str) -> dict[str, Any]:
    """Parse round.toml text; a syntax error is told in the reader's terms, with its line.

    Dates typed the way people write them (``2026/12/21``, ``2026年12月21日``) are read as
    dates.

    Raises:
        RoundError: the text is not valid TOML (``round.toml-syntax``: line, column, the line
            itself and what to change).
    """
    text = _iso_unquoted_dates(text)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_WHERE.search(message)
        what = message[:where.start()] if where else message
        key = next((k for start, k in _TOML_MESSAGES if what.startswith(start)), "toml.other")
        lines = text.split("\n")
        if where is not None and where.group(1):
            line, column = int(where.group(1)), int(where.group(2))
        else:  # at the end: the last line that holds anything
            line = max((n for n, t in enumerate(lines, 1) if t.strip()), default=1)
            column = len(lines[line - 1]) + 1 if lines else 1
        shown = lines[line - 1].strip() if line <= len(lines) else ""
        hint = Term("toml.hint-quotes") if any(q in shown for q in "“”‘’＝：") else Term(key)
        typed = _DATE_LINE.match(shown)
        if typed is not None and loose_date(typed["date"]) is None:
            hint = Term("toml.no-such-date", {"value": typed["date"].strip()})
        raise RoundError("round.toml-syntax", line=line, column=column, text=shown[:80],
                         what=hint) from exc


def read_round_language(root: Path) -> str:
    """The language ``ROUND_DIR/round.toml`` names, read even when other settings are invalid.

    Messages about a round (its own bad settings included) are given in this language.

    Returns:
        ``[round] language`` when it is readable and supported, else the default language.
    """
    try:
        data = load_settings(decode_settings(RoundPaths(root).config.read_bytes()))
    except (OSError, RoundError):
        return DEFAULT_LANGUAGE
    table = data.get("round")
    language = table.get("language") if isinstance(table, dict) else None
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT_LANGUAGE


def read_round_config(root: Path) -> RoundConfig:
    """Read and check ``ROUND_DIR/round.toml``.

    Raises:
        RoundError: the folder holds no round, or its settings are invalid.
    """
    path = RoundPaths(root).config
    if not path.is_file():
        raise RoundError("round.missing", path=root)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RoundError("round.bad-config", reason=exc.strerror or str(exc)) from exc
    return parse_round_config(load_settings(decode_settings(raw)))
