"""Text with its whitespace removed, and the way back to the original offsets.

Labels of the national form and the statements that a report sums up a jurisdiction are matched on
text without whitespace, because PDFs and crawlers break words and table cells anywhere. Both
extractors and the scope rule need the same squeezed text, so it is made here once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

_NON_WHITESPACE = re.compile(r"[^\s\u3000\xa0\u200b]+")


def squeeze(text: str) -> str:
    """`text` without any whitespace: the form every label pattern is matched against."""
    # str.split() drops exactly what the pattern's \s does (both are Unicode whitespace) and is
    # several times faster than a regex substitution; U+200B is not whitespace to either.
    squeezed = "".join(text.split())
    return squeezed.replace("\u200b", "") if "\u200b" in squeezed else squeezed


@lru_cache(maxsize=4)
def squeeze_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """`squeeze(text)` and, for each of its characters, the offset it came from in `text`.

    Cached: the three flattened-table readers all start from the same document text.
    """
    parts: list[str] = []
    spans: list[range] = []
    for run in _NON_WHITESPACE.finditer(text):
        parts.append(run.group())
        spans.append(range(run.start(), run.end()))
    return "".join(parts), tuple(chain.from_iterable(spans))
