"""Docstrings, comments and docs point only at files a clone of the repository has.

A user's clone has no `../shared`; a reference to `spec/OUTPUT.md` or `GOLD.md` sends a reader
nowhere. Every `*.md` or data file named in the package's source, the README or docs/ must exist.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.locations import ROOT

#: A reference to a Markdown file (docs/x.md, GOLD.md, spec/OUTPUT.md) or to a data file (data/x.csv).
REFERENCE = re.compile(r"(?<![\w/.-])((?:[\w-]+/)*[\w-]+\.md|(?:[\w-]+/)*data/[\w/-]+\.(?:csv|txt))\b")
SOURCES = [*sorted((ROOT / "src" / "govdisclosure").rglob("*.py")), ROOT / "README.md",
           *sorted((ROOT / "docs").glob("*.md")), ROOT / "notebooks" / "README.md"]
#: File names that are examples or outputs, not references to files of the repository.
NOT_REFERENCES: set[str] = set()


def resolves(reference: str, source: Path) -> bool:
    name = Path(reference).name
    if name in NOT_REFERENCES:
        return True
    for base in (ROOT, ROOT / "docs", ROOT / "src" / "govdisclosure", source.parent, ROOT / "data" / "raw"):
        if (base / reference).exists():
            return True
    # a bare file name: anywhere in the package's data or the docs
    return "/" not in reference and any(p.name == name for folder in ("src", "docs", "data/raw")
                                        for p in (ROOT / folder).rglob(name))


def test_every_referenced_file_exists():
    missing = []
    for source in SOURCES:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            for reference in REFERENCE.findall(line):
                if not resolves(reference, source):
                    missing.append(f"{source.relative_to(ROOT)}:{number}: {reference}")
    assert not missing, "\n".join(missing)


def test_the_reference_reader_sees_a_missing_file(tmp_path):
    source = tmp_path / "x.py"
    assert REFERENCE.findall('"""See spec/OUTPUT.md and docs/architecture.md."""') == ["spec/OUTPUT.md",
                                                                                    "docs/architecture.md"]
    assert not resolves("spec/OUTPUT.md", source) and resolves("docs/architecture.md", source)
