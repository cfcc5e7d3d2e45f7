"""A synthetic province round: generate, fill, collect, rank — timed, with the usual baseline.

    python benchmarks/province.py --branches 1000 --repeats 3 [--out RESULTS.json]

N branches × (self + 3 peers) + inspectors: 10 of them up to 1,000 branches (each inspecting
N/10), then one per 100 branches, so an inspector's pack never holds more than 100 forms.
``generate`` also writes every branch's work handbook. Filling is done outside the timed part
by typing the scores straight into the sheet XML (with correct cached totals, as Excel saves
them). Each timed phase runs in a fresh subprocess so its peak memory is its own. The baseline
is what a committee script does today: a loop of
``pandas.read_excel(path, sheet_name=None, engine="openpyxl")`` over the same returned files
(``--baseline-sample K``: over K of them, chosen by ``SEED``, for provinces where the full loop
would take most of an hour; its rate is then forms per second over the sample).

``--messy`` also collects a copy of the same round filled as secretaries fill it: every lowered
score without its deduction note (``note-missing``), and one form in twenty, chosen by ``SEED``,
with a score typed as text (``score-not-number``: that form is rejected). Its collects take
turns with the clean ones, so that both meet the machine in the same state.

The inputs are fixed by ``SEED``; the machine, versions and commit are recorded with the results.
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

SEED = 20261127
TODAY = dt.date(2026, 11, 27)


def inspectors_for(branches: int) -> int:
    """10 inspectors up to 1,000 branches, then one per 100 branches."""
    return max(10, -(-branches // 100))


def write_roster(path: Path, branches: int) -> None:
    """A roster of ``branches`` branches and their inspectors, written with XlsxWriter."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("branches")
    for col, title in enumerate(("code", "name", "secretary", "email")):
        sheet.write_string(0, col, title)
    codes = [f"{i:05d}" for i in range(1, branches + 1)]
    for row, code in enumerate(codes, start=1):
        for col, value in enumerate((code, f"第{int(code)}党支部", f"书记{int(code)}",
                                     f"b{code}@example.org")):
            sheet.write_string(row, col, value)
    sheet = book.add_worksheet("inspectors")
    for col, title in enumerate(("code", "name", "email", "branches")):
        sheet.write_string(0, col, title)
    inspectors = inspectors_for(branches)
    share = max(1, -(-branches // inspectors))
    for index in range(inspectors):
        mine = codes[index * share:(index + 1) * share]
        values = (f"X{index + 1:03d}", f"第{index + 1}巡查组", f"x{index + 1}@example.org",
                  ",".join(mine))
        for col, value in enumerate(values):
            sheet.write_string(index + 1, col, value)
    book.close()


_BLANK_INPUT = re.compile(r'<c r="([FG])(\d+)" s="(\d+)"/>')
_SUM_RANGE = re.compile(r'<c r="F(\d+)" s="(\d+)"><f>SUM\(F(\d+):F(\d+)\)</f><v>0</v></c>')
_SUM_LIST = re.compile(r'<c r="F(\d+)" s="(\d+)"><f>SUM\(([F0-9,]+)\)</f><v>0</v></c>')


def fill_pack(source: Path, target: Path, scores: dict[str, dict[int, float]],
              maxima: dict[str, dict[int, float]], vetoes: dict[str, set[int]],
              sheets: list[str], *, noted: bool = True,
              errors: dict[str, int] | None = None) -> None:
    """Type scores and 否 answers into a generated pack's sheet XML, with cached totals.

    ``noted``: every lowered score gets its deduction note (else none does, as secretaries
    fill them); ``errors``: a sheet's row whose score is typed as the text 很好 instead.
    """
    errors = errors or {}
    with zipfile.ZipFile(source) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    for number, sheet in enumerate(sheets, start=1):
        name = f"xl/worksheets/sheet{number}.xml"
        xml = parts[name].decode("utf-8")
        values = scores[sheet]
        answer_rows = vetoes[sheet]
        wrong = errors.get(sheet)

        def blank(match: re.Match[str], values: dict[int, float] = values,
                  answer_rows: set[int] = answer_rows, maxima: dict[int, float] = maxima[
                      sheet], wrong: int | None = wrong) -> str:
            column, row, style = match.group(1), int(match.group(2)), match.group(3)
            text = None
            if column == "F" and row == wrong:
                text = "很好"
            elif column == "F" and row in values:
                return f'<c r="F{row}" s="{style}"><v>{values[row]:g}</v></c>'
            if column == "F" and row in answer_rows:
                text = "否"
            elif noted and column == "G" and row in values and values[row] < maxima[row]:
                text = "台账记录不全"
            if text is None:
                return match.group(0)
            return f'<c r="{column}{row}" s="{style}" t="inlineStr"><is><t>{text}</t></is></c>'

        xml = _BLANK_INPUT.sub(blank, xml)
        subtotals: dict[int, float] = {}

        def subtotal(match: re.Match[str], values: dict[int, float] = values,
                     subtotals: dict[int, float] = subtotals) -> str:
            row, style, first, last = (int(match.group(i)) for i in range(1, 5))
            value = sum(values.get(r, 0.0) for r in range(first, last + 1))
            subtotals[row] = value
            return (f'<c r="F{row}" s="{style}"><f>SUM(F{first}:F{last})</f>'
                    f"<v>{value:g}</v></c>")

        xml = _SUM_RANGE.sub(subtotal, xml)

        def total(match: re.Match[str], subtotals: dict[int, float] = subtotals) -> str:
            row, style, refs = int(match.group(1)), match.group(2), match.group(3)
            value = sum(subtotals.get(int(ref[1:]), 0.0) for ref in refs.split(","))
            return f'<c r="F{row}" s="{style}"><f>SUM({refs})</f><v>{value:g}</v></c>'

        parts[name] = _SUM_LIST.sub(total, xml).encode("utf-8")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def fill_round(root: Path, *, messy: bool = False) -> int:
    """Fill every generated pack into the inbox; return the number of forms.

    ``messy``: as secretaries fill them: every lowered score without its note, and one form in
    twenty (chosen by ``SEED``) with a score typed as text (an error: the form is rejected).
    The scores are the same either way.
    """
    from sheetops.layout.packs import read_manifest
    from sheetops.layout.scoresheet import scoresheet_layout
    from sheetops.model.workspace import open_round

    round_ = open_round(root)
    rng = random.Random(SEED)
    rows = read_manifest(round_.paths.manifest) or []
    by_file: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_file.setdefault(row["file"], []).append(row)
    layouts = {role: scoresheet_layout(round_.scheme, role) for role in ("self", "peer",
                                                                          "inspector")}
    wrong = set(random.Random(SEED + 1).sample(range(len(rows)), len(rows) // 20)) if messy \
        else set()
    numbers = {row["form_id"]: index for index, row in enumerate(rows)}
    for file, forms in by_file.items():
        scores: dict[str, dict[int, float]] = {}
        maxima: dict[str, dict[int, float]] = {}
        vetoes: dict[str, set[int]] = {}
        for form in forms:
            layout = layouts[form["role"]]
            maxima[form["sheet"]] = {layout.score_rows[item.id] + 1: float(item.max)
                                for item in round_.scheme.items}
            scores[form["sheet"]] = {
                layout.score_rows[item.id] + 1: float(item.max) - 0.5 * rng.choice((0, 0, 0, 1))
                for item in round_.scheme.items
            }
            vetoes[form["sheet"]] = {row + 1 for row in layout.veto_rows.values()}
        errors = {form["sheet"]: layout.score_rows[round_.scheme.items[0].id] + 1
                  for form in forms if numbers[form["form_id"]] in wrong
                  for layout in (layouts[form["role"]],)}
        fill_pack(root / "outbox" / file, root / "inbox" / Path(file).name, scores, maxima,
                  vetoes, [form["sheet"] for form in forms], noted=not messy, errors=errors)
    return len(rows)


def baseline_files(root: Path, sample: int | None) -> list[Path]:
    """The returned files the baseline reads: all, or ``sample`` of them chosen by ``SEED``."""
    files = sorted((root / "inbox").iterdir())
    if sample is None or sample >= len(files):
        return files
    return sorted(random.Random(SEED).sample(files, sample))


def phase(name: str, root: Path, sample: int | None = None) -> dict[str, Any]:
    """Run one timed phase in this process; return seconds and peak memory."""
    started = time.perf_counter()
    count: Any = None
    extra: dict[str, Any] = {}
    if name == "generate":
        from sheetops.app.generate import generate_scoresheets
        from sheetops.model.workspace import open_round

        generated = generate_scoresheets(open_round(root))
        count = generated.form_count
        extra["handbooks"] = len(generated.handbooks)
    elif name in ("collect", "collect-messy"):
        from sheetops.app.collect import collect_round
        from sheetops.model.workspace import open_round

        report = collect_round(open_round(root))
        count = sum(len(f.forms) for f in report.files)
        statuses = report.counts()
        extra["issues"] = sum(len(f.issues) for f in report.files)
        extra["codes"] = dict(sorted(Counter(i.code for f in report.files
                                             for i in f.issues).items()))
        extra["statuses"] = dict(statuses)
        if name == "collect" and set(statuses) != {"accepted"}:
            first = next(f for f in report.files if f.status != "accepted")
            raise SystemExit(f"not all accepted: {statuses}; {first.record.name}: "
                             f"{[(i.sheet, i.cell, i.code) for i in first.issues][:5]}")
    elif name == "rank":
        from sheetops.app.rank import rank_round
        from sheetops.model.workspace import open_round

        count = len(rank_round(open_round(root)).results)
    elif name == "baseline":
        import pandas

        count = 0
        files = baseline_files(root, sample)
        for path in files:
            frames = pandas.read_excel(path, sheet_name=None, engine="openpyxl")
            count += len(frames) - 1  # every sheet but _meta is a form
        extra["files"] = len(files)
    else:
        raise SystemExit(f"unknown phase {name}")
    seconds = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU: this process's and its workers' user + system time, imports included; on a
    # shared machine it moves less than the wall time does.
    cpu = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    return {"seconds": seconds, "cpu_s": round(cpu, 3), "count": count,
            "peak_mib": round(own.ru_maxrss / 1024, 1),
            "children_peak_mib": round(children.ru_maxrss / 1024, 1),
            "load": round(os.getloadavg()[0], 1), **extra}


def run_phase(name: str, root: Path, sample: int | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", name, str(root),
         *(["--baseline-sample", str(sample)] if sample is not None else [])],
        capture_output=True, text=True,
    )
    if done.returncode:
        raise SystemExit(f"phase {name} failed:\n{done.stderr}")
    output = done.stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def reset_collect(root: Path) -> None:
    """Forget what was collected (ledger, archive, reports) so collect can run again."""
    for name in ("ledger.sqlite", "ledger.sqlite-wal", "ledger.sqlite-shm"):
        (root / ".sheetops" / name).unlink(missing_ok=True)
    shutil.rmtree(root / "archive", ignore_errors=True)
    (root / "archive").mkdir()


def machine() -> dict[str, str]:
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        commit = "unknown"
    return {
        "cpu": cpu, "cores": str(os.cpu_count()), "os": platform.platform(),
        "python": platform.python_version(), "commit": commit,
        **{name: version(name) for name in ("openpyxl", "XlsxWriter", "python-calamine",
                                             "pandas")},
    }


def benchmark(branches: int, repeats: int, baseline: bool,
              sample: int | None = None, messy: bool = False) -> dict[str, Any]:
    from sheetops.app.init import init_round

    with tempfile.TemporaryDirectory() as scratch:
        roster = Path(scratch) / "roster.xlsx"
        write_roster(roster, branches)
        root = Path(scratch) / "round"
        init_round(root, roster, round_id="bench", today=TODAY)
        runs: dict[str, list[dict[str, Any]]] = {"generate": [], "collect": [], "rank": [],
                                                 "baseline": [], "collect-messy": []}
        for _ in range(repeats):
            runs["generate"].append(run_phase("generate", root))
        messy_root = Path(scratch) / "round-messy"
        if messy:  # the same round and scores, filled as secretaries do
            shutil.copytree(root, messy_root)
            fill_round(messy_root, messy=True)
        forms = fill_round(root)
        # Clean and messy collects take turns, so that both meet the same machine.
        for index in range(repeats):
            if index:
                reset_collect(root)
            runs["collect"].append(run_phase("collect", root))
            if messy:
                reset_collect(messy_root)
                runs["collect-messy"].append(run_phase("collect-messy", messy_root))
        for _ in range(repeats):
            runs["rank"].append(run_phase("rank", root))
        if baseline:
            for _ in range(repeats):
                runs["baseline"].append(run_phase("baseline", root, sample))
        files = len(list((root / "inbox").iterdir()))
    summary: dict[str, Any] = {"branches": branches, "forms": forms, "files": files,
                               "repeats": repeats}
    for name, results in runs.items():
        if not results:
            continue
        seconds = [r["seconds"] for r in results]
        counted = results[0]["count"] if name == "baseline" else forms
        summary[name] = {
            "median_s": round(statistics.median(seconds), 3),
            "min_s": round(min(seconds), 3),
            "forms_per_s": round(counted / statistics.median(seconds), 1),
            "median_cpu_s": round(statistics.median(r["cpu_s"] for r in results), 3),
            "load": [r["load"] for r in results],
            "peak_mib": max(r["peak_mib"] for r in results),
            "children_peak_mib": max(r["children_peak_mib"] for r in results),
        }
        if name == "generate":
            summary[name]["handbooks"] = results[0]["handbooks"]
        if name == "baseline":
            summary[name].update(forms=counted, files=results[0]["files"])
        if name.startswith("collect"):
            summary[name].update(issues=results[0]["issues"], codes=results[0]["codes"],
                                 statuses=results[0]["statuses"])
    if baseline:
        for name in ("collect", "collect-messy"):
            if name in summary:
                summary[f"{name.replace('-', '_')}_vs_baseline"] = round(
                    summary[name]["forms_per_s"] / summary["baseline"]["forms_per_s"], 1)
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, nargs="+", default=[100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--baseline-sample", type=int, metavar="K",
                        help="time the baseline over K returned files chosen by SEED")
    parser.add_argument("--messy", action="store_true",
                        help="collect the same round again, filled as secretaries do: every "
                             "lowered score without its note, one form in twenty with an error")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--phase", nargs=2, metavar=("NAME", "ROUND"))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase[0], Path(args.phase[1]), args.baseline_sample)))
        return
    # Time the package as installed: compiled, as pip compiles it (an editable install is not).
    import sheetops

    compileall.compile_dir(Path(sheetops.__file__).parent, quiet=1)
    results = {"machine": machine(), "runs": [
        benchmark(n, args.repeats, not args.no_baseline, args.baseline_sample, args.messy)
        for n in args.branches]}
    text = json.dumps(results, ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
