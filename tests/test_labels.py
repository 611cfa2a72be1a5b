"""Every check and problem code the package can emit is defined, with its labels, in data/labels.csv.

The codes are found in the source, not in a run's output, so a code on a path that no test
exercises is caught as well: a `Finding`, an `Identity` or a failed document names its check code
as a string literal, and problem codes are literals handed to `add_problem` or put in a
`problems` list. A code built at run time cannot be checked this way and is refused.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

from govdisclosure import labels, schema
from support.locations import ROOT

PACKAGE = ROOT / "src" / "govdisclosure"
CHECK_CALLS = {"Finding", "Identity", "_failed"}


def _strings(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _mentions_problems(node: ast.AST) -> bool:
    return "problems" in ast.unparse(node)


def emitted_codes() -> dict[str, dict[str, set[str]]]:
    """kind -> code -> files that emit it; a code that is not a literal is listed as `<computed …>`."""
    found: dict[str, dict[str, set[str]]] = {"check": {}, "problem": {}}

    def add(kind: str, code: object, where: Path, node: ast.AST) -> None:
        key = code if isinstance(code, str) else f"<computed at {where.name}:{node.lineno}>"
        found[kind].setdefault(key, set()).add(where.name)

    def add_value(kind: str, value: ast.AST, where: Path, node: ast.AST) -> None:
        """A literal is a code; a name or attribute passes on a code made elsewhere; anything else is computed."""
        if isinstance(value, ast.Constant):
            add(kind, value.value, where, node)
        elif not isinstance(value, ast.Name | ast.Attribute | ast.Starred):
            for code in _strings(value) or [None]:
                add(kind, code, where, node)
            if any(isinstance(n, ast.JoinedStr) for n in ast.walk(value)):
                add(kind, None, where, node)

    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                if name in CHECK_CALLS and node.args:
                    add_value("check", node.args[0], path, node)
                if name in ("add_problem", "append", "extend") and (
                        name == "add_problem" or _mentions_problems(func)):
                    for arg in node.args:
                        add_value("problem", arg, path, node)
                for keyword in node.keywords:
                    if keyword.arg == "problems":  # problems="unreadable", problems=";".join(codes)
                        value = keyword.value
                        if isinstance(value, ast.Constant | ast.List | ast.Tuple):
                            for code in _strings(value):
                                add("problem", code, path, node)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value == "check":
                        add_value("check", value, path, node)
            elif isinstance(node, ast.Assign) and any(_mentions_problems(t) for t in node.targets):
                for element in ast.walk(node.value):  # problems = ["a"]; fmt, problems = kind, ["a"]
                    if isinstance(element, ast.List):
                        for item in element.elts:
                            add_value("problem", item, path, node)
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and node.value.elts:
                # the decoders return (text, problems)
                last = node.value.elts[-1]
                for branch in (last.body, last.orelse) if isinstance(last, ast.IfExp) else (last,):
                    if isinstance(branch, ast.List):
                        for item in branch.elts:
                            if not isinstance(item, ast.Call):  # a list of findings, not of codes
                                add_value("problem", item, path, node)
    return found


@pytest.mark.parametrize("kind", ["check", "problem"])
def test_every_emitted_code_has_labels(kind):
    defined = set(labels.codes(kind))
    missing = {code: sorted(files) for code, files in emitted_codes()[kind].items() if code not in defined}
    assert not missing, f"{kind} codes emitted but not defined in data/labels.csv: {missing}"


def test_the_scan_finds_the_codes_of_the_bundled_corpus(corpus_tables):
    """The static scan is not blind: it finds every code a real run produces."""
    scanned = emitted_codes()
    assert set(corpus_tables["checks"].check) <= set(scanned["check"])
    problems = {code for value in corpus_tables["reports"].problems.dropna() for code in value.split(";") if code}
    assert problems <= set(scanned["problem"])


def test_every_label_is_complete_and_unique():
    frame = pd.read_csv(PACKAGE / "data" / "labels.csv", dtype=str, keep_default_na=False)
    assert not frame.duplicated(["kind", "code"]).any()
    assert set(frame.kind) <= set(labels.KINDS)
    assert (frame[["code", "zh", "en"]] != "").all().all()


def test_the_schema_refuses_an_undefined_code():
    rows = [{"doc_id": "0" * 16, "check": "no_such_check", "severity": "info", "message": "x"}]
    with pytest.raises(Exception, match="labels.csv"):
        schema.to_frame("checks", rows)
    assert schema.to_frame("checks", [dict(rows[0], check="section_missing")]).shape == (1, 4)


def test_unknown_kind_is_an_error():
    with pytest.raises(KeyError):
        labels.pairs("no_such_kind")


def test_labels_feed_the_analysis_names():
    from govdisclosure import analysis

    assert analysis.CHECKS["section_missing"] == labels.pairs("check")["section_missing"]
    assert Path(PACKAGE / "data" / "labels.csv").exists()
