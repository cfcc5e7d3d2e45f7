"""Pages from Jinja2 templates (autoescaped), texts from the catalog, static files by hash.

Every text on a page comes from the catalog through ``t(key, **params)`` in the template, in
the page's language; branch names, file names and notes are data and are escaped like any
other value. Static files are served under names that carry their content hash
(``app.3f2a9c1e.js``), so a browser may keep them for good and never runs a stale script.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

import jinja2

from sheetops.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, join_items, text
from sheetops.core.times import local_time

STATIC_FILES: Final = ("app.css", "app.js", "htmx.min.js")


def _static_folder() -> Path:
    return Path(str(resources.files("sheetops.web") / "static"))


@dataclass(frozen=True)
class StaticFile:
    """A static file, by the hashed name pages link to."""

    path: Path
    media_type: str
    plain: str  # the name in the package (``app.js``)


def static_files() -> dict[str, StaticFile]:
    """Every static file under its hashed name (``app.3f2a9c1e.js``)."""
    media = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
    found = {}
    for name in STATIC_FILES:
        path = _static_folder() / name
        stem, _, suffix = name.rpartition(".")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        found[f"{stem}.{digest}.{suffix}"] = StaticFile(path, media["." + suffix], name)
    return found


def score(value: object, decimals: int = 2) -> str:
    """A score as the tables show it (``97.85``; ``—`` when there is none)."""
    if value is None:
        return "—"
    if isinstance(value, Decimal | float | int):
        return f"{value:.{decimals}f}"
    return str(value)


class Pages:
    """The console's templates, with the catalog and the static names as globals."""

    def __init__(self) -> None:
        self.static = static_files()
        by_plain = {entry.plain: hashed for hashed, entry in self.static.items()}
        self.environment = jinja2.Environment(
            loader=jinja2.PackageLoader("sheetops.web", "templates"),
            autoescape=True,  # every value is HTML-escaped unless a template says otherwise
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.environment.globals["static"] = lambda name: "/static/" + by_plain[name]
        self.environment.globals["languages"] = LANGUAGES
        self.environment.filters["score"] = score
        self.environment.filters["tojson_text"] = lambda value: json.dumps(
            value, ensure_ascii=False, indent=2)

    def render(self, name: str, context: Mapping[str, Any], *, lang: str,
               zone: ZoneInfo) -> str:
        """Render template ``name`` in ``lang``, times shown in ``zone``."""
        language = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

        def t(key: str, /, **params: object) -> str:
            return text(language, key, **params)

        # A page rendered outside a signed-in request (an error) still has every name.
        defaults = {"actor": None, "round": None, "csrf": "", "path": "",
                    "can": lambda action: False}
        return self.environment.get_template(name).render(
            {**defaults, **context, "t": t, "lang": language,
             "join": lambda items: join_items(language, items),
             "when": lambda value: local_time(value, zone),
             "zone": str(zone)})
