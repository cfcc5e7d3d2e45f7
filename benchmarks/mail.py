"""Reading returned mail: listing a message's attachments and opening every one of them.

    python benchmarks/mail.py --repeats 5 [--before OTHER_SRC] [--out RESULTS.json]

What collect's own process does with a message before the sandboxed workers see any file:
``message_items`` lists what the message carries, then each item is opened and read once (as
archiving does). Two fixed messages, their attachments random bytes from a committed seed:

- ``many``: 500 attachments of 30 KB (a branch office sending every pack back at once);
- ``large``: 60 attachments of 0.8 MB (48 MB of workbooks, 66 MB as mail).

Each repeat runs in a fresh process, timed from the call to the last byte read; peak memory is
that process's maximum RSS. With ``--before``, the same cases run side by side, in the same run
and alternating, against another version's ``src/`` folder (for instance the commit before a
change: ``git archive COMMIT src | tar -x -C DIR``, then ``--before DIR/src``).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SEED = 20261207
CASES = {"many": (500, 30_000), "large": (60, 800_000)}
HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def build_message(count: int, size: int) -> bytes:
    """A multipart/mixed message with ``count`` base64 attachments of ``size`` bytes each."""
    rng = random.Random(SEED)
    head = (b"From: dzb0101@dangjian.example.cn\r\nTo: khb@dangjian.example.cn\r\n"
            b"Subject: returns\r\nDate: Mon, 30 Nov 2026 10:15:00 +0800\r\n"
            b"Message-ID: <bench@client.example.cn>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n'
            b"--=_b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nattached\r\n")
    parts = [head]
    for index in range(count):
        data = rng.randbytes(size)
        parts.append(b"--=_b\r\nContent-Type: application/octet-stream\r\n"
                     b'Content-Disposition: attachment; filename="%04d.xlsx"\r\n'
                     b"Content-Transfer-Encoding: base64\r\n\r\n" % index
                     + base64.encodebytes(data).replace(b"\n", b"\r\n"))
    parts.append(b"--=_b--\r\n")
    return b"".join(parts)


def child(case: str) -> None:
    """Time one case in this process and print ``{"seconds", "max_rss_mib", "items"}``."""
    import datetime as dt
    import resource  # only where the benchmark runs: POSIX

    from sheetops.mail.inbound.messages import message_items

    raw = build_message(*CASES[case])
    start = time.perf_counter()
    items = message_items(lambda: raw, "bench.eml", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    read = 0
    for item in items:
        with item.open() as handle:
            while chunk := handle.read(1 << 20):
                read += len(chunk)
    seconds = time.perf_counter() - start
    count, size = CASES[case]
    assert (len(items), read) == (count, count * size), (len(items), read)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"seconds": seconds, "max_rss_mib": rss, "items": len(items),
                      "message_mib": len(raw) / 2**20}))


def run(src: Path, case: str) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([sys.executable, __file__, "--child", case], env=environment,
                          capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    times = [r["seconds"] for r in runs]
    return {"median_s": statistics.median(times), "min_s": min(times),
            "max_rss_mib": max(r["max_rss_mib"] for r in runs),
            "message_mib": runs[0]["message_mib"], "repeats": len(runs)}


def machine() -> dict[str, str]:
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
                                text=True, cwd=HERE).stdout.strip()
    except OSError:
        commit = "unknown"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "os": platform.platform(),
            "python": platform.python_version(), "commit": commit}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cases", nargs="+", choices=list(CASES), default=list(CASES))
    parser.add_argument("--before", type=Path, help="another version's src/ folder")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--child", choices=list(CASES), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.child)
        return
    versions = {"after": SRC, **({"before": arguments.before} if arguments.before else {})}
    document: dict[str, Any] = {"machine": machine(), "seed": SEED, "cases": {}}
    for case in arguments.cases:
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in versions}
        for _ in range(arguments.repeats):
            for name, src in versions.items():  # alternating, so both see the same machine
                runs[name].append(run(src, case))
        count, size = CASES[case]
        document["cases"][case] = {"attachments": count, "attachment_bytes": size,
                                   **{name: summary(r) for name, r in runs.items()}}
        figures = "  ".join(f"{name}: {summary(r)['median_s']:.3f} s (min "
                            f"{summary(r)['min_s']:.3f}), {summary(r)['max_rss_mib']:.0f} MiB"
                            for name, r in runs.items())
        print(f"{case}: {count} × {size / 1000:g} KB  {figures}")
    if arguments.out:
        arguments.out.write_text(json.dumps(document, indent=2), "utf-8")


if __name__ == "__main__":
    main()
