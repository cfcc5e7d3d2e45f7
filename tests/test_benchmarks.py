"""The benchmark scripts keep working (a tiny run, no timing assertions)."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def test_province_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "province.py"), "--branches", "20",
                    "--repeats", "1", "--out", str(out)], check=True, capture_output=True,
                   timeout=300)
    document = json.loads(out.read_text("utf-8"))
    [run] = document["runs"]
    assert (run["branches"], run["forms"], run["files"]) == (20, 20 * 4 + 20, 20 + 10)
    for phase in ("generate", "collect", "rank", "baseline"):
        assert run[phase]["median_s"] > 0
        assert run[phase]["median_cpu_s"] > 0 and len(run[phase]["load"]) == 1
    assert run["generate"]["handbooks"] == 20
    assert (run["baseline"]["forms"], run["baseline"]["files"]) == (20 * 4 + 20, 20 + 10)
    assert set(document["machine"]) >= {"cpu", "python", "XlsxWriter", "python-calamine",
                                        "commit"}


def test_province_benchmark_messy_smoke(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "province.py"), "--branches", "20",
                    "--repeats", "1", "--no-baseline", "--messy", "--out", str(out)],
                   check=True, capture_output=True, timeout=300)
    [run] = json.loads(out.read_text("utf-8"))["runs"]
    assert run["collect"]["issues"] == 0 and run["collect"]["statuses"] == {"accepted": 30}
    messy = run["collect-messy"]
    assert messy["median_s"] > 0
    # one form in twenty (100 forms) has a score typed as text; every lowered score lacks
    # its note
    assert messy["codes"]["score-not-number"] == 5
    assert set(messy["codes"]) == {"note-missing", "score-not-number"}
    assert messy["codes"]["note-missing"] > 100
    chart = tmp_path / "chart.png"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "chart.py"), str(out),
                    "--out", str(chart)], check=True, capture_output=True, timeout=120)
    assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def load_province() -> ModuleType:
    spec = importlib.util.spec_from_file_location("province", ROOT / "benchmarks" / "province.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_inspectors_grow_with_the_province_and_the_baseline_can_sample(tmp_path: Path) -> None:
    province = load_province()
    assert [province.inspectors_for(n) for n in (20, 1000, 1001, 10000)] == [10, 10, 11, 100]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for index in range(30):
        (inbox / f"{index:02d}.xlsx").write_bytes(b"")
    everything = province.baseline_files(tmp_path, None)
    assert everything == sorted(inbox.iterdir())
    sample = province.baseline_files(tmp_path, 7)
    assert len(sample) == 7 and set(sample) < set(everything) and sample == sorted(sample)
    assert province.baseline_files(tmp_path, 7) == sample  # the same files every run


def test_console_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "console.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "console.py"), "--branches", "20",
                    "--repeats", "1", "--out", str(out)], check=True, capture_output=True,
                   timeout=300)
    [run] = json.loads(out.read_text("utf-8"))["runs"]
    assert (run["branches"], run["forms"], run["files"]) == (20, 20 * 4 + 20, 20 + 10)
    for figure in ("dashboard_first_s", "dashboard_s", "upload_s", "collect_s"):
        assert run[figure] > 0


def test_mail_benchmark_smoke(tmp_path: Path) -> None:
    out = tmp_path / "mail.json"
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "mail.py"), "--cases", "many",
                    "--repeats", "1", "--out", str(out)], check=True, capture_output=True,
                   timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    document = json.loads(out.read_text("utf-8"))
    case = document["cases"]["many"]
    assert (case["attachments"], case["attachment_bytes"], case["after"]["repeats"]) == (
        500, 30_000, 1)
    assert case["after"]["median_s"] > 0 and "before" not in case
    assert set(document["machine"]) >= {"cpu", "python", "commit"}
