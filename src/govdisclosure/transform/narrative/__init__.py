"""The narrative extractor: figures in the prose of reports, and the provincial statistics tables.

`extractor` runs one pass over a document and gives every count a verdict; `text` holds the
positions it needs (clauses, sentences, headings, the report year), `grammar` places a number by
the words before it (phrases as data in `data/narrative_phrases.csv`), `lists` reads category and
channel lists, `absence` statements of absence, `checks` repeats, contradictions and sums, and
`stats_table` the 指标名称/计量单位/本年度 tables some provinces appended. `audit` lists every
count with its verdict (``govdisclosure audit``; docs/narrative.md).
"""

from govdisclosure.transform.narrative.extractor import extract

__all__ = ["extract"]
