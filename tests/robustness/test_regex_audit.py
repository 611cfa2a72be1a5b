"""Every regular expression of the reading path, on inputs built to make a regex backtrack.

A regular expression runs in C and cannot be interrupted by the per-document time limit, so one
with nested or adjacent unbounded quantifiers (`\\s*(x)?\\s*`) is a hang waiting for its input: a
number followed by 2,000 tabs once took 56 seconds in one call. This test finds every compiled
pattern at module level in the package (the reading path: not the viewer, notebooks or plots) and
scans, with `finditer` as the readers do, long runs of the characters that reports and hostile
files are made of (blanks, digits, Chinese numerals, punctuation, markup) after the prefixes that
start a match. A pattern that is linear or mildly quadratic takes milliseconds on them; a cubic
one, seconds to hours. The regex engine checks for signals as it runs, so an alarm stops a
runaway pattern and names it.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import signal
import time

import pytest

import govdisclosure

NOT_READING = ("view", "notebook", "plotting", "analysis", "cli")
LENGTH = 500
SECONDS = 3  # per input; the worst linear or quadratic pattern needs a tenth of it
SEEDS = (" ", "\t", "\u3000", "\n", "1", "1 ", "9,", "一", "十", "○", "，", "、", "：", "（", "第", "年", "条 ", "a",
         ".", "-", "|", "万", "其中", "<td></td>")
PREFIXES = ("", "1", "一", "近", "第", "<td>", "2021年", "本年新收政府信息公开申请数量")


def _patterns() -> list[tuple[str, re.Pattern]]:
    found: dict[int, tuple[str, re.Pattern]] = {}
    for info in pkgutil.walk_packages(govdisclosure.__path__, "govdisclosure."):
        if any(part in info.name for part in NOT_READING):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found.setdefault(id(value), (f"{info.name}.{name}", value))
    return sorted(found.values(), key=lambda item: item[0])


PATTERNS = _patterns()
INPUTS = [prefix + seed * (LENGTH // len(seed)) + "\x00" for prefix in PREFIXES for seed in SEEDS]


class _Runaway(Exception):
    pass


def _alarm(_signum, _frame):
    raise _Runaway


def test_the_audit_finds_the_patterns():
    names = {name for name, _ in PATTERNS}
    assert "govdisclosure.transform.numbers.QUANTITY_RE" in names and len(names) > 50


@pytest.mark.parametrize("name, pattern", PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_pattern_backtracks_catastrophically(name, pattern):
    inputs = [text.encode() for text in INPUTS] if isinstance(pattern.pattern, bytes) else INPUTS
    previous = signal.signal(signal.SIGALRM, _alarm)
    try:
        for text in inputs:
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, SECONDS)
            try:
                for _ in pattern.finditer(text):
                    pass
            except _Runaway:
                pytest.fail(f"{name} ran for over {SECONDS} s on {text[:20]!r}… ({len(text)} characters)")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            assert time.perf_counter() - started < SECONDS
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_the_old_quantity_pattern_would_have_been_caught():
    # The pattern as it was, three backtracking blanks in a row: the audit must see such a one.
    from govdisclosure.transform.numbers import _APPROX_AFTER, NUMBER, UNITS

    old = re.compile(rf"(?P<number>{NUMBER})(?![\d])\s*(?P<mult>[万亿](?!元))?\s*(?P<after>{_APPROX_AFTER})?\s*"
                     rf"(?P<unit>{'|'.join(UNITS)})")
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        with pytest.raises(_Runaway):
            for _ in old.finditer("1" + "\t" * 3 * LENGTH):
                pass
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
