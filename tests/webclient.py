"""Helpers for the console tests: a round with accounts, signed-in clients, CSRF tokens."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from sheetops.app.accounts import add_user
from sheetops.app.generate import GenerateResult
from sheetops.model.workspace import Round, open_round
from sheetops.web.app import create_app

PASSWORD = "正确的密码-2026"
ACCOUNTS = {"admin": "管理员甲", "staff": "工作人员乙", "viewer": "委员丙"}
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


def console_round(sample: tuple[Round, GenerateResult], folder: Path) -> Round:
    """A private copy of the generated sample round with one account per role."""
    root = folder / "2026-year-end"
    shutil.copytree(sample[0].paths.root, root)
    for role, name in ACCOUNTS.items():
        add_user(root, name, role, PASSWORD)
    return open_round(root)


def client(round_: Round, **options: object) -> TestClient:
    """A browser-like client of the console serving ``round_``'s folder."""
    return TestClient(create_app(round_.paths.root, **options),  # type: ignore[arg-type]
                      follow_redirects=False)


def csrf(browser: TestClient, page: str = "/login") -> str:
    """The CSRF token a form on ``page`` carries."""
    found = CSRF.search(browser.get(page).text)
    assert found is not None, page
    return found.group(1)


def signed_in(round_: Round, role: str) -> TestClient:
    """A client signed in with the account of ``role``."""
    browser = client(round_)
    answer = browser.post("/login", data={"csrftoken": csrf(browser), "name": ACCOUNTS[role],
                                          "password": PASSWORD, "next": "/rounds"})
    assert answer.status_code == 303, answer.text
    return browser


def visible_text(html: str) -> str:
    """A page's text, tags removed and blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
