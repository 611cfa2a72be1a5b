"""Tests of the notebooks' data preparation on a small synthetic processed folder.

The synthetic corpus is shaped like real output: three agencies in three provinces over
2009–2023 in all three formats, a table figure contradicted by a sentence, applicant splits from
2019, legacy and 2019 refusal reasons, review and litigation blocks, and problem sections whose
vocabulary shifts over time. `synthetic_tables` is also used by the notebook tests.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest

from govdisclosure import analysis, load, plotting, schema

AGENCIES = {  # name: (province, city, years)
    "甲市统计局": ("安徽省", "甲市", list(range(2009, 2024))),
    "乙县人民政府办公室": ("福建省", "乙市", [2012, 2015, 2019, 2021, 2023]),
    "丙省机关事务管理局": ("四川省", "", [2010, 2017, 2020, 2022]),
}
CATEGORIES = (
    "工作动态",
    "机构职能",
    "规划计划",
    "财政预决算",
    "人事",
    "统计数据",
    "政策法规",
    "行政执法",
    "应急管理",
)
EARLY_PROBLEMS = "一是公开栏信息更新不及时，网站建设滞后。二是依申请公开答复不够规范，档案管理薄弱。"
LATE_PROBLEMS = (
    "一是政策解读形式单一，回应关切不够及时。二是政务新媒体运营薄弱，基层政务公开标准化规范化有待提升。"
)


def _template(year: int) -> str:
    return "narrative" if year < 2019 else "2019" if year < 2021 else "2021"


def synthetic_tables() -> dict[str, pd.DataFrame]:
    """The five output tables of a small, realistic synthetic corpus (validated by the schema)."""
    rows: dict[str, list[dict]] = {name: [] for name in schema.TABLES}
    for a, (agency, (province, city, years)) in enumerate(AGENCIES.items()):
        for year in years:
            doc_id = hashlib.sha256(f"{agency}{year}".encode()).hexdigest()[:16]
            template, k = _template(year), (year - 2008) * (a + 1)
            rows["reports"].append(
                {
                    "doc_id": doc_id,
                    "source_path": f"raw/{agency}_{year}.txt",
                    "title": f"{agency}{year}年政府信息公开工作年度报告",
                    "agency_name": agency,
                    "province": province,
                    "city": city,
                    "county": "",
                    "admin_level": "provincial" if not city else "prefecture",
                    "report_year": year,
                    "publish_date": f"{year + 1}-01-20",
                    "template": template,
                    "script": "simplified",
                    "n_chars": 5000,
                    "problems": "web_chrome;mojibake" if year % 4 == 0 else "",
                    "duplicate_paths": "",
                }
            )
            facts = [("proactive_items", "", 1000 * (a + 1) * 1.15 ** (year - 2009), "item", "table")]
            facts += [
                ("proactive_items_by_category", c, 10 * (i + 1) + k, "item", "table")
                for i, c in enumerate(CATEGORIES)
            ]
            channels = (
                ["gov_portal", "agency_website", "gazette"]
                + (["weibo"] if year >= 2012 else [])
                + (["wechat"] if year >= 2015 else [])
            )
            facts += [
                ("channel_items", c, 50 * (i + 1) + 7 * k, "item", "table") for i, c in enumerate(channels)
            ]
            facts += [
                ("press_conferences", "", 2 + k % 5, "event", "text"),
                ("gazette_issues", "", 12, "issue", "text"),
            ]
            facts += _request_facts(year, k)
            facts += _review_facts(year, k)
            if year == 2013:  # a sentence contradicting the table: the table must win
                facts.append(("proactive_items", "", 1.0, "item", "text"))
            for i, (measure, breakdown, value, unit, method) in enumerate(facts):
                rows["facts"].append(
                    {
                        "doc_id": doc_id,
                        "measure": measure,
                        "breakdown": breakdown,
                        "value": float(value),
                        "unit": unit,
                        "scope": "agency",
                        "method": method,
                        "label": measure,
                        "evidence": f"{value}",
                        "span_start": 10 * i,
                        "span_end": 10 * i + 5,
                    }
                )
            problems = EARLY_PROBLEMS if year < 2017 else LATE_PROBLEMS
            rows["sections"] += [
                {
                    "doc_id": doc_id,
                    "section": "overview",
                    "heading": "一、总体情况",
                    "text": "本年度工作情况。",
                    "span_start": 0,
                    "span_end": 100,
                },
                {
                    "doc_id": doc_id,
                    "section": "problems",
                    "heading": "五、存在的主要问题及改进情况",
                    "text": problems,
                    "span_start": 100,
                    "span_end": 200,
                },
            ]
            rows["texts"].append({"doc_id": doc_id, "text": problems})
            if year % 5 == 0:
                rows["checks"].append(
                    {
                        "doc_id": doc_id,
                        "check": "identity_request_column",
                        "severity": "warning",
                        "message": "一+二 ≠ 三+四 in column 总计",
                    }
                )
    rows["reports"].append(
        {
            "doc_id": "0" * 16,
            "source_path": "raw/blank_template.docx",
            "title": "",
            "agency_name": "",
            "province": "",
            "city": "",
            "county": "",
            "admin_level": "",
            "report_year": None,
            "publish_date": None,
            "template": "none",
            "script": "simplified",
            "n_chars": 300,
            "problems": "",
            "duplicate_paths": "",
        }
    )
    rows["checks"].append(
        {"doc_id": "0" * 16, "check": "not_a_report", "severity": "info", "message": "blank template"}
    )
    return {name: schema.to_frame(name, table_rows) for name, table_rows in rows.items()}


def _request_facts(year: int, k: int) -> list[tuple]:
    if year < 2019:
        return [
            ("requests_new", "total", 40 + k, "request", "text"),
            ("outcome_disclosed", "total", 20 + k, "request", "text"),
            ("outcome_partial", "total", 5, "request", "text"),
            ("outcome_withheld", "total", 6, "request", "text"),
            ("outcome_withheld_trade_secret", "total", 2, "request", "text"),
            ("outcome_withheld_privacy", "total", 1, "request", "text"),
            ("outcome_nonexistent", "total", 4, "request", "text"),
            ("outcome_unclear", "total", 3, "request", "text"),
            ("outcome_not_gov_info", "total", 2, "request", "text"),
        ]
    facts = []
    split = {
        "natural_person": 30 + k,
        "commercial": 6,
        "research": 1,
        "public_interest": 0,
        "legal_service": 3,
        "other_org": 2,
    }
    for applicant, value in split.items():
        facts += [
            ("requests_new", applicant, value, "request", "table"),
            ("outcome_disclosed", applicant, value // 2, "request", "table"),
        ]
    facts += [
        ("requests_new", "total", sum(split.values()), "request", "table"),
        ("outcome_disclosed", "total", sum(v // 2 for v in split.values()), "request", "table"),
        ("outcome_partial", "total", 4, "request", "table"),
        ("outcome_withheld_third_party", "total", 2, "request", "table"),
        ("outcome_withheld_process", "total", 1, "request", "table"),
        ("outcome_withheld", "total", 3, "request", "derived"),
        ("outcome_unavailable_not_held", "total", 5 + k % 3, "request", "table"),
        ("outcome_not_processed_repeat", "total", 2, "request", "table"),
    ]
    if year < 2021:
        facts.append(("outcome_other", "total", 1, "request", "table"))
    else:
        facts += [
            ("outcome_other_misc", "total", 2, "request", "table"),
            ("outcome_other", "total", 2, "request", "derived"),
        ]
    return facts


def _review_facts(year: int, k: int) -> list[tuple]:
    if year < 2019:
        return [
            ("reconsideration_total", "", k % 3, "case", "text"),
            ("litigation_total", "", k % 2, "case", "text"),
        ]
    facts = [
        ("reconsideration_upheld", "", 2, "case", "table"),
        ("reconsideration_corrected", "", 1, "case", "table"),
        ("reconsideration_other", "", 0, "case", "table"),
        ("reconsideration_pending", "", 1, "case", "table"),
        ("reconsideration_total", "", 4, "case", "table"),
    ]
    for block, values in (("direct", (1, 1, 0, 0)), ("after_review", (2, 0, 0, 1))):
        facts += [
            (f"litigation_{block}_{o}", "", v, "case", "table")
            for o, v in zip(("upheld", "corrected", "other", "pending"), values, strict=True)
        ]
        facts.append((f"litigation_{block}_total", "", sum(values), "case", "table"))
    facts.append(("litigation_total", "", 5, "case", "derived"))
    return facts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> analysis.Corpus:
    folder = tmp_path_factory.mktemp("processed")
    load.write_tables(synthetic_tables(), folder)
    return analysis.load_corpus(folder)


def test_load_reads_every_table_and_notes_missing_ones(corpus, tmp_path):
    assert len(corpus.reports) == 25 and not corpus.missing
    tables = synthetic_tables()
    load.write_tables({"reports": tables["reports"]}, tmp_path, fmt="csv")
    partial = analysis.load_corpus(tmp_path)
    assert partial.missing == ("facts", "sections", "checks")
    assert partial.facts.empty and len(partial.reports) == 25
    with pytest.raises(FileNotFoundError):
        analysis.load_corpus(tmp_path / "absent")


def test_select_by_agency_province_and_years(corpus):
    assert set(corpus.select(agencies=["统计局"]).reports.agency_name) == {"甲市统计局"}
    assert set(corpus.select(provinces=["福建", "四川省"]).reports.province) == {"福建省", "四川省"}
    chosen = corpus.select(year_start=2019, year_end=2020)
    assert set(chosen.reports.report_year) == {2019, 2020}
    assert set(chosen.facts.doc_id) <= set(chosen.reports.doc_id)
    nothing = corpus.select(agencies=["不存在的机关"])
    assert nothing.is_empty and nothing.facts.empty and nothing.sections.empty
    assert "不存在的机关" in analysis.summary(nothing, "zh")
    assert analysis.summary(corpus, "en").startswith(
        "25 documents, 24 of them annual reports, from 3 agencies"
    )


def test_figures_prefer_table_over_text(corpus):
    value = (
        analysis.measure_values(corpus, ["proactive_items"]).query("agency == '甲市统计局' and year == 2013").value
    )
    assert value.tolist() == [pytest.approx(1000 * 1.15**4)]


def test_proactive_growth_is_annualised_over_gaps(corpus):
    totals = analysis.proactive_totals(corpus)
    b = totals[totals.agency == "乙县人民政府办公室"].set_index("year")
    assert b.loc[2015, "gap"] == 3
    assert b.loc[2015, "growth"] == pytest.approx(0.15)
    assert b.loc[2012, "index"] == 100 and pd.isna(b.loc[2012, "growth"])
    single = analysis.proactive_totals(corpus.select(year_start=2023))
    assert single["index"].isna().all()  # an index needs two reports of an agency


def test_overview_frames(corpus):
    by_year = analysis.reports_by(corpus, "year", "en")
    assert by_year.year.tolist() == sorted(by_year.year) and by_year.reports.sum() == 24
    assert analysis.reports_by(corpus, "template", "zh").iloc[0].template == "叙述式（2019年前）"
    assert set(analysis.reports_by(corpus, "province", "en").province) == {"Anhui", "Fujian", "Sichuan"}
    problems = analysis.source_problems(corpus, "en").set_index("problem").documents
    assert problems["Mojibake"] == problems["Web page chrome"] > 0
    checks = analysis.failed_checks(corpus, "zh")
    assert checks.check.tolist() == ["申请表列不平衡"] and checks.severity.tolist() == ["警告"]
    families = analysis.measure_coverage(corpus, "en")
    assert families.loc["Proactive disclosure", 2009] == 1 and families.loc["Litigation", 2023] == 2
    coverage = analysis.measure_coverage(corpus, "zh", by_family=False).set_index("measure")
    assert coverage.loc["主动公开政府信息数", 2009] == 1 and coverage.loc["主动公开政府信息数", 2023] == 2
    assert coverage.loc["行政诉讼 总数", 2009] == 1


def test_category_mix_pools_small_categories(corpus):
    mix = analysis.category_mix(corpus, "en", top=3)
    assert mix.category.nunique() == 4 and "Other" in set(mix.category)


def test_outcomes_share_one_taxonomy_across_eras(corpus):
    outcomes = analysis.harmonised_outcomes(corpus)
    legacy = outcomes[(outcomes.agency == "甲市统计局") & (outcomes.year == 2010)].set_index("reason").value
    assert legacy["outcome_withheld_third_party"] == 3  # trade secret + privacy
    assert legacy["outcome_withheld"] == 3  # the printed total's unexplained rest
    assert legacy["outcome_unavailable_not_held"] == 4 and legacy["outcome_other"] == 2
    shares = analysis.outcome_shares(corpus, "zh")
    assert shares.outcome.iloc[0] == "予以公开" and set(shares.year) == set(range(2009, 2024))
    reasons = analysis.refusal_reasons(corpus, "en")
    assert set(reasons.period) == {"2008–2018", "2019–2020", "2021 on"}
    assert reasons.groupby("period").share.sum().round(6).eq(1).all()
    assert "Withheld: third-party rights" in set(reasons.reason)


def test_requests_and_applicants(corpus):
    requests = analysis.requests_received(corpus).set_index(["agency", "year"]).value
    assert requests["甲市统计局", 2009] == 41 and requests["甲市统计局", 2019] == 53
    mix = analysis.applicant_mix(corpus, "zh")
    assert mix.year.min() == 2019 and mix.applicant.iloc[0] == "自然人" and "总计" not in set(mix.applicant)


def test_channels(corpus):
    channels = analysis.channels_by_year(corpus, "en")
    assert "WeChat" not in set(channels[channels.year < 2015].channel)
    events = analysis.channel_events(corpus, "zh")
    assert set(events.measure) == {"新闻发布会场次", "政府公报期数"}


def test_review_counts_do_not_double_count_litigation_blocks(corpus):
    cases = analysis.review_cases(corpus, "en").set_index(["agency", "year", "kind"]).value
    assert cases["甲市统计局", 2023, "Administrative litigation"] == 5  # the printed total, not 5 + 2 + 3
    assert cases["甲市统计局", 2009, "Administrative reconsideration"] == 1
    counts = analysis.review_counts(corpus, "en")
    assert counts.kind.iloc[0] == "Administrative reconsideration"  # vocabulary order, not the alphabet
    # 甲 reports every year, the others in some: the lines are 甲's alone, the others' reports are dots
    assert counts.attrs["panel"] == {"Administrative reconsideration": ["甲市统计局"],
                                     "Administrative litigation": ["甲市统计局"]}
    lines = counts[counts.connect].set_index(["year", "kind"]).value
    own = cases.xs("甲市统计局")
    assert lines[2023, "Administrative litigation"] == 5 == own[2023, "Administrative litigation"]
    assert (lines == own.reindex(lines.index)).all() and len(lines) == 2 * 15
    dots = counts[~counts.connect]
    assert set(dots.agency) == {"乙县人民政府办公室", "丙省机关事务管理局"} and (dots.n == 1).all()
    assert "balanced panel of 1, 2009–2023" in counts.attrs["note"]
    outcomes = analysis.review_outcomes(corpus, "zh")
    litigation = outcomes[outcomes.kind == "行政诉讼"].set_index("outcome").value
    assert litigation["维持"] == 3 * 10 and litigation["尚未审结"] == 10  # ten 2019+ reports


def test_problem_terms_and_trends(corpus):
    assert "政务新媒体" in analysis.terms(LATE_PROBLEMS)
    assert not set(analysis.terms(EARLY_PROBLEMS)) & analysis.stopwords()
    top = analysis.top_terms(corpus, "zh", n=5)
    assert set(top.period) == {"2008—2018年", "2019—2020年", "2021年起"}
    assert top.groupby("period").size().max() <= 5
    trends = analysis.term_trends(corpus, "en", n=3)
    assert (trends.change > 0).sum() == 3 and (trends.change < 0).sum() == 3
    assert set(trends[trends.change > 0].term) <= set(analysis.terms(LATE_PROBLEMS))
    assert set(trends[trends.change < 0].term) <= set(analysis.terms(EARLY_PROBLEMS))


def test_empty_selection_gives_empty_frames(corpus):
    empty = corpus.select(provinces=["火星"])
    for frame in (
        analysis.proactive_totals(empty),
        analysis.outcome_shares(empty, "en"),
        analysis.refusal_reasons(empty, "zh"),
        analysis.review_counts(empty, "zh"),
        analysis.review_outcomes(empty, "en"),
        analysis.top_terms(empty, "zh"),
        analysis.term_trends(empty, "zh"),
        analysis.measure_coverage(empty, "zh"),
        analysis.channels_by_year(empty, "zh"),
        analysis.applicant_mix(empty, "en"),
    ):
        assert frame.empty


def test_labels_in_both_languages():
    assert analysis.measure_label("rules_issued", "zh") == "规章 本年制发件数"
    assert analysis.measure_label("outcome_withheld_other", "en") == "Withheld: other reason"
    assert analysis.period_label("2021-", "en") == "2021 on"
    with pytest.raises(ValueError):
        analysis.sentence("summary", "fr")


def test_every_chart_and_table_has_its_texts_in_both_languages():
    labels = analysis.chart_labels()
    for key, langs in labels.items():
        assert set(langs) == {"zh", "en"} and langs["zh"].keys() == langs["en"].keys(), key
        assert langs["zh"]["title"] and langs["en"]["title"], key
        assert ("xlabel" in langs["en"]) == ("ylabel" in langs["en"]), key
    assert labels["term_trends"]["en"]["legend_labels"] == ("Falling", "Rising")


def test_page_saves_charts_and_says_when_there_is_nothing(corpus, tmp_path, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    page = analysis.Page("en", tmp_path, fig_formats=("png",), dpi=50, prefix="02")
    totals = analysis.proactive_totals(corpus)
    page.chart("proactive_totals", totals, plotting.line_chart, top=2, x="year", y="value", hue="agency")
    assert [p.name for p in page.saved] == ["02_proactive_totals.png"]
    page.table(totals, "proactive_totals", max_rows=3)
    empty = totals.iloc[:0]
    page.table(empty, "category_mix")
    page.chart("category_mix", empty, plotting.stacked_share_chart, x="year", hue="agency", value="value")
    text = "\n".join(str(getattr(item, "data", "")) for item in shown)
    assert "The chart shows the 2 largest of 3" in text and "Showing the first 3 of 24 rows" in text
    assert text.count("Proactively disclosed items by category**: the selected reports give no figures") == 2
    assert len(page.saved) == 1
    html = next(item for item in shown if hasattr(item, "to_html")).to_html()
    assert "Growth per year" in html and re.search(r">\d,\d{3}\.?\d*<", html)  # thousands separators ...
    assert re.search(r">20(09|1\d)<", html) and not re.search(r">2,0\d\d<", html)  # ... but not in years


#: Every yearly line chart of the notebooks, with the per-report frame its points summarise.
TREND_CHARTS = {
    "channels_by_year": (analysis.channels_by_year, lambda c, lang: analysis.channel_items(c, lang), "channel"),
    "channel_events": (analysis.channel_events, None, "measure"),
    "review_counts": (analysis.review_counts, lambda c, lang: analysis.review_cases(c, lang), "kind"),
}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("chart", sorted(TREND_CHARTS))
def test_every_trend_line_joins_the_same_agencies_every_year(corpus, chart, lang):
    """The data behind each trend chart: a joined point summarises exactly the series' balanced panel."""
    trend, per_report, series = TREND_CHARTS[chart]
    frame = trend(corpus, lang)
    if per_report is None:  # the events chart: the figures as `figures` gives them, labelled in `lang`
        raw = analysis.measure_values(corpus, ["press_conferences", "gazette_issues"])
        reports = raw.assign(measure=raw.measure.map(lambda m: analysis.measure_label(m, lang)))
    else:
        reports = per_report(corpus, lang)
    assert frame.connect.any() and frame.attrs["note"]
    for key, members in frame.attrs["panel"].items():
        part = reports[reports[series] == key]
        years = set(part.year)
        for agency in members:  # a panel agency gives the series in every year the series has
            assert set(part[part.agency == agency].year) == years, (key, agency)
        assert set(part.agency) - set(members) == set(frame[(frame[series] == key) & ~frame.connect].agency)
        line = frame[(frame[series] == key) & frame.connect]
        assert set(line.year) == years and (line.n == len(members)).all()
    assert not frame[~frame.connect].agency.isin([""]).any()  # every dot is one agency's report


def test_per_agency_lines_are_one_report_per_point(corpus):
    for frame in (analysis.proactive_totals(corpus), analysis.requests_received(corpus)):
        assert not frame.duplicated(["agency", "year"]).any()


def test_flagged_figures_are_left_out_unless_asked(tmp_path):
    tables = synthetic_tables()
    reports = tables["reports"]
    doc = reports.doc_id[reports.source_path == "raw/甲市统计局_2013.txt"].item()
    checks = pd.DataFrame([{"doc_id": doc, "check": "text_contradicts_table", "severity": "warning",
                            "message": "proactive_items/-: the text says 1 ('…') but the statistics table gives 2000"}])
    tables["checks"] = schema.to_frame("checks", [*tables["checks"].to_dict("records"), *checks.to_dict("records")])
    load.write_tables(tables, tmp_path)
    cautious, everything = analysis.load_corpus(tmp_path), analysis.load_corpus(tmp_path, include_flagged=True)
    assert len(everything.facts) - len(cautious.facts) == len(cautious.flagged) > 0
    assert set(cautious.flagged.doc_id) >= {doc}
    def years(c: analysis.Corpus) -> set[int]:
        totals = analysis.proactive_totals(c)
        return set(totals.year[totals.agency == "甲市统计局"])

    assert years(everything) - years(cautious) == {2013}
    assert "include_flagged=True" in analysis.summary(cautious, "en")
    assert "include_flagged" not in analysis.summary(everything, "en")


def test_websites_merge_into_one_channel(corpus):
    split = analysis.channel_items(corpus, "en").set_index(["agency", "year", "channel"]).value
    merged = analysis.channel_items(corpus, "en", merge_websites=True).set_index(["agency", "year", "channel"]).value
    key = ("甲市统计局", 2019)
    assert merged[(*key, "Websites (portal and own)")] == split[(*key, "Government portal")] + split[
        (*key, "Agency website")]
    assert not {"Government portal", "Agency website"} & set(merged.index.get_level_values("channel"))
    assert "Websites (portal and own)" in set(analysis.channels_by_year(corpus, "en", merge_websites=True).channel)


def test_stacked_and_grouped_charts_carry_n(corpus):
    shares = analysis.outcome_shares(corpus, "en")
    per_year = analysis.harmonised_outcomes(corpus).drop_duplicates(["agency", "year"]).groupby("year").size()
    assert (shares.n == shares.year.map(per_year)).all()
    assert (analysis.applicant_mix(corpus, "zh").n >= 1).all()
    assert set(analysis.refusal_reasons(corpus, "en").n) <= {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
    assert (analysis.top_terms(corpus, "zh").n >= 1).all()
