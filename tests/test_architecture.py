"""The dependency graph is a contract: layers (pyproject's import-linter contract, checked by
``./dev test``) and, here, no module reached by a cycle, deferred imports included."""

from __future__ import annotations

import grimp


def test_no_module_is_reached_by_an_import_cycle() -> None:
    graph = grimp.build_graph("sheetops")  # imports inside functions count too
    cycles = sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )
    assert cycles == []


def test_readers_never_import_the_writers() -> None:
    graph = grimp.build_graph("sheetops")
    for reader in ("sheetops.intake", "sheetops.validate"):
        assert not graph.chain_exists(importer=reader, imported="sheetops.forms",
                                      as_packages=True), reader
