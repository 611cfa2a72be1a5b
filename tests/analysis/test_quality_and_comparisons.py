"""Notebooks 07 and 08's library: indicator comparisons by hand on a small corpus, the export with its
definitions sheet, the legal deadlines, text reuse and the completeness of the bundled reports."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from govdisclosure import analysis, schema
from govdisclosure.pipeline import process_file
from support.locations import RAW


def _report(doc_id: str, agency: str, year: int, level: str, scope: str | None, kind: str = "department",
            published: str | None = None, template: str = "2021") -> dict:
    return {"doc_id": doc_id, "source_path": f"{doc_id}.txt", "title": "", "agency_name": agency, "province": "福建省",
            "city": "", "county": "", "admin_level": level, "agency_kind": kind, "scope": scope,
            "report_year": year, "publish_date": published, "template": template, "script": "simplified",
            "n_chars": 100, "problems": None, "duplicate_paths": None}


def _indicator(doc_id: str, value: float, denominator_kind: str = "valid", flag: str | None = None) -> dict:
    return {"doc_id": doc_id, "indicator": "substantive_disclosure_rate", "kind": "share", "value": value,
            "numerator": value * 10, "denominator": 10.0, "denominator_kind": denominator_kind,
            "definition_version": 1, "flag": flag}


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=schema.column_names(table)) if rows else schema.empty_frame(table)
    return frame.astype({c.name: c.dtype for c in schema.columns(table)})


@pytest.fixture()
def small() -> analysis.Corpus:
    reports = [_report("a1", "甲县统计局", 2020, "county", "agency"), _report("a2", "乙县统计局", 2020, "county", "agency"),
               _report("a3", "丙县统计局", 2021, "county", "agency"), _report("p1", "丁市统计局", 2021, "prefecture", "agency"),
               _report("j1", "甲县人民政府", 2021, "county", "jurisdiction", "government")]
    rows = [_indicator("a1", 0.2), _indicator("a2", 0.4), _indicator("a3", 0.9), _indicator("p1", 0.5),
            _indicator("j1", 0.0), _indicator("a1", 0.1, "outcome_total")]
    return analysis.Corpus(_frame("reports", reports), _frame("facts", []), _frame("sections", []),
                           _frame("checks", []), _frame("indicators", rows))


def test_compare_by_level_by_hand_and_summaries_never_pooled_with_agencies(small):
    table = analysis.compare(small, "en", "admin_level", ("substantive_disclosure_rate",))
    county = table[(table.group == "County") & (table.denominator_kind == "valid")].iloc[0]
    # 0.2, 0.4, 0.9: median 0.4, mean 0.5, quartiles by linear interpolation 0.3 and 0.65; the
    # county government's jurisdiction-wide summary (0.0) is not among them
    assert (county.reports, county["median"], county["mean"]) == (3, 0.4, pytest.approx(0.5))
    assert (county.p25, county.p75) == (pytest.approx(0.3), pytest.approx(0.65))
    summaries = analysis.compare(small, "en", "admin_level", ("substantive_disclosure_rate",), scope="jurisdiction")
    assert summaries[summaries.denominator_kind == "valid"].reports.tolist() == [1]
    chart = analysis.median_chart(small, "zh", "admin_level", "substantive_disclosure_rate", "valid")
    assert chart.group.tolist() == ["县级 (n=3)", "地级 (n=1)"] and chart.attrs["note"]
    with pytest.raises(ValueError, match="by must be one of"):
        analysis.compare(small, "en", "colour")


def test_export_writes_csv_and_a_workbook_with_definitions(small, tmp_path):
    table = analysis.compare(small, "zh", "year")
    csv, xlsx = analysis.export(table, "zh", tmp_path, "07_indicators")
    assert pd.read_csv(csv, encoding="utf-8-sig").columns[:3].tolist() == ["指标", "分母", "分组"]
    sheets = pd.read_excel(xlsx, sheet_name=None)
    assert list(sheets) == ["指标", "定义"]
    assert len(sheets["定义"]) == len(analysis.definitions_table("zh")) > 60
    assert "(予以公开 + 部分公开) ÷ 办理结果总计" in set(sheets["定义"]["公式"])


def test_legal_deadlines():
    assert analysis.deadline(2018, None) == date(2019, 3, 31)  # 2008 Regulations: everyone by 31 March
    assert analysis.deadline(2019, "department") == date(2020, 1, 31)  # 2019 Regulations, art. 49
    assert analysis.deadline(2023, "government") == date(2024, 3, 31)
    assert analysis.deadline(2021, "zone") == date(2022, 3, 31)
    assert analysis.deadline(2020, None) is None  # kind unknown: not judged


def test_text_reuse_and_timeliness_by_hand():
    reports = [_report("x1", "甲县统计局", 2020, "county", "agency", published="2021-01-20"),
               _report("x2", "甲县统计局", 2021, "county", "agency", published="2022-02-03")]
    first = "一二三四五六七八九十甲乙丙丁"  # 14 characters: 7 shingles of 8
    second = first[:10] + "子丑寅卯"  # keeps the first 3 shingles of 7
    sections = [{"doc_id": d, "section": "problems", "heading": "", "text": t, "span_start": 0, "span_end": 1}
                for d, t in (("x1", first), ("x2", second))]
    corpus = analysis.Corpus(_frame("reports", reports), _frame("facts", []), _frame("sections", sections),
                             _frame("checks", []))
    reuse = analysis.text_reuse(corpus)
    assert reuse[["year", "previous_year"]].values.tolist() == [[2021, 2020]]
    assert reuse.reuse.item() == pytest.approx(3 / 7) and not reuse.connect.any()
    quality = analysis.report_quality(corpus).set_index("year")
    assert quality.days_late.tolist() == [-11, 3]  # due 2021-01-31 and 2022-01-31 (a department)
    assert quality.on_time.tolist() == [True, False]
    on_time = analysis.timeliness_by_year(corpus, "en")
    assert on_time.values.tolist() == [[2020, "On time", 1, 1], [2021, "Late", 1, 1]]


def test_completeness_of_the_bundled_hongze_report():
    result = process_file(RAW / "hongze_district_2023.pdf")
    corpus = analysis.Corpus(*(schema.to_frame(t, getattr(result, t)) for t in ("reports", "facts", "sections", "checks",
                                                                              "indicators")))
    row = analysis.report_quality(corpus).iloc[0]
    # all five required sections and the three tables; its review block does not add up (维持 10 +
    # 纠正 1 but 总计 0), so the identities do not hold; the PDF states no publication date
    assert (row.sections, bool(row.tables), bool(row.identities)) == (5, True, False)
    assert row.deadline == "2024-03-31" and pd.isna(row.days_late)
