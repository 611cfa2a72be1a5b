"""Notebook 08: how well each report does what the Regulations ask of it.

Four views, each computed from the processed tables, each stating how many reports it rests on:

- completeness: the sections the format requires, the three national tables (2019 and 2021
  formats) and whether the tables' identities hold (no `identity_*` finding);
- timeliness: the publication date against the legal deadline — reports for years up to 2018 by
  31 March of the next year (2008 Regulations, art. 32); from the 2019 Regulations (art. 49) the
  departments of governments at or above county level by 31 January, and governments by 31 March.
  Governments, their general offices (which publish the government's report), townships and the
  management committees of zones count as governments; a report whose date or kind is unknown is
  not judged;
- text reuse: the share of a report's text found again, word for word, in the same agency's
  previous report (8-character shingles of the section texts). The transparency-index literature
  finds reports repeating up to 90 % of the previous year's text;
- the identities between years (上年结转 = last year's 结转下年度; 现行有效 = last year's + 制发 −
  废止), which the corpus run checks (`cross_year_*` findings).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from govdisclosure.analysis.corpus import Corpus, documents
from govdisclosure.analysis.panel import with_n
from govdisclosure.analysis.vocab import CHECKS, TEMPLATES, _check_lang, name_of

REQUIRED_SECTIONS = ("overview", "proactive", "requests", "review_litigation", "problems")
GOVERNMENT_KINDS = frozenset({"government", "government_office", "township", "zone"})
CROSS_YEAR_CHECKS = ("cross_year_carryover", "cross_year_in_force")
SHINGLE = 8
CRITERIA = {"sections": ("章节齐全", "All sections"), "tables": ("三张表齐全", "All three tables"),
            "identities": ("表内勾稽成立", "Table identities hold"), "on_time": ("按时发布", "Published on time")}


def deadline(report_year: int, agency_kind: str | None) -> date | None:
    """The last day the report for `report_year` may be published (None when the kind is unknown after 2018)."""
    if report_year <= 2018:
        return date(report_year + 1, 3, 31)
    if not agency_kind:
        return None
    return date(report_year + 1, 3, 31) if agency_kind in GOVERNMENT_KINDS else date(report_year + 1, 1, 31)


def report_quality(corpus: Corpus) -> pd.DataFrame:
    """One row per annual report: completeness, identities and timeliness.

    Returns:
        Columns doc_id, agency, year, template, sections (required sections present, of 5), tables
        (the three national tables present; NA before 2019), identities (no identity finding),
        publish_date, deadline, days_late (negative: early; NA when not judged), on_time.
    """
    docs = documents(corpus)
    docs = docs[(docs.template != "none") & docs.year.notna()].merge(
        corpus.reports[["doc_id", "publish_date", "agency_kind"]], on="doc_id")
    present = corpus.sections[corpus.sections.section.isin(REQUIRED_SECTIONS)
                              & corpus.sections.text.fillna("").str.strip().ne("")]
    sections = present.groupby("doc_id").section.nunique()
    checks = corpus.checks.groupby("doc_id").check.agg(set)
    found = docs.doc_id.map(checks).apply(lambda c: c if isinstance(c, set) else set())
    modern = docs.template.isin(["2019", "2021"])
    due = [deadline(int(y), k if isinstance(k, str) else None) for y, k in zip(docs.year, docs.agency_kind, strict=True)]
    published = pd.to_datetime(docs.publish_date, errors="coerce")
    late = pd.Series([(p.date() - d).days if d is not None and not pd.isna(p) else None
                      for p, d in zip(published, due, strict=True)], index=docs.index, dtype="Int64")
    return pd.DataFrame({
        "doc_id": docs.doc_id, "agency": docs.agency, "year": docs.year.astype(int), "template": docs.template,
        "sections": docs.doc_id.map(sections).fillna(0).astype(int),
        "tables": pd.Series([("template_table_missing" not in c) if m else pd.NA for c, m in zip(found, modern,
                                                                                                    strict=True)],
                            index=docs.index, dtype="boolean"),
        "identities": [not any(code.startswith("identity_") for code in c) for c in found],
        "publish_date": docs.publish_date, "deadline": [d.isoformat() if d else None for d in due],
        "days_late": late, "on_time": (late <= 0).astype("boolean"),
    }).sort_values(["agency", "year"], ignore_index=True)


def quality_summary(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Share of reports meeting each criterion, per format, with the reports each share rests on.

    Returns:
        Columns criterion (label in `lang`), template (label), share, n (reports judged).
    """
    en = _check_lang(lang) == 1
    table = report_quality(corpus)
    table = table.assign(sections=table.sections == len(REQUIRED_SECTIONS))
    rows = []
    for criterion in CRITERIA:
        for template, part in table.groupby("template", sort=True):
            judged = part[criterion].dropna()
            if len(judged):
                rows.append({"criterion": CRITERIA[criterion][en], "template": name_of(TEMPLATES, template, lang),
                             "share": float(judged.astype(bool).mean()), "n": len(judged)})
    return pd.DataFrame(rows, columns=["criterion", "template", "share", "n"])


def _shingles(text: str) -> set[str]:
    squeezed = "".join(text.split())
    return {squeezed[i:i + SHINGLE] for i in range(max(len(squeezed) - SHINGLE + 1, 0))}


def text_reuse(corpus: Corpus) -> pd.DataFrame:
    """For each report with an earlier one of the same agency: the share of its text found in that one.

    Returns:
        Columns agency, year, previous_year, reuse (0–1), value (= reuse, for charts), connect
        (False: the reports of different agencies are dots, never a line).
    """
    texts = corpus.sections.groupby("doc_id").text.agg(lambda parts: "\n".join(parts.dropna()))
    docs = documents(corpus)
    docs = docs[(docs.template != "none") & docs.year.notna()].sort_values(["agency", "year"])
    rows = []
    for agency, part in docs.groupby("agency"):
        previous = None
        for doc_id, year in zip(part.doc_id, part.year.astype(int), strict=True):
            current = _shingles(texts.get(doc_id, ""))
            if previous is not None and current and previous[1]:
                reuse = len(current & previous[1]) / len(current)
                rows.append({"agency": agency, "year": year, "previous_year": previous[0], "reuse": reuse})
            previous = (year, current)
    frame = pd.DataFrame(rows, columns=["agency", "year", "previous_year", "reuse"])
    return frame.assign(value=frame.reuse, connect=False)


TIMELY = {True: ("按时", "On time"), False: ("逾期", "Late")}


def timeliness_by_year(corpus: Corpus, lang: str) -> pd.DataFrame:
    """Reports published on time and late per year (reports with a date and a known deadline), with n."""
    table = report_quality(corpus).dropna(subset=["on_time"])
    counts = table.groupby(["year", "on_time"], as_index=False).size().rename(columns={"size": "value"})
    counts = with_n(counts.sort_values(["on_time", "year"], ascending=[False, True], ignore_index=True), table)
    en = _check_lang(lang) == 1
    return counts.assign(status=counts.on_time.map(lambda t: TIMELY[bool(t)][en]))[["year", "status", "value", "n"]]


def cross_year_findings(corpus: Corpus, lang: str) -> pd.DataFrame:
    """The findings of the checks between consecutive reports of an agency, with agency and year."""
    found = corpus.checks[corpus.checks.check.isin(CROSS_YEAR_CHECKS)].merge(documents(corpus), on="doc_id")
    found = found.assign(check=found.check.map(lambda c: name_of(CHECKS, c, lang)))
    return found[["agency", "year", "check", "message"]].sort_values(["agency", "year"], ignore_index=True)
