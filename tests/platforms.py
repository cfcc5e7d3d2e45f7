"""Which ways of isolating workers this platform can do, and whether the run is simulated."""

from __future__ import annotations

import sys

from sheetops.core.platform import FORK, RLIMIT, SPAWN, WATCHDOG, WorkerIsolation


def available_isolations() -> list[WorkerIsolation]:
    """Every start method × memory guard this platform can do (on Linux all four; on the
    simulated Windows only spawn under the watchdog)."""
    found = []
    for start in (FORK, SPAWN):
        for guard in (RLIMIT, WATCHDOG):
            try:
                found.append(WorkerIsolation(start, guard))
            except ValueError:
                continue
    return found


def simulated_windows() -> bool:
    """Whether this process runs on the simulated Windows (tests/simulated_windows)."""
    return getattr(sys.modules.get("sitecustomize"), "SIMULATED", None) == "windows"


ISOLATIONS = available_isolations()
ISOLATION_IDS = [isolation.name for isolation in ISOLATIONS]
