"""Who is who: each report's place in the administrative hierarchy, and the one rule for pooling.

A city's jurisdiction-wide report (reports.scope == "jurisdiction", 汇总…各单位) already contains
the figures of the city's own departments, which may be in the corpus with reports of their own;
adding them up counts the same requests twice. One rule holds in every helper that pools figures
across reports (sums, means, medians, shares over several reports): **jurisdiction-wide summaries
are left out of pooled figures** (`pooled`), and appear only where each report is shown on its own
(per-agency tables and lines, `comparisons` with scope="jurisdiction"). A report of unknown scope
is pooled as an agency's own: the extraction marks a summary only when the report says so.

The parent jurisdiction is read from the columns `extract` already gives (province, city, county,
admin_level, agency_kind): a department, office or vertical agency belongs to the government of its
own level (a county department: its county); a government, zone, township or sub-district is under
the place one level up (a county government: its city). Where the level in between does not exist
(a district of a municipality, a county administered by its province: no city) the next place up
is the parent; where the agency's own place is not known, the parent is not either (NA).
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, _agency, is_summary
from govdisclosure.schema import ADMIN_LEVELS

#: The parent of a provincial government and of the national departments.
NATION = "中华人民共和国"
#: Kinds of agency that belong to the government of their own level; the others are one.
_MEMBERS = frozenset({"department", "government_office", "vertical_agency"})
#: The reports column naming the place of each level (national and township have none).
_PLACE = {"provincial": "province", "prefecture": "city", "county": "county"}


def pooled(corpus: Corpus) -> Corpus:
    """The corpus without jurisdiction-wide summaries: what every sum, mean or median over reports reads.

    A summary is never added to its own departments' reports; rather than guess which departments a
    summary covers, no summary is pooled at all (module docstring).
    """
    ids = set(corpus.reports.doc_id[~is_summary(corpus.reports)])
    return replace(corpus, **{name: getattr(corpus, name)[getattr(corpus, name).doc_id.isin(ids)]
                              .reset_index(drop=True)
                              for name in ("reports", "facts", "sections", "checks", "indicators", "flagged")})


def parent_jurisdiction(reports: pd.DataFrame) -> pd.Series:
    """The place one level up from each report's agency (a county department: its county; a county
    government: its city); NA where the agency's level or own place is unknown."""
    levels = list(ADMIN_LEVELS)
    out = []
    for row in reports[["admin_level", "agency_kind", "province", "city", "county"]].itertuples(index=False):
        level, kind = row.admin_level, row.agency_kind
        if not isinstance(level, str) or not isinstance(kind, str):
            out.append(pd.NA)
            continue
        places = {"national": NATION, "township": None,
                  **{lvl: getattr(row, column) if isinstance(getattr(row, column), str) and getattr(row, column)
                     else None for lvl, column in _PLACE.items()}}
        own = levels.index(level)
        if level in _PLACE and places[level] is None or level == "township" and places["county"] is None:
            out.append(pd.NA)  # its own place unknown: so is the one above it
            continue
        start = own if kind in _MEMBERS else own - 1
        if start < 0 or kind in _MEMBERS and places[levels[start]] is None:
            out.append(pd.NA)  # the national government; a township's own department (no township column)
            continue
        found = next((places[lvl] for lvl in reversed(levels[:start + 1]) if places[lvl]), None)
        out.append(found if found is not None else pd.NA)
    return pd.Series(out, index=reports.index, dtype="string")


def who_is_who(corpus: Corpus) -> pd.DataFrame:
    """One row per report: doc_id, agency, year, admin_level, agency_kind, scope, parent_jurisdiction,
    and pooled (whether sums and means over reports include it)."""
    reports = corpus.reports
    return pd.DataFrame({"doc_id": reports.doc_id, "agency": _agency(reports), "year": reports.report_year,
                         "admin_level": reports.admin_level, "agency_kind": reports.agency_kind,
                         "scope": reports.scope, "parent_jurisdiction": parent_jurisdiction(reports),
                         "pooled": ~is_summary(reports)}).reset_index(drop=True)
