"""docs/json.md shows what ``collect``, ``status``, ``rank`` and ``verify --json`` print: a
test keeps the examples equal to the commands' output on the demo round.

Set ``SHEETOPS_WRITE_DOCS=1`` to rewrite the examples from the current output (then review the
diff: a changed example is a changed contract, and belongs in the changelog).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheetops.app.collect import collect_round
from sheetops.app.demo import DEMO_ROUND_ID, sample_roster_path, simulate_returns
from sheetops.app.generate import generate_scoresheets
from sheetops.app.init import init_round
from sheetops.cli.main import main

DOCS = Path(__file__).resolve().parents[1] / "docs" / "json.md"
SHA256 = re.compile(r"\b[0-9a-f]{64}\b")
ARCHIVED = re.compile(r"archive/[0-9a-f]{2}/<sha256>")
BLOCK = re.compile(r"(<!-- example: (\w+) -->\n```json\n)(.*?)(```)", re.S)


def abridged(value: Any, root: str) -> Any:
    """The first two entries of every list; hashes and the round's own path hidden."""
    if isinstance(value, list):
        return [abridged(v, root) for v in value[:2]]
    if isinstance(value, dict):
        return {k: abridged(v, root) for k, v in value.items()}
    if isinstance(value, str):
        local = value.replace(root + os.sep, "").replace(root, ".")
        return ARCHIVED.sub("archive/<sha256>", SHA256.sub("<sha256>", local))
    return value


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("json") / "sheetops-demo"
    init = init_round(root, sample_roster_path(), round_id=DEMO_ROUND_ID,
                      today=dt.date(2026, 11, 27))
    generated = generate_scoresheets(init.round)
    start = dt.datetime.combine(init.round.config.deadline - dt.timedelta(days=3),
                                dt.time(9, 0), dt.UTC)
    simulate_returns(init.round, generated.packs, start)
    found = {}
    # The returns were dropped into the inbox: they arrive when collect first sees them.
    seen = dt.datetime.combine(init.round.config.deadline, dt.time(10, 0), dt.UTC)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sheetops.cli.collect.collect_round",
                      functools.partial(collect_round, now=seen))
        for command in ("collect", "status", "rank", "verify"):
            result = CliRunner().invoke(main, [command, str(root), "--json"])
            assert result.exit_code == 0, result.output
            document = json.loads(result.stdout)  # one document, nothing else on stdout
            found[command] = json.dumps(abridged(document, str(root)), ensure_ascii=False,
                                        indent=2) + "\n"
    return found


def test_the_examples_in_the_docs_are_what_the_commands_print(documents: dict[str, str]
                                                              ) -> None:
    page = DOCS.read_text(encoding="utf-8")
    if os.environ.get("SHEETOPS_WRITE_DOCS"):
        page = BLOCK.sub(lambda m: m.group(1) + documents[m.group(2)] + m.group(4), page)
        DOCS.write_text(page, encoding="utf-8")
    shown = {m.group(2): masked(json.loads(m.group(3))) for m in BLOCK.finditer(page)}
    assert shown == {command: masked(json.loads(d)) for command, d in documents.items()}


def masked(value: Any) -> Any:
    """A file's size moves by a few bytes with the second it was saved: compare the rest."""
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, dict):
        return {k: None if k == "size" else masked(v) for k, v in value.items()}
    return value


def test_every_top_level_field_is_described(documents: dict[str, str]) -> None:
    page = DOCS.read_text(encoding="utf-8")
    for command, document in documents.items():
        section = page.split(f"## `sheetops {command} ROUND_DIR --json`", 1)[1].split("## ", 1)[0]
        for field in json.loads(document):
            assert f"`{field}" in section, (command, field)
