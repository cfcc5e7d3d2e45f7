"""An opened round: its settings, frozen scheme and roster, key and paths.

``open_round`` loads everything a command needs from an existing round folder; creating one is
:func:`sheetops.app.init.init_round`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sheetops.core.errors import RoundError
from sheetops.core.identity import read_key
from sheetops.model.roster import Roster, load_roster
from sheetops.model.round import (
    RoundConfig,
    RoundPaths,
    read_round_config,
)
from sheetops.model.scheme import Scheme
from sheetops.model.scheme_file import load_scheme

FOLDERS = ("outbox", "inbox", "archive", "reports", ".sheetops")


@dataclass(frozen=True)
class Round:
    """An opened round: settings, frozen scheme and roster, key and paths."""

    paths: RoundPaths
    config: RoundConfig
    scheme: Scheme
    roster: Roster
    key: bytes

    @property
    def lang(self) -> str:
        """The round's language."""
        return self.config.language


def open_round(root: Path) -> Round:
    """Open an existing round folder.

    Args:
        root: the round folder.

    Returns:
        The round with its settings, scheme, roster and key.

    Raises:
        RoundError: not a round, invalid settings, or the key is missing.
        SchemeError, SchemeFileError, RosterError, RosterFileError: frozen files are damaged.
    """
    paths = RoundPaths(root)
    config = read_round_config(root)
    scheme = load_scheme(root / config.scheme_file)
    roster, _ = load_roster(root / config.roster_file, peers_per_branch=config.peers_per_branch)
    try:
        key = read_key(paths.key)
    except (OSError, ValueError) as exc:
        raise RoundError("round.key-missing", path=paths.key) from exc
    return Round(paths, config, scheme, roster, key)
