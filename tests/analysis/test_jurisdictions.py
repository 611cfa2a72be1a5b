"""Who is who, and the pooling rule: a city's jurisdiction-wide summary is never added to its own
departments' reports in any figure pooled over reports (synthetic corpus: the summary's figures are
far larger than its departments', so adding it would show)."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from govdisclosure import analysis, load, schema

CITY = "宿州市人民政府"
DEPARTMENTS = {"宿州市统计局": 1, "宿州市公安局": 3}  # agency -> multiplier of its figures
SUMMARY = 100  # the summary's multiplier


def _report(agency: str, year: int, kind: str, scope: str) -> dict:
    return {"doc_id": hashlib.sha256(f"{agency}{year}".encode()).hexdigest()[:16], "source_path": f"raw/{agency}{year}.txt",
            "title": f"{agency}{year}年政府信息公开工作年度报告", "agency_name": agency, "province": "安徽省",
            "city": "宿州市", "county": None, "admin_level": "prefecture", "agency_kind": kind, "scope": scope,
            "report_year": year, "publish_date": f"{year + 1}-01-20", "template": "2019", "script": "simplified",
            "n_chars": 5000, "problems": None, "duplicate_paths": None}


def _facts(doc_id: str, m: int, year: int) -> list[dict]:
    k = year - 2018
    given = [("proactive_items", "", 100 * m * k), ("proactive_items_by_category", "规划计划", 10 * m * k),
             ("channel_items", "gov_portal", 20 * m * k), ("press_conferences", "", 2 * m * k),
             ("requests_new", "natural_person", 4 * m * k), ("requests_new", "total", 4 * m * k),
             ("outcome_disclosed", "total", 3 * m * k), ("outcome_partial", "total", 1 * m * k),
             ("reconsideration_upheld", "", 1 * m * k), ("reconsideration_corrected", "", 1 * m * k),
             ("reconsideration_other", "", 0), ("reconsideration_pending", "", 0),
             ("reconsideration_total", "", 2 * m * k)]
    return [{"doc_id": doc_id, "measure": measure, "breakdown": breakdown or None, "value": float(value),
             "unit": "item", "scope": "agency", "method": "table", "label": measure, "evidence": str(value),
             "span_start": 10 * i, "span_end": 10 * i + 5} for i, (measure, breakdown, value) in enumerate(given)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> analysis.Corpus:
    rows = {name: [] for name in schema.TABLES}
    for year in (2019, 2020):
        for agency, kind, scope, m in [(CITY, "government", "jurisdiction", SUMMARY),
                                       *((a, "department", "agency", m) for a, m in DEPARTMENTS.items())]:
            report = _report(agency, year, kind, scope)
            rows["reports"].append(report)
            rows["facts"] += _facts(report["doc_id"], m, year)
    folder = tmp_path_factory.mktemp("processed")
    load.write_tables({name: schema.to_frame(name, table_rows) for name, table_rows in rows.items()}, folder)
    return analysis.load_corpus(folder)


DEPARTMENT_SUM = sum(DEPARTMENTS.values())  # 4: the departments' multipliers added up


def test_who_is_who(corpus):
    who = analysis.who_is_who(corpus).drop_duplicates("agency").set_index("agency")
    assert who.parent_jurisdiction.to_dict() == {CITY: "安徽省", "宿州市统计局": "宿州市", "宿州市公安局": "宿州市"}
    assert who.pooled.to_dict() == {CITY: False, "宿州市统计局": True, "宿州市公安局": True}


def test_parent_jurisdiction_by_level_and_kind():
    reports = pd.DataFrame({
        "admin_level": ["county", "county", "county", "township", "township", "provincial", "national", "county"],
        "agency_kind": ["department", "government", "government", "township", "department", "government",
                        "department", "department"],
        "province": ["广东省", "江苏省", "上海市", "浙江省", "浙江省", "江西省", None, "广东省"],
        "city": ["江门市", "淮安市", None, "绍兴市", "绍兴市", None, None, "江门市"],
        "county": ["鹤山市", "洪泽区", "静安区", "诸暨市", "诸暨市", None, None, None]})
    assert analysis.parent_jurisdiction(reports).tolist() == [
        "鹤山市",  # a county department: its county
        "淮安市",  # a county government: its city
        "上海市",  # a district of a municipality: no city in between
        "诸暨市",  # a township: its county
        pd.NA,  # a township's own department: the township is not named in the table
        analysis.NATION, analysis.NATION,
        pd.NA]  # a county department whose county is unknown: not its city


def test_pooled_totals_never_add_the_summary_to_its_departments(corpus):
    mix = analysis.category_mix(corpus, "en")
    assert dict(zip(mix.year, mix.value)) == {2019: 10 * DEPARTMENT_SUM, 2020: 20 * DEPARTMENT_SUM}
    assert set(mix.n) == {2}
    applicants = analysis.applicant_mix(corpus, "en")
    assert dict(zip(applicants.year, applicants.value)) == {2019: 4 * DEPARTMENT_SUM, 2020: 8 * DEPARTMENT_SUM}
    shares = analysis.outcome_shares(corpus, "en")
    assert shares.groupby("year").value.sum().to_dict() == {2019: 4 * DEPARTMENT_SUM, 2020: 8 * DEPARTMENT_SUM}
    outcomes = analysis.review_outcomes(corpus, "en")
    assert outcomes.value.sum() == 2 * DEPARTMENT_SUM + 4 * DEPARTMENT_SUM and set(outcomes.n) == {4}


def test_pooled_means_and_medians_leave_the_summary_out(corpus):
    channels = analysis.channels_by_year(corpus, "en")
    assert dict(zip(channels.year, channels.value)) == {2019: 20 * 2, 2020: 40 * 2}  # median of 20·1 and 20·3
    assert channels.attrs["panel"] == {channels.channel[0]: sorted(DEPARTMENTS)}
    events = analysis.channel_events(corpus, "en")
    assert dict(zip(events.year, events.value)) == {2019: 2 * 2, 2020: 4 * 2}
    counts = analysis.review_counts(corpus, "en")
    reconsideration = counts[counts.value.notna() & (counts.n == 2)]
    assert dict(zip(reconsideration.year, reconsideration.value)) == {2019: 2 * 2, 2020: 4 * 2}
    assert counts.n.max() == 2


def test_per_agency_frames_keep_the_summary_and_the_caption_says_so(corpus):
    assert CITY in set(analysis.proactive_totals(corpus).agency)
    assert CITY in set(analysis.channel_table(corpus, "en").agency)
    assert "sum up a whole jurisdiction" in analysis.summary(corpus, "en")
    assert "辖区汇总报告" in analysis.summary(corpus, "zh")
    assert "sum up" not in analysis.summary(analysis.pooled(corpus), "en")
