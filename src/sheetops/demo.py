"""``sheetops demo``: a round on the sample roster, from nothing, in a new folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final

from sheetops.errors import RoundError
from sheetops.generate import GenerateResult, generate_scoresheets
from sheetops.workspace import InitResult, init_round

SAMPLE_ROSTER: Final = "roster.xlsx"
DEMO_ROUND_ID: Final = "demo-year-end"


def sample_roster_path() -> Path:
    """Return the path of the shipped sample roster."""
    return Path(str(resources.files("sheetops.samples") / SAMPLE_ROSTER))


@dataclass(frozen=True)
class DemoResult:
    """What the demo did."""

    init: InitResult
    generate: GenerateResult


def run_demo(root: Path, *, language: str = "zh-CN", today: dt.date | None = None) -> DemoResult:
    """Create a round on the sample roster in ``root`` and generate its packs.

    Args:
        root: a new or empty folder.
        language: the round's language.
        today: the round's start date (default today).

    Returns:
        What init and generate produced.

    Raises:
        RoundError: ``root`` exists and is not empty.
    """
    if root.exists() and (not root.is_dir() or any(root.iterdir())):
        raise RoundError("demo.exists", path=root)
    init = init_round(
        root,
        sample_roster_path(),
        language=language,
        round_id=DEMO_ROUND_ID,
        today=today,
    )
    return DemoResult(init, generate_scoresheets(init.round))
