"""Whose figures a report gives, the agency's own or a whole jurisdiction's: one rule for every stage.

Many reports are compiled from the reports of all the units of a city, district or system
(汇总…各单位, 根据…各部门年度报告编制); their figures, in tables and in prose alike, are the
jurisdiction's, not the publishing office's. Three stages ask the question — `metadata` for the
report (`reports.scope`), the national and the narrative extractors for each figure
(`facts.scope`) — and all three answer it here, from the same document-level judgement
(`summarises_jurisdiction`), so a report's tables, its prose and its reports row cannot disagree:

- a report that says it sums up an area is ``jurisdiction`` throughout;
- otherwise the national tables count the publishing body's own requests: ``agency``;
- otherwise a sentence may say whose figure it gives (全市…, 各单位… against 我局…, 本委…); a
  sentence that says nothing keeps the report's default, ``unknown`` for prose, since a
  government's narrative report may speak for itself or for its whole area;
- the report as a whole is ``agency`` when the body is a department, a vertical agency or a
  government office (they report on themselves), else unknown (None).
"""

from __future__ import annotations

import re
from functools import lru_cache

from govdisclosure.whitespace import squeeze

# Every alternative starts with a literal character, so the regex engine scans for those few
# characters instead of trying the pattern at every position of the report (half the time).
_ALL_UNITS = r"[^。；]{0,20}(?:各|全)(?:有关)?(?:市|区|县|旗|镇|乡|街道|单位|部门)"
_SUMMARY = re.compile(rf"汇总{_ALL_UNITS}|合计{_ALL_UNITS}|统计{_ALL_UNITS}"
                      r"|全(?:省|市|区|县|州|旗)[^。；]{0,15}汇总"
                      r"|汇总[^。；]{0,30}各[^。；]{0,6}(?:单位|部门)"
                      r"|根据[^。；]{0,80}各[^。；]{0,60}年度报告[^。；]{0,6}(?:汇总|编制)"
                      r"|各(?:工作)?部门[^。；]{0,40}年度报告编制")


#: A sentence or heading that speaks of a whole area or of all units.
_JURISDICTION_WORDS = re.compile(r"全(?:市|区|县|省|州|盟|旗|镇|乡|系统)|全局系统|各地各部门|各(?:单位|部门|乡镇|街道)|本系统")
#: A sentence whose subject is the agency itself. 本机关/本单位 also occur in reasons (不属于本机关), so
#: only 我局-style subjects mark the agency.
_AGENCY_WORDS = re.compile(r"我(?:局|委|办|厅|院|署|单位|部门)|本(?:局|委|厅)|局机关")
#: Kinds of body whose report covers themselves (see `metadata.kinds`).
OWN_KINDS = frozenset({"department", "vertical_agency", "government_office"})


@lru_cache(maxsize=4)
def summarises_jurisdiction(text: str) -> bool:
    """True when the report says it sums up the units of a whole area (whitespace ignored).

    Cached: metadata and both extractors ask it of the same document text.
    """
    return bool(_SUMMARY.search(squeeze(text)))


def speaks_of_jurisdiction(text: str) -> bool:
    """True when a sentence or heading speaks of a whole area or of all units (全市, 各单位 …)."""
    return bool(_JURISDICTION_WORDS.search(text))


def default_figure_scope(text: str, national_tables: bool) -> str:
    """The scope of a report's figures where nothing closer says otherwise."""
    if summarises_jurisdiction(text):
        return "jurisdiction"
    return "agency" if national_tables else "unknown"


def sentence_scope(sentence: str, default: str) -> str:
    """The scope of a figure read from `sentence`: what the sentence says, else the report's `default`."""
    if speaks_of_jurisdiction(sentence):
        return "jurisdiction"
    if _AGENCY_WORDS.search(sentence):
        return "agency"
    return default


def report_scope(text: str, agency_kind: str | None, national_tables: bool) -> str | None:
    """`reports.scope`: jurisdiction, agency, or None when the report does not say."""
    if summarises_jurisdiction(text):
        return "jurisdiction"
    if national_tables or agency_kind in OWN_KINDS:
        return "agency"
    return None
