"""Generated documentation stays in step with the code."""

from __future__ import annotations

from pathlib import Path

from sheetops.core.issues import REGISTRY, render_issue_docs

ROOT = Path(__file__).resolve().parents[1]


def test_issue_docs_are_generated_from_the_registry() -> None:
    assert (ROOT / "docs" / "issues.md").read_text(encoding="utf-8") == render_issue_docs(), (
        "docs/issues.md is stale: run  python -m sheetops.core.issues > docs/issues.md")


def test_every_code_is_kebab_case_and_documented() -> None:
    page = (ROOT / "docs" / "issues.md").read_text(encoding="utf-8")
    for code in REGISTRY:
        assert code == code.lower() and " " not in code and "_" not in code
        assert f"`{code}`" in page
