"""The narrative extractor: figures in the prose of reports, and the provincial statistics tables.

`grammar` places a number by the words before it (phrases as data in `data/narrative_phrases.csv`),
`stats_table` reads the 指标名称/计量单位/本年度 tables some provinces appended, and `extractor` runs
both over one document and decides what becomes a fact.
"""

from govdisclosure.transform.narrative.extractor import extract

__all__ = ["extract"]
