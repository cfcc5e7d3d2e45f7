"""Drive a real LibreOffice from tests: fill workbooks as a Calc user would, render PDFs.

LibreOffice's Python bridge (``uno``) lives in the system interpreter (Debian's python3-uno),
not in the project's venv, so every UNO call runs in ``/usr/bin/python3 tests/lo_fill.py``.
The office listens on a named pipe only (no TCP port) and uses a throwaway profile.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Final

SYSTEM_PYTHON: Final = "/usr/bin/python3"
FILL_SCRIPT: Final = Path(__file__).with_name("lo_fill.py")
START_SECONDS: Final = 60.0
FILL_SECONDS: Final = 300.0
STOP_SECONDS: Final = 15.0
XLSX: Final = "Calc MS Excel 2007 XML"
XLS: Final = "MS Excel 97"
ODS: Final = "calc8"


def _system_env() -> dict[str, str]:
    """The environment for the system interpreter, without the venv's Python settings."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH")}
    env.setdefault("HOME", tempfile.gettempdir())
    return env


def soffice_available() -> bool:
    """Whether ``soffice`` is on PATH and the system Python can ``import uno``."""
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    try:
        probe = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=30,
            env=_system_env(), check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def _profile_url(directory: Path) -> str:
    """The ``-env:UserInstallation`` value for a profile kept in ``directory``."""
    return directory.resolve().as_uri()


class LibreOffice:
    """A headless LibreOffice listening on a private named pipe, for one test module.

    Use as a context manager::

        with LibreOffice() as office:
            office.fill([{"source": ..., "target": ..., "filter": XLSX, "cells": [...]}])
    """

    def __init__(self) -> None:
        self.pipe = f"sheetops_test_{os.getpid()}_{secrets.token_hex(4)}"
        self._workdir = Path(tempfile.mkdtemp(prefix="sheetops-lo-"))
        self._process: subprocess.Popen[bytes] | None = None
        self._jobs = 0

    # -- lifecycle -------------------------------------------------------------------------

    def __enter__(self) -> LibreOffice:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        """Start the office and wait (up to a minute) until the pipe answers.

        Raises:
            RuntimeError: the office exited or never answered; its output is in the message.
        """
        try:
            self._launch()
        except BaseException:
            self.stop()
            raise

    def _launch(self) -> None:
        """Start soffice on the pipe and poll with an empty job list until it answers."""
        log_path = self._workdir / "soffice.log"
        profile = self._workdir / "profile"
        command = [
            "soffice", "--headless", "--invisible", "--norestore", "--nolockcheck",
            "--nodefault", f"-env:UserInstallation={_profile_url(profile)}",
            f"--accept=pipe,name={self.pipe};urp;",
        ]
        # A session of its own: soffice (oosplash) forks soffice.bin, and the whole group
        # can then be ended by the id of the process started here.
        with log_path.open("wb") as log:
            process = self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                env=_system_env(), start_new_session=True,
            )
        deadline = time.monotonic() + START_SECONDS
        last = ""
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = log_path.read_text(errors="replace")
                raise RuntimeError(f"soffice exited with {process.returncode}: {output}")
            probe = self._run_script({"pipe": self.pipe, "jobs": []}, timeout=30)
            if probe.returncode == 0:
                return
            last = probe.stderr
            time.sleep(0.5)
        raise RuntimeError(f"LibreOffice did not answer on pipe {self.pipe}: {last}")

    def stop(self) -> None:
        """Ask the office to quit (desktop.terminate()), then wait; SIGTERM, SIGKILL if not."""
        process = self._process
        if process is not None:
            if process.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired, OSError):
                    self._run_script({"pipe": self.pipe, "jobs": [], "terminate": True},
                                     timeout=STOP_SECONDS)
                for sig in (None, signal.SIGTERM, signal.SIGKILL):
                    if sig is not None:
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(process.pid, sig)
                    try:
                        process.wait(timeout=STOP_SECONDS)
                        break
                    except subprocess.TimeoutExpired:
                        continue
            # soffice.bin may outlive oosplash for a moment; end whatever is left of the group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
            self._process = None
        shutil.rmtree(self._workdir, ignore_errors=True)

    # -- work ------------------------------------------------------------------------------

    def _run_script(self, document: dict[str, Any], *, timeout: float
                    ) -> subprocess.CompletedProcess[str]:
        """Write ``document`` as a jobs file and run lo_fill.py on it with the system Python."""
        self._jobs += 1
        path = self._workdir / f"jobs-{self._jobs}.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return subprocess.run(
            [SYSTEM_PYTHON, str(FILL_SCRIPT), str(path)], capture_output=True, text=True,
            timeout=timeout, env=_system_env(), check=False,
        )

    def fill(self, jobs: list[dict[str, Any]]) -> None:
        """Run fill jobs (see tests/lo_fill.py) in this office, all in one script call.

        Raises:
            RuntimeError: the office is not running or a job failed (with the script's output).
        """
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("LibreOffice is not running")
        result = self._run_script({"pipe": self.pipe, "jobs": jobs}, timeout=FILL_SECONDS)
        if result.returncode != 0:
            raise RuntimeError(
                f"lo_fill.py failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )


def to_pdf(path: Path, outdir: Path) -> Path:
    """Render a workbook to PDF with ``soffice --convert-to pdf`` and a throwaway profile.

    Returns:
        The PDF's path (``outdir/<stem>.pdf``).

    Raises:
        RuntimeError: soffice failed or wrote no PDF.
    """
    return to_pdfs([path], outdir)[0]


def to_pdfs(paths: list[Path], outdir: Path) -> list[Path]:
    """Render workbooks to PDF in one ``soffice --convert-to pdf`` run (their stems distinct).

    Returns:
        Each PDF's path (``outdir/<stem>.pdf``), in the order given.

    Raises:
        RuntimeError: soffice failed or wrote a PDF short.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sheetops-lo-pdf-") as profile:
        result = subprocess.run(
            ["soffice", "--headless", "--invisible", "--norestore", "--nolockcheck",
             f"-env:UserInstallation={_profile_url(Path(profile))}",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, paths)],
            capture_output=True, text=True, timeout=FILL_SECONDS, env=_system_env(),
            check=False, stdin=subprocess.DEVNULL,
        )
    pdfs = [outdir / f"{path.stem}.pdf" for path in paths]
    if result.returncode != 0 or not all(pdf.is_file() for pdf in pdfs):
        raise RuntimeError(
            f"soffice --convert-to pdf failed ({result.returncode}):\n{result.stdout}\n"
            f"{result.stderr}"
        )
    return pdfs
