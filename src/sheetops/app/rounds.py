"""The rounds of a workspace: a round folder, or a folder whose sub-folders are rounds.

Half-year, year-end and last year's rounds sit side by side, so ``[combine]`` and ``[compare]``
find each other; the console serves them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sheetops.core.errors import RoundError, SheetopsError
from sheetops.model.round import DEFAULT_TIMEZONE, RoundConfig, RoundPaths, read_round_config


@dataclass(frozen=True)
class RoundEntry:
    """A round of the workspace, or a folder that looks like one but cannot be read."""

    root: Path
    config: RoundConfig | None
    problem: SheetopsError | None = None

    @property
    def id(self) -> str:
        """The round's id (the folder's name when its settings cannot be read)."""
        return self.config.id if self.config else self.root.name


def list_rounds(workspace: Path) -> list[RoundEntry]:
    """Every round of ``workspace``: itself when it is a round, else its sub-folders that are.

    Rounds are listed newest deadline first; folders whose ``round.toml`` is damaged are listed
    too, with the problem, so staff see them instead of wondering where they went.

    Raises:
        RoundError: ``workspace`` is not a folder, or two rounds share an id.
    """
    if not workspace.is_dir():
        raise RoundError("workspace.missing", path=workspace)
    folders = ([workspace] if RoundPaths(workspace).config.is_file() else
               sorted(p for p in workspace.iterdir()
                      if p.is_dir() and RoundPaths(p).config.is_file()))
    entries = []
    for folder in folders:
        try:
            entries.append(RoundEntry(folder, read_round_config(folder)))
        except SheetopsError as problem:
            entries.append(RoundEntry(folder, None, problem))
    seen: dict[str, Path] = {}
    for entry in entries:
        if entry.id in seen:
            raise RoundError("workspace.duplicate-id", id=entry.id, first=seen[entry.id],
                             second=entry.root)
        seen[entry.id] = entry.root
    entries.sort(key=lambda e: (e.config is None,
                                -(e.config.deadline.toordinal() if e.config else 0), e.id))
    return entries


def workspace_zone(workspace: Path) -> ZoneInfo:
    """The time zone a workspace's times are shown in: its first readable round's
    (``[round] timezone``), else the default (Beijing time)."""
    try:
        zones = [e.config.zone for e in list_rounds(workspace) if e.config]
    except SheetopsError:
        zones = []
    return zones[0] if zones else ZoneInfo(DEFAULT_TIMEZONE)


def find_round(workspace: Path, round_id: str) -> RoundEntry:
    """The round ``round_id`` of ``workspace``.

    Raises:
        RoundError: there is no such round (or the workspace cannot be listed).
    """
    for entry in list_rounds(workspace):
        if entry.id == round_id:
            return entry
    raise RoundError("workspace.no-round", id=round_id)
