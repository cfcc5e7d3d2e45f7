"""The benchmark scripts keep working (a tiny run, no timing assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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
    assert set(document["machine"]) >= {"cpu", "python", "XlsxWriter", "python-calamine",
                                        "commit"}
