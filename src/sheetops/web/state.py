"""What one running console holds: its workspace, templates, jobs, and opened rounds.

Opening a round reads its scheme and roster; at 10,000 branches that is most of a page's
time. An opened round is kept until one of the files it was read from changes, and a round's
status until its ledger or manifest changes, so a page shows what is on disk without reading
it again for every request.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final, TypeVar
from zoneinfo import ZoneInfo

from sheetops.app.rounds import RoundEntry, find_round, list_rounds, workspace_zone
from sheetops.core.errors import SheetopsError
from sheetops.layout.packs import PackPlan, sent_packs
from sheetops.ledger.status import StatusReport, round_status
from sheetops.ledger.store import Ledger
from sheetops.model.round import Limits, RoundPaths, read_round_config
from sheetops.model.workspace import Round, open_round
from sheetops.web.jobs import Jobs
from sheetops.web.rendering import Pages

T = TypeVar("T")
FORM_BODY_BYTES: Final = 1 * 2**20
_ROUND_PATH: Final = re.compile(r"^/(?:(?:api/)?rounds|p)/([^/]+)/")


def _stamp(*paths: Path) -> tuple[tuple[int, int], ...]:
    """When and how big each file is (0, 0 when missing): what a cached value depends on."""
    stamps = []
    for path in paths:
        try:
            info = path.stat()
            stamps.append((info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((0, 0))
    return tuple(stamps)


@dataclass
class _Cached:
    stamp: tuple[object, ...]
    value: object


class Console:
    """The running console.

    Args:
        workspace: the folder it serves.
        one_time: the secret of the one-time sign-in link, or None.
    """

    def __init__(self, workspace: Path, *, one_time: str | None = None,
                 warm: bool = False) -> None:
        self.workspace = workspace
        self.pages = Pages()
        self.jobs = Jobs(after=lambda job: self.warm(job.round_id))
        self._one_time = one_time
        self._cache: dict[tuple[str, str], _Cached] = {}
        self._lock = threading.Lock()
        self.zone = self._workspace_zone()
        if warm:
            threading.Thread(target=self.warm, name="warm", daemon=True).start()

    def warm(self, round_id: str | None = None) -> None:
        """Open the rounds (or one) and read their status ahead of the next page: at 10,000
        branches that takes a couple of seconds, better spent before anyone asks."""
        try:
            ids = [round_id] if round_id else [e.id for e in self.rounds() if e.config]
            for found in ids:
                self.status(self.round(found))
        except SheetopsError:
            pass  # the page that asks will show the problem

    def _workspace_zone(self) -> ZoneInfo:
        return workspace_zone(self.workspace)

    def use_one_time(self, secret: str) -> bool:
        """Whether ``secret`` is the one-time sign-in secret (which then stops working)."""
        with self._lock:
            expected = self._one_time
            if expected is None or not secrets.compare_digest(expected, secret):
                return False
            self._one_time = None
            return True

    def _cached(self, key: tuple[str, str], stamp: tuple[object, ...],
                build: Callable[[], T]) -> T:
        with self._lock:
            entry = self._cache.get(key)
        if entry is not None and entry.stamp == stamp:
            value: T = entry.value  # type: ignore[assignment]
            return value
        value = build()
        with self._lock:
            self._cache[key] = _Cached(stamp, value)
        return value

    def rounds(self) -> list[RoundEntry]:
        """The workspace's rounds."""
        return list_rounds(self.workspace)

    def entry(self, round_id: str) -> RoundEntry:
        """The workspace's round ``round_id``.

        Raises:
            RoundError: no such round.
        """
        return find_round(self.workspace, round_id)

    def round(self, round_id: str) -> Round:
        """The opened round ``round_id`` (kept until its settings, scheme or roster change).

        Raises:
            RoundError, SchemeError, RosterError: no such round, or it cannot be opened.
        """
        root = self.entry(round_id).root
        paths = RoundPaths(root)
        config = self._cached(("config", str(root)), _stamp(paths.config),
                              lambda: read_round_config(root))
        stamp = _stamp(paths.config, root / config.scheme_file, root / config.roster_file,
                       paths.key)
        return self._cached(("round", str(root)), stamp, lambda: open_round(root))

    def status(self, round_: Round) -> StatusReport:
        """The round's status (kept until something is recorded, or the manifest changes).

        The ledger's own files change on disk whenever anyone reads it (SQLite checkpoints
        its log), so what is compared is the ledger's last recorded rows.
        """
        paths = round_.paths
        version = (0, 0, 0)
        if paths.ledger.is_file():
            with Ledger(paths.ledger) as ledger:
                version = ledger.version()
        stamp = (version, *_stamp(paths.manifest, paths.config))
        packs = self.packs(round_)
        return self._cached(("status", str(paths.root)), stamp,
                            lambda: round_status(round_, packs))

    def packs(self, round_: Round) -> list[PackPlan]:
        """What the round sent out (kept until the manifest or the settings change)."""
        paths = round_.paths
        return self._cached(("packs", str(paths.root)), _stamp(paths.manifest, paths.config),
                            lambda: sent_packs(round_.config, round_.scheme, round_.roster,
                                               paths.manifest))

    def body_cap(self, path: str) -> int:
        """How large a request body to ``path`` may be: a round's upload limit for its upload
        routes, else room for a form."""
        match = _ROUND_PATH.match(path)
        if match and (path.endswith("/uploads") or path.endswith("/upload")):
            try:
                return self.round(match.group(1)).config.limits.max_upload_bytes + 2**20
            except SheetopsError:
                return Limits().max_upload_bytes
        return FORM_BODY_BYTES
