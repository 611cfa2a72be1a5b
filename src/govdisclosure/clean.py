"""Cleaning: one pass that turns any reader's blocks into the text every offset points into.

Real copies of the reports carry the junk listed in docs/report_format.md: CMS and crawler headers,
web chrome, spam appended by hijacked mirrors, mirror-site pinyin annotations (根據(jù)), traditional
script, full-width digits, GBK-shift mojibake, lost characters (U+FFFD) and leaked Word markup.
Cleaning is the same for every format and works on strings (paragraph lines and table cells), so
that table cells and prose are normalised identically and offsets can be computed afterwards, once.

The one rule cleaning must never break: no figure changes. Only characters that cannot be part of a
number are removed (spaces between Chinese characters, chrome lines, annotations in parentheses);
digits are folded to ASCII, never dropped or joined. What was found is recorded as problem codes on
the document rather than silently fixed, and what cannot be repaired (mojibake) is only reported.
Which phrases count as chrome or spam is data (`data/chrome_phrases.txt`, `data/spam_markers.txt`),
so a new CMS is a line in a file, not a code change.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from govdisclosure.document import Cell, Document, Finding, Table
from govdisclosure.extract import RawDocument, RawTable
from govdisclosure.script import to_simplified

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d\u2026\u2014"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# The bracket comes first and the Chinese character is checked behind it: a pattern that starts
# with a literal is searched for quickly.
# A mirror site's annotation is one to seven pinyin letters in brackets after a Chinese character,
# at least one of them with a tone mark (公开(ling) without one is left alone): the lookahead
# bounds the group, the rest asks for the tone mark, so no match needs a Python callback.
PINYIN_ANNOTATION = re.compile(rf"\((?<=[{_CJK}]\()(?=[a-z{_TONED}]{{1,7}}\))[a-z]*[{_TONED}][a-z{_TONED}]*\)")
_MOJIBAKE = re.compile(rf"[\u2500-\u257f]|\?[{_CJK_PUNCT}ǎǘǔǚ\u2500-\u257f]|(?<![a-z(])[ǎǘǔǚǜ](?![a-z]*\))")
#: A character every stretch of `_MOJIBAKE` contains (most texts have none, which one scan shows).
_MOJIBAKE_CHAR = re.compile(r"[\u2500-\u257f?ǎǘǔǚǜ]")
_WORD_MARKUP = re.compile(r"mso-[a-z-]+\s*:|<o:p>|<!--\[if|Normal\s+0\s+(?:7\.8|10)\s*磅|\bw:WordDocument\b",
                          re.IGNORECASE)
#: Words (case-folded) of which every `_WORD_MARKUP` match contains one.
_WORD_MARKUP_WORDS = ("mso-", "<o:p>", "<!--[if", "normal", "w:worddocument")
_SPACE_BETWEEN = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}])[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}0-9])|"
                            rf"(?<=[0-9])[ \t\u00a0\u3000]+(?=[{_CJK}{_CJK_PUNCT}])")
_HAS_SPACE = re.compile(r"[ \t\u00a0\u3000]")
_SPACE_RUN = re.compile(r"[ \t]{2,}")
_SEPARATOR_LINE = re.compile(r"^\s*=+\s*[^=\s]{0,10}\s*=+\s*$")
_HEADER_FIELD = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s*(.*?)\s*$")
_CMS_FIELD = re.compile(r"(信息来源|索引号|分类|发布机构|发文机关|发文日期|发布日期|成文日期|发布时间|文号|关键词|时效|名称|主题分类|"
                        r"来源|时间|发表时间|浏览量|阅读)\s*[:：]?\s*")
_ONLY_QUESTION_MARKS = re.compile(r"^[?\s]+$")
_URL = re.compile(r"https?://([A-Za-z0-9.-]+)")
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")
_SCRIPT_SAMPLE = 3000


def _fullwidth_table() -> dict[int, str]:
    """Full-width digits, letters and number-carrying punctuation → ASCII (brackets, quotes kept)."""
    table = {code: chr(code - 0xFEE0) for code in range(0xFF10, 0xFF1A)}
    table.update({code: chr(code - 0xFEE0) for code in range(0xFF21, 0xFF3B)})
    table.update({code: chr(code - 0xFEE0) for code in range(0xFF41, 0xFF5B)})
    table.update({ord(ch): asc for ch, asc in zip("％＋－．／＠＃＆＝＜＞", "%+-./@#&=<>")})
    table.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x200B: "", 0xFEFF: "", 0x2009: " "})
    return table


FOLD = _fullwidth_table()
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in FOLD) + "]")


def fold(text: str) -> str:
    """`text` with `FOLD` applied (``str.translate`` with a dict is slow on long Chinese text)."""
    return _FOLDABLE.sub(lambda m: FOLD[ord(m.group())], text)


@cache
def _phrases(name: str) -> tuple[str, ...]:
    with resources.files("govdisclosure").joinpath(f"data/{name}").open(encoding="utf-8") as fh:
        return tuple(line.strip() for line in fh if line.strip() and not line.startswith("#"))


_ENTRY = re.compile(r"^re(?:\[(?P<triggers>[^\]]+)\])?:(?P<regex>.*)$")


@cache
def _chrome_phrases() -> tuple[tuple[tuple[str, tuple[str, ...] | None], ...], re.Pattern[str] | None]:
    """The chrome phrases as (regular expression, trigger words), longest first, and a gate.

    A phrase can only occur in a line that contains one of its trigger words (a literal entry's
    trigger is the entry up to its first space). The gate is the alternation of all trigger
    words, which the regex engine scans for quickly; there is none when a regular expression has
    no triggers.
    """
    entries = []
    for entry in _phrases("chrome_phrases.txt"):
        regex = _ENTRY.match(entry)
        if regex is None:
            entries.append((re.escape(entry).replace(r"\ ", r"\s*"), (entry.split(" ")[0],)))
        else:
            entries.append((regex["regex"], tuple(regex["triggers"].split("|")) if regex["triggers"] else None))
    entries.sort(key=lambda e: len(e[0]), reverse=True)
    if any(triggers is None for _, triggers in entries):
        return tuple(entries), None
    words = sorted({t for _, triggers in entries for t in triggers}, key=len, reverse=True)
    return tuple(entries), re.compile("|".join(re.escape(w) for w in words))


@cache
def _phrase_pattern(chosen: tuple[int, ...]) -> re.Pattern[str]:
    """The alternation of the chosen chrome phrases, in their order of precedence (longest first)."""
    entries, _gate = _chrome_phrases()
    return re.compile("|".join(f"(?:{entries[i][0]})" for i in chosen))


def _strip_phrases(line: str) -> str:
    """Replace the chrome phrases in `line` by a space, trying only those whose trigger words occur."""
    entries, gate = _chrome_phrases()
    if gate is not None:
        if not gate.search(line):
            return line
        chosen = tuple(i for i, (_, triggers) in enumerate(entries) if any(t in line for t in triggers))
    else:
        chosen = tuple(range(len(entries)))
    # Phrases that cannot occur in the line do not change where the others match.
    return _phrase_pattern(chosen).sub(" ", line) if chosen else line


@cache
def _chrome_runs() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], tuple[str, ...]]:
    """Patterns for runs of chrome tokens: anywhere (3+), at a line's start, at its end; one token; the tokens."""
    tokens = tuple(sorted(_phrases("chrome_tokens.txt"), key=len, reverse=True))
    token = "|".join(re.escape(t) for t in tokens)
    sep = r"[\s|:：/·•]*"
    one = rf"(?:{token})(?![\u4e00-\u9fffA-Za-z0-9])"
    return (re.compile(rf"(?<![\u4e00-\u9fff]){one}(?:{sep}{one}){{2,}}{sep}"),
            re.compile(rf"^\s*{one}(?:{sep}{one})*{sep}(?=[^\u4e00-\u9fff]|$)"),
            re.compile(rf"(?<![\u4e00-\u9fff])\s*{one}(?:{sep}{one})*{sep}$"),
            re.compile(one), tokens)


_RUN_SEPARATORS = "|:：/·•"


def strip_chrome(line: str) -> str:
    """Remove web chrome from one cleaned line (the whole line when it is nothing but chrome).

    Most lines are prose without any chrome word; the full patterns, which are slow to try at every
    position, run only on lines where a quick scan finds what they need.
    """
    line = _strip_phrases(line)
    anywhere, start, end, token, tokens = _chrome_runs()
    hits = len(token.findall(line))
    if not hits:
        return line.strip()
    if hits >= 3:  # a run anywhere is three tokens or more
        line = anywhere.sub(" ", line)
    line = start.sub("", line)
    tail = len(line)
    while tail and (line[tail - 1].isspace() or line[tail - 1] in _RUN_SEPARATORS):
        tail -= 1
    if line.endswith(tokens, 0, tail):  # a run at the end ends with a token and separators
        line = end.sub("", line)
    return line.strip()


@cache
def _spam_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in _phrases("spam_markers.txt")))


def strip_pinyin(text: str) -> str:
    """Remove mirror-site pinyin annotations: 根據(jù) → 根據. Groups without a tone mark stay."""
    return PINYIN_ANNOTATION.sub("", text) if "(" in text else text


def normalise(text: str) -> str:
    """Fold full-width characters, drop spaces between Chinese characters and tidy whitespace."""
    return collapse_spaces(fold(text))


def collapse_spaces(text: str) -> str:
    """Drop spaces between Chinese characters (2024 年 → 2024年); never between two digits."""
    if not _HAS_SPACE.search(text):
        return text.strip()  # most lines of Chinese prose have no space to collapse
    text = _SPACE_BETWEEN.sub("", text)
    return _SPACE_RUN.sub(" ", text).strip()


def is_traditional(original: str, simplified: str) -> bool:
    """More than 3% of the Chinese characters change under t2s: the source was traditional.

    Judged on the first `_SCRIPT_SAMPLE` characters: a report is written in one script throughout.
    """
    original, simplified = original[:_SCRIPT_SAMPLE], simplified[:_SCRIPT_SAMPLE]
    if original == simplified:
        return False  # nothing changed: the usual case, decided without counting
    cjk = len(_CJK_CHAR.findall(original))
    if cjk < 20 or len(original) != len(simplified):
        return cjk >= 20 and len(original) != len(simplified) and original != simplified
    changed = sum(map(str.__ne__, original, simplified))
    return changed / cjk > 0.03


def clean(raw: RawDocument, doc_id: str, source_path: str) -> Document:
    """Clean a reader's output into a `Document` with text, tables with offsets, and problems."""
    doc = Document(doc_id=doc_id, source_path=source_path, text="", page_count=raw.page_count)
    for code in raw.problems:
        doc.add_problem(code)
    doc.findings.extend(raw.findings)
    blocks = _split_crawler_header(list(raw.blocks), doc)
    raw_text = "\n".join(b for b in blocks if isinstance(b, str))
    _detect(raw_text, doc)

    strings: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            strings.append(strip_pinyin(block))
        else:
            strings.extend(strip_pinyin(cell) for row in block.rows for cell in row)
    converted = to_simplified(strings)
    if is_traditional("".join(strings), "".join(converted)):
        doc.script = "traditional"
    position = iter(converted)
    cleaned: list[str | list[list[str]]] = []
    for block in blocks:
        if isinstance(block, str):
            # Spaces are collapsed only after chrome is stripped: chrome words are told apart by them.
            cleaned.append(fold(next(position)).strip())
        else:
            cleaned.append([[normalise(next(position)) for _ in row] for row in block.rows])
    cleaned = _drop_chrome_and_spam(cleaned, doc)
    _assemble(cleaned, [b for b in blocks if not isinstance(b, str)], doc)
    return doc


def _split_crawler_header(blocks: list[str | RawTable], doc: Document) -> list[str | RawTable]:
    """Take a crawler's `key: value` header (ended by a ==== line) out of the body into doc.header."""
    for i, block in enumerate(blocks[:40]):
        if isinstance(block, str) and _SEPARATOR_LINE.match(block):
            for line in blocks[:i]:
                match = _HEADER_FIELD.match(line) if isinstance(line, str) else None
                if match:
                    key, value = to_simplified([match.group(1), match.group(2)])
                    doc.header[key] = normalise(value)
            return blocks[i + 1:]
    return blocks


def _detect(raw_text: str, doc: Document) -> None:
    """Record what is wrong with the source; nothing here changes the text."""
    if len(PINYIN_ANNOTATION.findall(raw_text)) >= 3:
        doc.add_problem("pinyin_annotations")
    if "\ufffd" in raw_text:
        doc.add_problem("replacement_char")
        doc.findings.append(Finding("lost_characters", "warning",
                                    f"{raw_text.count(chr(0xFFFD))} character(s) were lost in the source (U+FFFD)"))
    mojibake = len(_MOJIBAKE.findall(strip_pinyin(raw_text))) if _MOJIBAKE_CHAR.search(raw_text) else 0
    if mojibake >= 2:
        doc.add_problem("mojibake")
        doc.findings.append(Finding("mojibake", "warning",
                                    f"{mojibake} stretch(es) of GBK-shift mojibake that cannot be recovered"))
    folded = raw_text.casefold()
    if any(word in folded for word in _WORD_MARKUP_WORDS) and _WORD_MARKUP.search(raw_text):
        doc.add_problem("word_markup")
    for host in _URL.findall(raw_text):
        if not re.search(r"\.gov(\.cn)?$|\.org\.cn$|\.edu\.cn$|163\.com$|qq\.com$|126\.com$", host.lower()):
            doc.add_problem("suspicious_url")
            break


def _drop_chrome_and_spam(blocks: list, doc: Document) -> list:
    spam = _spam_pattern()
    out: list = []
    for block in blocks:
        if not isinstance(block, str):
            out.append(block)
            continue
        if spam.search(block) and (block.count("|") >= 3 or len(spam.findall(block)) >= 2):
            doc.add_problem("spam_block")
            break
        if _ONLY_QUESTION_MARKS.match(block):
            continue
        line = strip_chrome(block)
        if line != block:
            doc.add_problem("web_chrome")
            line = line.strip(" :：|>»-_/")
            if not line:
                continue
        line = collapse_spaces(line)
        if _is_metadata_line(line, doc):
            doc.add_problem("web_chrome")
            continue
        out.append(line)
    while out and isinstance(out[-1], str) and not out[-1]:
        out.pop()
    return out


def _is_metadata_line(line: str, doc: Document) -> bool:
    """A short CMS line of `field value` pairs (索引号 … 发布机构 … 发文日期 …): keep its fields, drop it."""
    if len(line) > 120 or not line:
        return False
    fields = list(_CMS_FIELD.finditer(line))
    if not fields or fields[0].start() > 0:
        return False
    # One field word at the start of a prose line (分类指导…) is not a header: ask for a colon after
    # it or at least two fields on the line.
    if len(fields) < 2 and not re.match(r"\S+\s*[:：]", line[fields[0].start():fields[0].end() + 1]):
        return False
    for match, nxt in zip(fields, fields[1:] + [None]):
        value = line[match.end(): nxt.start() if nxt else len(line)].strip()
        doc.header.setdefault(match.group(1), value)
    return True


def _assemble(blocks: list, raw_tables: list[RawTable], doc: Document) -> None:
    """Join cleaned blocks into the text and give every table cell its offsets."""
    parts: list[str] = []
    offset = 0
    tables = iter(raw_tables)
    previous_blank = True
    for block in blocks:
        if isinstance(block, str):
            if not block:
                if not previous_blank:
                    parts.append("\n")
                    offset += 1
                previous_blank = True
                continue
            parts.append(block + "\n")
            offset += len(block) + 1
            previous_blank = False
            continue
        raw = next(tables)
        grid: list[list[Cell | None]] = [[None] * len(row) for row in block]
        for r, row in enumerate(block):
            pieces = []
            for c, text in enumerate(row):
                if raw.origins[r][c] is not None:
                    continue
                text = text.replace("\t", " ").replace("\n", " ")
                if pieces:
                    offset += 1
                grid[r][c] = Cell(text, offset, offset + len(text))
                pieces.append(text)
                offset += len(text)
            line = "\t".join(pieces)
            parts.append(line + "\n")
            offset += 1
        for r, row in enumerate(block):
            for c in range(len(row)):
                origin = raw.origins[r][c]
                if origin is not None:
                    src = grid[origin[0]][origin[1]] if origin[0] < len(grid) and origin[1] < len(grid[origin[0]]) \
                        else None
                    grid[r][c] = Cell(src.text, src.start, src.end, origin) if src else Cell("", offset, offset)
        doc.tables.append(Table([list(row) for row in grid], raw.pages[0] if raw.pages else None, raw.pages,
                                raw.aligned))
        previous_blank = False
    doc.text = "".join(parts)
