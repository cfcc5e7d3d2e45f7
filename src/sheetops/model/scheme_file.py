"""Scheme files: YAML (text, diffable) and the staff's editable Excel workbook.

Both readers produce a located document for :func:`sheetops.model.scheme.build_scheme`, so a problem
in either format points at a line (``scheme.yaml:42``) or a cell (``考核项目!F9``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Final

import xlsxwriter
import yaml

from sheetops.core.errors import Problem, SchemeError, SchemeFileError
from sheetops.core.i18n import text
from sheetops.model.located import WHERE
from sheetops.model.scheme import Scheme, build_scheme, plain_number
from sheetops.model.tables import find_sheet, read_records, read_sheets

DEFAULT_SCHEMES: Final = {"zh-CN": "default.zh-CN.yaml", "en": "default.en.yaml"}
# Header and sheet aliases are (English, Chinese); an exported workbook uses its language's.
_ALIAS_INDEX: Final = {"en": 0, "zh-CN": 1}


def default_scheme_path(lang: str) -> Path:
    """Return the path of the shipped default scheme for ``lang``."""
    root = resources.files("sheetops.workbook_templates") / "schemes" / DEFAULT_SCHEMES[lang]
    return Path(str(root))


# -- YAML ---------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it (every wheel is): several times faster than
# the pure-Python one, with the same safe constructors and the same node lines.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_SafeLoader):  # type: ignore[misc]
    """A safe YAML loader that records the line of every mapping key."""


def _construct_located_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {
        str(key): value for key, value in loader.construct_mapping(node, deep=True).items()
    }
    origin = loader.name
    where = {"": f"{origin}:{node.start_mark.line + 1}"}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            where[str(key_node.value)] = f"{origin}:{key_node.start_mark.line + 1}"
    mapping[WHERE] = where
    return mapping


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_located_mapping,
)


class _NamedText(io.StringIO):
    """Text that carries its file's name, for libyaml's error messages."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def load_located_yaml(path: Path) -> Any:
    """Read a YAML file (UTF-8) whose every mapping carries its keys' lines (``WHERE``).

    Raises:
        OSError, UnicodeDecodeError, yaml.YAMLError: the file cannot be read or is not YAML.
    """
    loader = _LocatingLoader(_NamedText(path.read_text(encoding="utf-8"), path.name))
    loader.name = path.name
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def read_scheme_yaml(path: Path) -> dict[str, Any]:
    """Read a YAML scheme into a located document.

    Raises:
        SchemeFileError: the file cannot be read or is not YAML.
    """
    try:
        document = load_located_yaml(path)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SchemeFileError("scheme.unreadable", path=path, reason=_reason(exc)) from exc
    if not isinstance(document, dict):
        raise SchemeFileError("scheme.unreadable", path=path, reason="not a YAML mapping")
    return document


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def dump_scheme_yaml(scheme: Scheme) -> str:
    """Return the scheme as YAML text (keys in document order, Unicode kept)."""
    return yaml.safe_dump(
        scheme.to_document(), allow_unicode=True, sort_keys=False, width=100
    )


# -- Excel --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SheetSpec:
    names: tuple[str, ...]
    columns: Mapping[str, tuple[str, ...]]


# The first alias is the English header, the second the Chinese one used on export.
_INFO = _SheetSpec(("scheme", "基本信息"), {"key": ("key", "项目"), "value": ("value", "内容")})
_ITEMS = _SheetSpec(
    ("items", "考核项目"),
    {
        "section": ("section", "板块代码"),
        "section_title": ("section_title", "板块名称"),
        "id": ("id", "项目代码"),
        "target": ("target", "考核内容"),
        "rule": ("rule", "评分标准"),
        "max": ("max", "分值"),
        "step": ("step", "计分单位"),
        "metric": ("metric", "记录指标"),
    },
)
_VETOES = _SheetSpec(("vetoes", "否决事项"),
                     {"id": ("id", "代码"), "name": ("name", "名称"), "text": ("text", "否决事项")})
_GRADES = _SheetSpec(("grades", "等级"), {"name": ("name", "等级"), "min": ("min", "最低分")})
_INFO_KEYS: Final = {
    "id": ("id", "方案代码"),
    "version": ("version", "版本"),
    "language": ("language", "语言"),
    "title": ("title", "标题"),
    "total": ("total", "满分"),
    "pending_grade": ("pending_grade", "待定等级"),
}
_OPTIONAL_COLUMNS: Final = {"items": {"step", "metric"}, "vetoes": {"name"}}


def read_scheme_xlsx(path: Path) -> dict[str, Any]:
    """Read the staff's scheme workbook into a located document.

    Raises:
        SchemeFileError: the file cannot be opened as a workbook.
        SchemeError: sheets or columns are missing.
    """
    try:
        sheets = read_sheets(path)
    except Exception as exc:  # calamine raises its own error types for corrupt files
        raise SchemeFileError("scheme.unreadable", path=path, reason=_reason(exc)) from exc
    problems: list[Problem] = []
    tables: dict[str, list[dict[str, Any]]] = {}
    for spec in (_INFO, _ITEMS, _VETOES, _GRADES):
        sheet = find_sheet(sheets, spec.names)
        if sheet is None:
            problems.append(Problem("scheme.missing-sheet", path.name, {"sheet": spec.names[0]}))
            continue
        records, missing = read_records(sheet, spec.columns)
        for column in missing:
            if column not in _OPTIONAL_COLUMNS.get(spec.names[0], ()):
                problems.append(
                    Problem("scheme.missing-column", f"{sheet.name}!1",
                            {"column": spec.columns[column][0]})
                )
        tables[spec.names[0]] = records
    if problems:
        raise SchemeError("scheme.invalid", problems, path=path)

    document: dict[str, Any] = {WHERE: {"": path.name}}
    keys = {alias.casefold(): key for key, aliases in _INFO_KEYS.items() for alias in aliases}
    for record in tables["scheme"]:
        key = keys.get(record["key"].casefold())
        if key is not None:
            document[key] = record["value"]
            document[WHERE][key] = record[WHERE]["value"]
    document["sections"] = _sections_from_rows(tables["items"], problems)
    document[WHERE]["sections"] = f"{_ITEMS.names[0]}!1"
    document["vetoes"] = tables["vetoes"]
    document["grades"] = tables["grades"]
    if problems:
        raise SchemeError("scheme.invalid", problems, path=path)
    return document


def _sections_from_rows(
    rows: Sequence[dict[str, Any]], problems: list[Problem]
) -> list[dict[str, Any]]:
    """Group item rows into sections in order of first appearance."""
    sections: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["section"]
        section = sections.get(key)
        if section is None:
            section = {
                "id": key,
                "title": row["section_title"],
                "items": [],
                WHERE: {
                    "": row[WHERE][""],
                    "id": row[WHERE]["section"],
                    "title": row[WHERE]["section_title"],
                    "items": row[WHERE][""],
                },
            }
            sections[key] = section
        elif row["section_title"] and row["section_title"] != section["title"]:
            problems.append(
                Problem(
                    "scheme.inconsistent-section",
                    row[WHERE]["section_title"],
                    {"section": key, "first": section["title"], "other": row["section_title"]},
                )
            )
        item = {k: v for k, v in row.items() if k not in ("section", "section_title")}
        section["items"].append(item)
    return list(sections.values())


def write_scheme_xlsx(scheme: Scheme, path: Path) -> None:
    """Write the scheme as an editable workbook that :func:`load_scheme` reads back equal.

    Headers are in the scheme's language; column widths and wrapping make it readable.

    Raises:
        OSError: the file cannot be written.
    """
    pick = _ALIAS_INDEX.get(scheme.language, _ALIAS_INDEX["zh-CN"])
    font = text(scheme.language, "font.body")
    book = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_urls": False,
         "default_format_properties": {"font_name": font, "font_size": 11}},
    )
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                            "font_name": font, "text_wrap": True, "valign": "top"})
    body = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "font_name": font})

    def table(spec: _SheetSpec, widths: Sequence[int], rows: Sequence[Sequence[object]]) -> None:
        sheet = book.add_worksheet(spec.names[pick])
        for col, (aliases, width) in enumerate(zip(spec.columns.values(), widths, strict=True)):
            sheet.write_string(0, col, aliases[pick], head)
            sheet.set_column(col, col, width)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if isinstance(value, int | float):
                    sheet.write_number(r, col, value, body)
                else:
                    sheet.write_string(r, col, str(value), body)
        sheet.freeze_panes(1, 0)

    info = [
        (_INFO_KEYS["id"][pick], scheme.id),
        (_INFO_KEYS["version"][pick], scheme.version),
        (_INFO_KEYS["language"][pick], scheme.language),
        (_INFO_KEYS["title"][pick], scheme.title),
        (_INFO_KEYS["total"][pick], plain_number(scheme.total)),
        (_INFO_KEYS["pending_grade"][pick], scheme.pending_grade),
    ]
    table(_INFO, (16, 48), info)
    items = [
        (s.id, s.title, i.id, i.target, i.rule, plain_number(i.max), plain_number(i.step),
         i.metric or "")
        for s in scheme.sections
        for i in s.items
    ]
    table(_ITEMS, (14, 16, 26, 40, 60, 8, 10, 20), items)
    table(_VETOES, (16, 16, 70), [(v.id, v.name, v.text) for v in scheme.vetoes])
    table(_GRADES, (14, 10), [(g.name, plain_number(g.min)) for g in scheme.grades])
    book.close()


# -- entry points -------------------------------------------------------------------------


def read_scheme_document(path: Path) -> dict[str, Any]:
    """Read a scheme file of either format into a located document.

    Raises:
        SchemeFileError: unknown format or unreadable file.
        SchemeError: a workbook lacks required sheets or columns.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_scheme_yaml(path)
    if suffix in (".xlsx", ".xls", ".ods"):
        return read_scheme_xlsx(path)
    raise SchemeFileError("scheme.unknown-format", path=path)


def check_scheme(path: Path) -> tuple[Scheme | None, list[Problem]]:
    """Read and check a scheme file, collecting every problem.

    Args:
        path: a .yaml or .xlsx scheme.

    Returns:
        ``(scheme, problems)``; ``scheme`` is None when there are problems.

    Raises:
        SchemeFileError: the file cannot be read at all.
    """
    try:
        document = read_scheme_document(path)
    except SchemeError as exc:
        return None, exc.problems
    return build_scheme(document, path.name)


def load_scheme(path: Path) -> Scheme:
    """Load a scheme file (.yaml or .xlsx).

    Args:
        path: the scheme file.

    Returns:
        The scheme.

    Raises:
        SchemeFileError: the file cannot be read.
        SchemeError: the scheme has problems (all of them, located).
    """
    scheme, problems = check_scheme(path)
    if scheme is None:
        raise SchemeError("scheme.invalid", problems, path=path)
    return scheme


def scheme_language(path: Path) -> str | None:
    """Return the language a scheme file declares, or None if it cannot be read."""
    try:
        document = read_scheme_document(path)
    except (SchemeFileError, SchemeError):
        return None
    value = document.get("language")
    return value if isinstance(value, str) else None
