"""Chart the province benchmark: time and peak memory against the number of branches.

    python benchmarks/chart.py b100.json b1000.json b10k.json --out benchmarks/province.png

Reads the JSON that ``benchmarks/province.py --out`` writes (one or more files, each with one
or more runs) and draws two panels on logarithmic axes: the median time of each phase, and
the peak memory of collect (its own process, and its sandboxed workers). A sampled baseline
(``--baseline-sample``) is drawn as the time the full loop would take at its measured rate,
and marked as such.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

PHASES = (
    ("collect", "collect (clean)", "tab:blue", "o-"),
    ("collect-messy", "collect (messy)", "tab:orange", "s-"),
    ("baseline", "baseline: pandas + openpyxl", "tab:gray", "^--"),
    ("generate", "generate", "tab:green", "d:"),
)


def load_runs(paths: list[Path]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Every run in ``paths``, by number of branches, and the first file's machine."""
    runs: list[dict[str, Any]] = []
    machine: dict[str, str] = {}
    for path in paths:
        document = json.loads(path.read_text("utf-8"))
        machine = machine or document["machine"]
        runs += document["runs"]
    return sorted(runs, key=lambda run: run["branches"]), machine


def phase_seconds(run: dict[str, Any], name: str) -> float | None:
    """The phase's median seconds over the whole round (a sampled baseline scaled up)."""
    found = run.get(name)
    if not found:
        return None
    if name == "baseline" and found.get("forms", run["forms"]) < run["forms"]:
        return float(run["forms"] / found["forms_per_s"])
    return float(found["median_s"])


def draw(runs: list[dict[str, Any]], machine: dict[str, str], target: Path) -> None:
    """Write the two-panel chart to ``target`` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.4), dpi=120)
    for name, label, colour, style in PHASES:
        points = [(run["branches"], seconds) for run in runs
                  if (seconds := phase_seconds(run, name)) is not None]
        if not points:
            continue
        sampled = name == "baseline" and any(
            run.get("baseline", {}).get("forms", run["forms"]) < run["forms"] for run in runs)
        times.plot(*zip(*points, strict=True), style, color=colour,
                   label=label + (" (largest: sampled, scaled)" if sampled else ""))
    times.set(xscale="log", yscale="log", xlabel="branches", ylabel="median seconds",
              title="Time (5 forms per branch)")
    times.grid(True, which="both", alpha=0.3)
    times.legend(fontsize=8)
    for name, label, colour, style in PHASES[:2]:
        own = [(run["branches"], run[name]["peak_mib"]) for run in runs if name in run]
        workers = [(run["branches"], run[name]["children_peak_mib"]) for run in runs
                   if name in run]
        if own:
            memory.plot(*zip(*own, strict=True), style, color=colour, label=f"{label}: process")
            memory.plot(*zip(*workers, strict=True), style, color=colour, alpha=0.45,
                        label=f"{label}: each worker")
    memory.axhline(300, color="tab:red", linestyle=":", linewidth=1, label="300 MB")
    memory.set(xscale="log", xlabel="branches", ylabel="peak RSS (MiB)",
               title="Peak memory of collect")
    memory.grid(True, which="both", alpha=0.3)
    memory.legend(fontsize=8)
    figure.suptitle(f"sheetops {machine.get('commit', '')} on {machine.get('cores', '?')} "
                    f"cores, {machine.get('cpu', '')}", fontsize=9)
    figure.tight_layout()
    figure.savefig(target)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", type=Path, nargs="+", help="province.py --out files")
    parser.add_argument("--out", type=Path, default=Path("province.png"))
    args = parser.parse_args()
    runs, machine = load_runs(args.results)
    draw(runs, machine, args.out)
    print(args.out)


if __name__ == "__main__":
    main()
