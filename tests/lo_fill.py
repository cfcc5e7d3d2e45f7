"""Fill workbooks through a running LibreOffice, as a person typing into Calc would.

Run with the SYSTEM interpreter, which has Debian's ``python3-uno`` (a venv does not)::

    /usr/bin/python3 tests/lo_fill.py jobs.json

``jobs.json`` is either a list of jobs or an object ``{"pipe": NAME, "jobs": [...],
"terminate": false}``. Each job::

    {"source": "/path/in.xlsx", "target": "/path/out.xlsx",
     "filter": "Calc MS Excel 2007 XML" | "MS Excel 97" | "calc8",
     "recalculate": false,
     "cells": [{"sheet": "自评", "cell": "F7", "number": 4.5},
               {"sheet": "自评", "cell": "F8", "text": "４．５"}]}

``number`` goes in with ``setValue``; ``text`` with ``setString`` (what typing text does).
Each job prints one JSON line (``{"target": ..., "ok": true}`` or with ``"error"``); the exit
status is non-zero when the office cannot be reached or any job failed. An empty job list only
checks the connection. ``"terminate": true`` asks the office to quit after the jobs.

Only the standard library and ``uno`` may be used here: this runs outside the project's venv.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import traceback
from typing import Any

import uno  # type: ignore[import-not-found]

DEFAULT_PIPE = "sheetops_lo"
FILTERS = ("Calc MS Excel 2007 XML", "MS Excel 97", "calc8")


def properties(**values: Any) -> tuple[Any, ...]:
    """Return UNO PropertyValue structs for keyword arguments."""
    result = []
    for name, value in values.items():
        prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def connect(pipe: str) -> Any:
    """Return the Desktop of the office listening on ``pipe`` (raises when none answers)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
    manager = context.ServiceManager
    return manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def file_url(path: str) -> str:
    """Return the file URL of a local path (made absolute first)."""
    return uno.systemPathToFileUrl(os.path.abspath(path))


def _put(cell: Any, spec: dict[str, Any]) -> None:
    if "number" in spec:
        cell.setValue(float(spec["number"]))
    elif "text" in spec:
        cell.setString(str(spec["text"]))
    else:
        raise ValueError(f"cell spec without number or text: {spec!r}")


def _took(cell: Any, spec: dict[str, Any]) -> bool:
    if "number" in spec:
        return bool(cell.getValue() == float(spec["number"]))
    return bool(cell.getString() == str(spec["text"]))


def set_cell(document: Any, spec: dict[str, Any]) -> None:
    """Set one cell by sheet name and A1 address, lifting sheet protection if it blocks.

    The generated sheets are protected without a password; a protected sheet that refuses the
    value is unprotected with the empty password, written, and protected again.
    """
    if not document.Sheets.hasByName(spec["sheet"]):
        names = list(document.Sheets.getElementNames())
        raise KeyError(f"no sheet {spec['sheet']!r} (the workbook has {names})")
    sheet = document.Sheets.getByName(spec["sheet"])
    cell = sheet.getCellRangeByName(spec["cell"])
    try:
        _put(cell, spec)
        if _took(cell, spec):
            return
    except Exception:
        if not sheet.isProtected():
            raise
    if not sheet.isProtected():
        raise RuntimeError(f"{spec['sheet']}!{spec['cell']} did not take {spec!r}")
    sheet.unprotect("")
    try:
        _put(cell, spec)
    finally:
        sheet.protect("")
    if not _took(cell, spec):
        raise RuntimeError(f"{spec['sheet']}!{spec['cell']} did not take {spec!r}")


def run_job(desktop: Any, job: dict[str, Any]) -> None:
    """Load ``job["source"]`` hidden, set its cells, optionally recalculate, store, close."""
    filter_name = job["filter"]
    if filter_name not in FILTERS:
        raise ValueError(f"unknown filter {filter_name!r}; use one of {FILTERS}")
    if not os.path.isfile(job["source"]):
        raise FileNotFoundError(job["source"])
    document = desktop.loadComponentFromURL(
        file_url(job["source"]), "_blank", 0, properties(Hidden=True)
    )
    if document is None:
        raise RuntimeError(f"LibreOffice could not load {job['source']}")
    try:
        for spec in job.get("cells", ()):
            set_cell(document, spec)
        if job.get("recalculate"):
            document.calculateAll()
        document.storeToURL(
            file_url(job["target"]), properties(FilterName=filter_name, Overwrite=True)
        )
    finally:
        document.close(True)


def main(argv: list[str]) -> int:
    """Run the jobs file named in ``argv[1]``; return the exit status."""
    if len(argv) != 2:
        print("usage: /usr/bin/python3 lo_fill.py JOBS.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        document = json.load(handle)
    if isinstance(document, list):
        document = {"jobs": document}
    pipe = document.get("pipe") or DEFAULT_PIPE
    try:
        desktop = connect(pipe)
    except Exception as exc:
        print(f"cannot connect to LibreOffice on pipe {pipe!r}: {exc}", file=sys.stderr)
        return 3
    failed = False
    for job in document.get("jobs", ()):
        try:
            run_job(desktop, job)
            line: dict[str, Any] = {"target": job.get("target"), "ok": True}
        except Exception as exc:
            failed = True
            traceback.print_exc(file=sys.stderr)
            line = {"target": job.get("target"), "ok": False,
                    "error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    if document.get("terminate"):
        # The bridge goes away while the office shuts down.
        with contextlib.suppress(Exception):
            desktop.terminate()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
