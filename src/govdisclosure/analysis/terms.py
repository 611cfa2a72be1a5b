"""Notebook 06: the terms of the "problems and improvements" sections, per period.

Problem themes come from jieba over the `problems` sections with the project's domain dictionary
and stop words, loaded once per process.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from functools import cache
from importlib import resources

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, documents
from govdisclosure.analysis.vocab import period_label, period_of, sentence


def _data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of a packaged data file ([] when the file is absent)."""
    file = resources.files("govdisclosure").joinpath(f"data/{name}")
    if not file.is_file():
        return []
    lines = (line.split("#", 1)[0].strip() for line in file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


@cache
def stopwords() -> frozenset[str]:
    """The stop words of `data/stopwords_zh.txt`."""
    return frozenset(_data_lines("stopwords_zh.txt"))


@cache
def tokenizer():
    """A jieba tokenizer with the project's domain dictionary (when present), built once per process."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for line in _data_lines("jieba_domain_dict.txt"):
        word, *rest = line.split()
        tok.add_word(
            word,
            int(rest[0]) if rest and rest[0].isdigit() else None,
            rest[-1] if rest and not rest[-1].isdigit() else None,
        )
    return tok


_HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")


def terms(text: str) -> list[str]:
    """Content words of a text: Chinese words of two or more characters, not stop words."""
    stop = stopwords()
    return [w for w in tokenizer().lcut(text) if _HAN_WORD.match(w) and w not in stop]


def problem_coverage(corpus: Corpus, lang: str) -> str:
    """A sentence: how many reports have a problems section."""
    reports = documents(corpus).query("template != 'none'").doc_id
    with_section = corpus.sections[corpus.sections.section == "problems"].doc_id.nunique()
    return sentence("problem_sections", lang, with_section=with_section, reports=len(reports))


def problem_texts(corpus: Corpus) -> pd.DataFrame:
    """The `problems` sections joined per document, with agency, year and period code."""
    sections = corpus.sections[corpus.sections.section == "problems"]
    joined = sections.groupby("doc_id", as_index=False).text.agg(lambda parts: "\n".join(parts.dropna()))
    frame = joined.merge(documents(corpus), on="doc_id").dropna(subset=["year"])
    return frame.assign(year=frame.year.astype(int), period=frame.year.astype(int).map(period_of))


def term_table(corpus: Corpus) -> pd.DataFrame:
    """Term use per period: reports using the term (`docs`), their `share` of the period's `n` reports, `count` of uses."""
    texts = problem_texts(corpus)
    rows = []
    for period, part in texts.groupby("period"):
        doc_freq, counts = Counter(), Counter()
        for text in part.text:
            words = terms(text)
            counts.update(words)
            doc_freq.update(set(words))
        rows += [
            {"period": period, "term": t, "docs": d, "share": d / len(part), "count": counts[t], "n": len(part)}
            for t, d in doc_freq.items()
        ]
    return pd.DataFrame(rows, columns=["period", "term", "docs", "share", "count", "n"])


def top_terms(corpus: Corpus, lang: str, n: int = 12) -> pd.DataFrame:
    """The `n` terms used by the most reports in each period (ties broken by occurrences)."""
    table = term_table(corpus).sort_values(
        ["period", "docs", "count", "term"], ascending=[True, False, False, True]
    )
    table = table.groupby("period").head(n)
    return table.assign(period=table.period.map(lambda p: period_label(p, lang))).reset_index(drop=True)


def term_trends(corpus: Corpus, lang: str, n: int = 8) -> pd.DataFrame:
    """Terms whose share of reports rose or fell most between the first and the last period.

    Returns:
        Up to `n` rising and `n` falling terms with `first`, `last` (shares) and `change`
        (last − first); empty when fewer than two periods have problem sections.
    """
    table = term_table(corpus)
    periods = sorted(table.period.unique(), key=lambda p: int(p.split("-")[0] or 0))
    if len(periods) < 2:
        return pd.DataFrame(columns=["term", "first", "last", "change"])
    shares = table.pivot_table(index="term", columns="period", values="share", fill_value=0.0)
    frame = pd.DataFrame({"first": shares[periods[0]], "last": shares[periods[-1]]})
    frame = frame.assign(change=frame["last"] - frame["first"]).rename_axis("term").reset_index()
    frame = frame[frame.change != 0].sort_values(["change", "term"], ascending=[False, True])
    rising, falling = frame[frame.change > 0].head(n), frame[frame.change < 0].tail(n)
    return pd.concat([rising, falling], ignore_index=True)
