"""Traditional characters to simplified, with one OpenCC converter per process.

Reports come in both scripts, and every vocabulary of the project (the national form's labels,
the narrative phrases, the gazetteer) is written in simplified characters. Cleaning converts a
whole document; the extract stage converts the few cells it must recognise before cleaning (a
table written as text rows is told from prose by the form's labels). Both use this module, so
the conversion (OpenCC's ``t2s``, the C++ library) is defined once.
"""

from __future__ import annotations

from functools import cache

import opencc


@cache
def _converter() -> opencc.OpenCC:
    """The C++ OpenCC converter, built once per process (it loads its dictionaries)."""
    return opencc.OpenCC("t2s")


def to_simplified(strings: list[str]) -> list[str]:
    """Convert many strings with one OpenCC call (its per-call overhead dominates short cells)."""
    if not strings:
        return strings
    joined = _converter().convert("\x1f".join(s.replace("\x1f", " ") for s in strings))
    out = joined.split("\x1f")
    return out if len(out) == len(strings) else [_converter().convert(s) for s in strings]
