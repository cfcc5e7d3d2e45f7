"""The staff console at province scale: the dashboard page and a 1,000-form .zip upload.

    python benchmarks/console.py --branches 1000 10000 --repeats 5 [--out RESULTS.json]

The round is the synthetic province of ``province.py`` (same roster, packs and filled returns,
fixed by its ``SEED``). Timed in this process through the ASGI client, so the figures are the
server's own time (no network):

- ``dashboard``: ``GET /rounds/{id}`` of a fully collected round, signed in; the first request
  (opening the round and reading its status) apart from the following ones (kept until the
  ledger changes);
- ``upload``: the whole inbox as .zip archives (up to 4,000 files each) in one
  ``POST /api/rounds/{id}/uploads``, side by side with ``collect_round`` over the same
  files in a fresh copy of the same round, in the same run: the upload should go at
  collect's speed (it is collect, plus the transfer, a spawned process and saving the
  upload).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import province  # the province round lives beside this script

ZIP_MEMBERS = 4000


def build(root: Path, branches: int) -> int:
    """A generated and filled province round at ``root``; returns the forms filled."""
    from sheetops.app.generate import generate_scoresheets
    from sheetops.app.init import init_round
    from sheetops.model.workspace import open_round

    roster = root.parent / "roster.xlsx"
    province.write_roster(roster, branches)
    init_round(root, roster, round_id="bench", today=province.TODAY)
    generate_scoresheets(open_round(root))
    return province.fill_round(root)


def timed(call: Any) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def bench(branches: int, repeats: int) -> dict[str, Any]:
    from starlette.testclient import TestClient

    from sheetops.app.accounts import add_token, add_user
    from sheetops.app.collect import collect_round
    from sheetops.model.workspace import open_round
    from sheetops.web.app import create_app

    with tempfile.TemporaryDirectory() as scratch:
        pristine = Path(scratch) / "pristine" / "bench"
        pristine.parent.mkdir()
        forms = build(pristine, branches)
        returned = sorted((pristine / "inbox").iterdir())
        files = len(returned)
        bundles = []  # .zip archives of at most ZIP_MEMBERS files (a .zip may hold 5,000)
        for start in range(0, files, ZIP_MEMBERS):
            bundle = Path(scratch) / f"returns-{start // ZIP_MEMBERS + 1}.zip"
            with zipfile.ZipFile(bundle, "w", zipfile.ZIP_STORED) as archive:
                for path in returned[start:start + ZIP_MEMBERS]:
                    archive.write(path, path.name)
            bundles.append(bundle)

        upload_s, collect_s = [], []
        for index in range(repeats):
            direct = Path(scratch) / f"direct-{index}" / "bench"
            shutil.copytree(pristine, direct)
            opened = open_round(direct)
            collect_s.append(timed(lambda opened=opened: collect_round(opened)))
            served = Path(scratch) / f"served-{index}" / "bench"
            shutil.copytree(pristine, served)
            add_user(served, "staff", "staff", "benchmark-password")
            token = add_token(served, "staff").secret
            client = TestClient(create_app(served))

            def send(client: TestClient = client, token: str = token) -> None:
                answer = client.post("/api/rounds/bench/uploads",
                                     headers={"authorization": f"Bearer {token}"},
                                     files=[("files", (b.name, b.read_bytes())) for b in bundles])
                assert answer.status_code == 200, answer.text
                assert len(answer.json()["files"]) == files

            upload_s.append(timed(send))
        served = Path(scratch) / "served-0" / "bench"
        first_s, warm_s = [], []
        for _ in range(repeats):
            client = TestClient(create_app(served))  # a fresh console: nothing kept yet
            token = add_token(served, "staff").secret
            headers = {"authorization": f"Bearer {token}"}

            def page(client: TestClient = client, headers: dict[str, str] = headers) -> None:
                answer = client.get("/rounds/bench", headers=headers)
                assert answer.status_code in (200, 303), answer.status_code

            first_s.append(timed(page))
            warm_s += [timed(page) for _ in range(5)]
    return {
        "branches": branches, "forms": forms, "files": files, "repeats": repeats,
        "dashboard_first_s": round(statistics.median(first_s), 3),
        "dashboard_s": round(statistics.median(warm_s), 3),
        "upload_s": round(statistics.median(upload_s), 3),
        "upload_forms_per_s": round(forms / statistics.median(upload_s), 1),
        "collect_s": round(statistics.median(collect_s), 3),
        "collect_forms_per_s": round(forms / statistics.median(collect_s), 1),
        "upload_vs_collect": round(statistics.median(collect_s) / statistics.median(upload_s),
                                   2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--branches", type=int, nargs="+", default=[100])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = {"machine": province.machine(),
               "runs": [bench(n, args.repeats) for n in args.branches]}
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
