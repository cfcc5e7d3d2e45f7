"""The message catalog: every key in every language with the same placeholders, none unused."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from sheetops.core.catalog import CATALOG, LANGUAGES

SRC = Path(__file__).resolve().parents[1] / "src" / "sheetops"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_every_language_with_the_same_placeholders(key: str) -> None:
    templates = CATALOG[key]
    assert set(templates) == set(LANGUAGES)
    assert all(templates[lang].strip() or key.startswith("join.") for lang in LANGUAGES), key
    assert placeholders(templates["zh-CN"]) == placeholders(templates["en"]), key


def literal_keys() -> tuple[set[str], set[str]]:
    """Every string constant in the package, and the constant heads of its f-strings
    (``f"status.kind.{kind}"`` → ``status.kind.``), which name families of keys; the same
    for the keys the console's templates name."""
    constants: set[str] = set()
    heads: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "catalog" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    heads.add(first.value)
    for path in SRC.rglob("*.html"):  # the console's templates: t("key") and t("prefix." ~ …)
        page = path.read_text(encoding="utf-8")
        constants.update(re.findall(r"""t\(\s*["']([^"']+)["']\s*[,)]""", page))
        heads.update(re.findall(r"""t\(\s*["']([^"']+\.)["']\s*~""", page))
    return constants, heads


def test_no_key_is_unused() -> None:
    constants, heads = literal_keys()
    # Components of the forms and reports name their keys relative to a prefix of their own
    # (``self.t("col.key")`` in the summary is ``summary.col.key``): those prefixes are here.
    prefixes = ("summary.", "feedback.", "records.", "handbook.", "rejections.", "mail.")
    unused = sorted(
        key for key in CATALOG
        if key not in constants
        and not any(key.startswith(head) for head in heads if "." in head)
        and not any(key.startswith(p) and key[len(p):] in constants for p in prefixes)
        and not key.startswith(("issue.", "issue-group.", "field."))
    )
    assert unused == []
