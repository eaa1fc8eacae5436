"""No import loop between the project's modules.

What counts as a loop: module A imports B and B, directly or through others, imports A.
The graph is grimp's (the library under import-linter) over every package that
pyproject.toml's [tool.importlinter] root_packages names, so a new app is covered as soon
as the contracts know it. In that graph:

- every `import` counts, at the top of a module or inside a function: an import deferred
  into a function hides a loop from Python at start-up, but the two modules still cannot be
  understood, tested or moved one without the other;
- imports under `if TYPE_CHECKING:` do not count (grimp leaves them out): they never run;
- a package is its `__init__.py`. A package that imports its own submodules is no loop by
  itself; it becomes one when such a submodule imports the package back (`from . import x`
  in a submodule, where x is defined in `__init__`, is an import of the package).
  Python's implicit "importing a.b first runs a/__init__" is not an edge here: it would
  make every package with a submodule a loop.

A loop is reported as its strongly connected group (all modules that reach one another),
with the import lines that tie the group together.
"""

import tomllib
from pathlib import Path

import grimp
from grimp import ImportGraph

PROJECT = Path(__file__).resolve().parent.parent


def root_packages() -> list[str]:
    with open(PROJECT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]["root_packages"]


def project_graph() -> ImportGraph:
    return grimp.build_graph(*root_packages(), exclude_type_checking_imports=True, cache_dir=None)


def import_loops(graph: ImportGraph) -> list[list[str]]:
    """Each group of two or more modules that all import one another (Tarjan's algorithm)."""
    imports = {module: graph.find_modules_directly_imported_by(module) for module in graph.modules}
    order: dict[str, int] = {}
    lowest: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = lowest[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(imports[module]):
            if imported not in order:
                visit(imported)
                lowest[module] = min(lowest[module], lowest[imported])
            elif imported in on_stack:
                lowest[module] = min(lowest[module], order[imported])
        if lowest[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return sorted(groups)


def describe(graph: ImportGraph, group: list[str]) -> str:
    """The group and, for each import inside it, where it is written."""
    lines = [" <-> ".join(group)]
    for importer in group:
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if imported in group:
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    lines.append(
                        f"    {importer} -> {imported}  (line {detail['line_number']}: "
                        f"{detail['line_contents']})"
                    )
    return "\n".join(lines)


def test_no_import_loop_between_the_projects_modules():
    graph = project_graph()
    loops = import_loops(graph)
    assert not loops, "Import loops:\n" + "\n".join(describe(graph, group) for group in loops)


def test_every_root_package_is_in_the_graph():
    graph = project_graph()
    for package in root_packages():
        assert package in graph.modules
    # Modules of every kind are read, including those only reached from inside functions.
    assert "clinic_site.settings" in graph.modules


def test_a_loop_is_found_and_described():
    graph = ImportGraph()
    for module in ("shop", "shop.models", "shop.views", "shop.forms", "shop.util"):
        graph.add_module(module)
    graph.add_import(
        importer="shop.models", imported="shop.views", line_number=3, line_contents="x"
    )
    graph.add_import(importer="shop.views", imported="shop.forms", line_number=4, line_contents="y")
    graph.add_import(
        importer="shop.forms", imported="shop.models", line_number=9, line_contents="z"
    )
    graph.add_import(importer="shop.views", imported="shop.util", line_number=5, line_contents="w")
    # A package importing its own submodule is no loop by itself.
    graph.add_import(importer="shop", imported="shop.util", line_number=1, line_contents="v")

    assert import_loops(graph) == [["shop.forms", "shop.models", "shop.views"]]
    text = describe(graph, ["shop.forms", "shop.models", "shop.views"])
    assert "shop.forms -> shop.models  (line 9: z)" in text


def test_type_checking_imports_do_not_count(tmp_path, monkeypatch):
    package = tmp_path / "typed_only"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from . import b\n"
    )
    (package / "b.py").write_text("from . import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    graph = grimp.build_graph("typed_only", exclude_type_checking_imports=True, cache_dir=None)

    assert import_loops(graph) == []
    assert graph.direct_import_exists(importer="typed_only.b", imported="typed_only.a")
