"""Shared fixtures: rosters written as real workbooks, and a generated sample round."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import openpyxl
import pytest

from sheetops.app.demo import sample_roster_path
from sheetops.app.generate import GenerateResult, generate_scoresheets
from sheetops.app.init import init_round
from sheetops.model.workspace import Round, open_round

from .mailservers import Certificate, ImapServer, make_certificate, running_dovecot
from .platforms import simulated_windows

TODAY = dt.date(2026, 11, 27)
NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)

Row = Sequence[object]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--simulated-windows", action="store_true",
                     help="require the simulated Windows of tests/simulated_windows "
                          "(./dev test-windows runs it)")


@pytest.fixture(autouse=True)
def _commands_speak_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line speaks Chinese whatever the machine's locale (tests of the choice
    itself set the environment they mean)."""
    monkeypatch.setenv("SHEETOPS_LANG", "zh-CN")


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--simulated-windows"):
        return
    if not simulated_windows() or not sys.flags.warn_default_encoding:
        raise pytest.UsageError(
            "--simulated-windows needs tests/simulated_windows on PYTHONPATH and "
            "PYTHONWARNDEFAULTENCODING=1 (run: ./dev test-windows)")
    # An open() without an encoding fails in sheetops (Windows would read GBK); other
    # libraries' are theirs to fix.
    config.addinivalue_line("filterwarnings", "ignore::EncodingWarning")
    config.addinivalue_line("filterwarnings", "error::EncodingWarning:sheetops")


def write_roster(
    path: Path,
    branches: Sequence[Row],
    inspectors: Sequence[Row] = (("X01", "巡查组", "x01@example.org", ""),),
    peers: Sequence[Row] | None = None,
    *,
    branch_header: Row = ("code", "name", "secretary", "email"),
    inspector_header: Row = ("code", "name", "email", "branches"),
    peer_header: Row = ("rater", "target"),
) -> Path:
    """Write a roster workbook with openpyxl (codes as text) and return its path."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "branches"
    sheet.append(list(branch_header))
    for row in branches:
        sheet.append(list(row))
    sheet = book.create_sheet("inspectors")
    sheet.append(list(inspector_header))
    for row in inspectors:
        sheet.append(list(row))
    if peers is not None:
        sheet = book.create_sheet("peers")
        sheet.append(list(peer_header))
        for row in peers:
            sheet.append(list(row))
    book.save(path)
    return path


def branches(count: int) -> list[tuple[str, str, str, str]]:
    """``count`` plausible branches with codes 0001…"""
    return [
        (f"{i:04d}", f"第{i}党支部", f"书记{i}", f"b{i:04d}@example.org")
        for i in range(1, count + 1)
    ]


@pytest.fixture(scope="session")
def sample_round(tmp_path_factory: pytest.TempPathFactory) -> tuple[Round, GenerateResult]:
    """The sample roster's round, generated once for the whole session (read-only!)."""
    root = tmp_path_factory.mktemp("sample") / "2026-year-end"
    result = init_round(root, sample_roster_path(), today=TODAY)
    return result.round, generate_scoresheets(result.round, now=NOW)


@pytest.fixture
def fresh(sample_round: tuple[Round, GenerateResult], tmp_path: Path) -> Round:
    """A private copy of the generated sample round, to collect into."""
    root = tmp_path / "round"
    shutil.copytree(sample_round[0].paths.root, root)
    return open_round(root)


# -- mail servers (started once per test module that asks for them) -------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A throw-away CA and server certificate for the loopback mail servers."""
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="module")
def imap(certificate: Certificate) -> Iterator[ImapServer]:
    """A real Dovecot IMAP server on 127.0.0.1."""
    with running_dovecot(certificate) as server:
        yield server
