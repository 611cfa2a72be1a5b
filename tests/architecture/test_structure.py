"""The shape of the package: stages import only earlier stages, no cycles, no oversized modules.

The import graph is read from the source (module-level and function-level imports alike), so a
lazy import that runs against the stage order is caught as well as a top-level one.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support.locations import ROOT

PACKAGE = ROOT / "src" / "govdisclosure"
MAX_LINES = 450
#: A module longer than MAX_LINES says why in its docstring with this phrase.
LONG_MODULE_NOTE = "This module is long because"

#: The stages in the order a document passes through them; a module may import its own stage and
#: earlier ones only. Foundations (layer 0) are the data model, the vocabularies (the national form's
#: printed rows and columns among them: the extract stage uses it to recognise a table written as
#: text rows) and the rules every stage shares.
LAYERS = [
    {"paths", "limits", "walk", "document", "measures", "labels", "schema", "gazetteer", "scope", "whitespace",
     "script", "national_form"},
    {"extract"},
    {"clean"},
    {"metadata", "sections"},
    {"transform", "indicators"},
    {"indicators"},
    {"pipeline"},
    {"validate"},
    {"load"},
    {"run"},
    {"crosswalk", "plotting", "analysis", "notebook_run", "notebook_html", "view"},
    {"cli"},
]


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports_of(path: Path, known: dict[str, Path]) -> set[str]:
    """The package's modules that `path` imports (`from pkg import sub` counts as importing `sub`)."""
    found = set()
    this = module_name(path)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in known}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in known:
                    found.add(target)
                elif base in known:
                    found.add(base)
    found.discard(this)
    return found


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports_of(path, known) for name, path in known.items()}


def stage_of(module: str) -> int:
    """The stage of a module: of its own dotted name where LAYERS lists it, else of its top-level name."""
    parts = module.split(".")[1:]
    for rank, stage in enumerate(LAYERS):
        if ".".join(parts) in stage:
            return rank
    for rank, stage in enumerate(LAYERS):
        if parts and parts[0] in stage:
            return rank
    raise AssertionError(f"{module} belongs to no stage: add it to LAYERS in {Path(__file__).name}")


def test_every_module_belongs_to_a_stage():
    for name in modules():
        if name != "govdisclosure":
            stage_of(name)


def test_imports_follow_the_stage_order():
    against = [f"{a} (stage {stage_of(a)}) imports {b} (stage {stage_of(b)})"
               for a, targets in graph().items() if a != "govdisclosure"
               for b in targets if b != "govdisclosure" and stage_of(b) > stage_of(a)]
    assert not against, "\n".join(against)


def test_no_import_cycles():
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def test_long_modules_say_why():
    long = []
    for name, path in modules().items():
        lines = path.read_text(encoding="utf-8").count("\n")
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        if lines > MAX_LINES and LONG_MODULE_NOTE not in docstring:
            long.append(f"{name}: {lines} lines")
    assert not long, "\n".join(long)


def test_the_graph_reader_sees_lazy_imports(tmp_path):
    """A function-level import counts: the check cannot be dodged by importing inside a function."""
    module = PACKAGE / "pipeline.py"
    assert "govdisclosure.extract" in imports_of(module, modules())
