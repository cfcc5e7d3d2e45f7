"""``sheetops init``: create a round folder.

``init_round`` freezes the scheme and roster into a new folder, writes ``round.toml`` and the
signing key.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from sheetops.core.errors import Problem, RoundError
from sheetops.core.identity import create_key, read_key
from sheetops.model.roster import load_roster
from sheetops.model.round import (
    DEFAULT_DEADLINE_DAYS,
    RoundConfig,
    RoundPaths,
    default_round_id,
    default_title,
    parse_round_config,
    render_round_toml,
)
from sheetops.model.scheme_file import default_scheme_path, dump_scheme_yaml, load_scheme
from sheetops.model.workspace import FOLDERS, Round


@dataclass(frozen=True)
class InitResult:
    """What ``init_round`` created, and the roster's warnings."""

    round: Round
    warnings: list[Problem]


def init_round(
    root: Path,
    roster_path: Path,
    *,
    scheme_path: Path | None = None,
    period: str = "year-end",
    language: str = "zh-CN",
    round_id: str | None = None,
    today: dt.date | None = None,
) -> InitResult:
    """Create a round folder with frozen copies of scheme and roster, settings and key.

    Args:
        root: the new round folder (must not exist, or be empty).
        roster_path: the roster workbook.
        scheme_path: a scheme file; default: the shipped scheme in ``language``.
        period: ``half-year`` or ``year-end``.
        language: the round's language.
        round_id: the round id; default ``<year>-<period>``.
        today: the date the round starts (default: today), for id and deadline.

    Returns:
        The opened round and the roster's warnings.

    Raises:
        RoundError: the folder already holds a round or is not empty, or the id is invalid.
        SchemeError, SchemeFileError: the scheme is unreadable or inconsistent.
        RosterError, RosterFileError: the roster is unreadable or inconsistent.
    """
    paths = RoundPaths(root)
    if paths.config.exists():
        raise RoundError("round.exists", path=root)
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RoundError("round.not-empty", path=root)
    today = today or dt.date.today()
    scheme = load_scheme(scheme_path or default_scheme_path(language))
    draft = RoundConfig(
        id=round_id or default_round_id(period, today),
        title=default_title(period, language, today.year),
        period=period,
        deadline=today + dt.timedelta(days=DEFAULT_DEADLINE_DAYS),
        language=language,
        roster_file="roster" + (roster_path.suffix.lower() or ".xlsx"),
    )
    toml_text = render_round_toml(draft)
    # Read the settings back through the same checks a hand-edited file gets.
    config = parse_round_config(tomllib.loads(toml_text))
    roster, warnings = load_roster(roster_path, peers_per_branch=config.peers_per_branch)

    for folder in FOLDERS:
        (root / folder).mkdir(parents=True, exist_ok=True)
    scheme_target = root / config.scheme_file
    if scheme_path is not None and scheme_path.suffix.lower() in (".yaml", ".yml"):
        shutil.copyfile(scheme_path, scheme_target)  # keeps the maintainers' comments
    elif scheme_path is None:
        shutil.copyfile(default_scheme_path(language), scheme_target)
    else:
        scheme_target.write_text(dump_scheme_yaml(scheme), encoding="utf-8")
    shutil.copyfile(roster_path, root / config.roster_file)
    create_key(paths.key)
    # round.toml last: its presence marks a complete round.
    paths.config.write_text(toml_text, encoding="utf-8")
    opened = Round(paths, config, scheme, roster, read_key(paths.key))
    return InitResult(opened, warnings)
