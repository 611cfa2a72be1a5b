"""Indicators: exact values computed by hand from the bundled reports' request tables, the rules
for missing and zero denominators, flags, and properties over arbitrary facts."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govdisclosure import indicators, labels, schema
from govdisclosure.document import Finding
from govdisclosure.measures import measure_codes
from govdisclosure.pipeline import process_file
from support.locations import RAW


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["indicator"], r["denominator_kind"]): r for r in rows}


@pytest.fixture(scope="module")
def hongze() -> dict[tuple[str, str], dict]:
    return by_key(process_file(RAW / "hongze_district_2023.pdf").indicators)


@pytest.fixture(scope="module")
def shanghai() -> dict[tuple[str, str], dict]:
    return by_key(process_file(RAW / "shanghai_gov_office_2019.html").indicators)


def test_hongze_request_table_by_hand(hongze):
    # The request table (总计 column): 新收 21, 上年结转 0; 予以公开 0, 部分公开 4, 不予公开 3
    # (国家秘密 1, 过程性 1, 行政执法案卷 1), 无法提供 13 (不掌握 10, 需另行制作 3), 不予处理 1
    # (信访举报投诉 1), 其他处理 0; 总计 21; 结转下年度 0. All applicants are natural persons.
    expected = {
        ("substantive_disclosure_rate", "outcome_total"): (4, 21),
        ("substantive_disclosure_rate", "received"): (4, 21 + 0),
        ("substantive_disclosure_rate", "valid"): (4, 21 - 1 - 0),
        ("withheld_rate", "outcome_total"): (3, 21),
        ("unavailable_rate", "outcome_total"): (13, 21),
        ("not_processed_rate", "outcome_total"): (1, 21),
        ("outcome_withheld_state_secret_share", "group_total"): (1, 3),
        ("outcome_withheld_process_share", "group_total"): (1, 3),
        ("outcome_withheld_enforcement_file_share", "group_total"): (1, 3),
        ("outcome_withheld_third_party_share", "group_total"): (0, 3),
        ("outcome_unavailable_not_held_share", "group_total"): (10, 13),
        ("outcome_unavailable_needs_creation_share", "group_total"): (3, 13),
        ("outcome_not_processed_petition_share", "group_total"): (1, 1),
        ("carry_forward_rate", "received"): (0, 21),
        ("natural_person_share", "requests_new"): (21, 21),
        ("licensing_penalty_ratio", "penalty_decisions"): (550, 4119),
        ("fees_per_request", "requests_new"): (0, 21),
    }
    for key, (num, den) in expected.items():
        row = hongze[key]
        assert (row["numerator"], row["denominator"]) == (num, den), key
        assert row["value"] == pytest.approx(num / den), key
        assert row["flag"] is None, key
    assert hongze[("proactive_items", None)]["value"] == 1136
    assert hongze[("proactive_items", None)]["denominator"] is None
    assert hongze[("channel_items_gov_portal_ratio", "proactive_items")]["value"] == 1


def test_hongze_review_block_that_fails_its_identity_is_flagged_and_zero_totals_give_no_value(hongze):
    # 行政复议: 维持 10 + 纠正 1 but 总计 prints 0: the rates carry the flag, the correction rate
    # over a total of 0 (and over 审结 = 0 − 0) has no row at all, never 0 or infinity.
    assert hongze[("reconsideration_rate", "requests_new")]["value"] == 0
    assert hongze[("reconsideration_rate", "requests_new")]["flag"] == "identity_review_block"
    assert hongze[("litigation_rate", "requests_new")]["flag"] == "identity_review_block"
    for kind in ("total", "concluded"):
        assert ("reconsideration_correction_rate", kind) not in hongze
        assert ("litigation_after_review_correction_rate", kind) not in hongze
        assert ("dispute_correction_rate", kind) not in hongze


def test_shanghai_2019_by_hand(shanghai):
    # 新收 859 (自然人 821), 上年结转 18, 总计 805, 结转下年度 72; the 总计 column prints 0 on the
    # outcome rows although the applicant columns hold 272 予以公开: every request indicator is flagged.
    assert shanghai[("natural_person_share", "requests_new")]["value"] == pytest.approx(821 / 859)
    assert shanghai[("carry_forward_rate", "received")]["value"] == pytest.approx(72 / (859 + 18))
    assert shanghai[("substantive_disclosure_rate", "valid")]["denominator"] == 805 - 0 - 0
    assert shanghai[("substantive_disclosure_rate", "received")]["denominator"] == 877
    flag = shanghai[("substantive_disclosure_rate", "outcome_total")]["flag"]
    assert set(flag.split(";")) == {"identity_request_total", "identity_row_sum"}
    assert "text_contradicts_table" in shanghai[("withheld_rate", "outcome_total")]["flag"]
    # identity_row_sum names its rows (予以公开, 部分公开 …): the 新收 row adds up, so indicators over it
    # alone are not flagged
    assert shanghai[("natural_person_share", "requests_new")]["flag"] is None
    assert shanghai[("reconsideration_rate", "requests_new")]["flag"] is None
    # 行政复议 维持 5, 纠正 0, 尚未审结 2, 总计 7; 直接起诉 维持 8, 尚未审结 1, 总计 9; 复议后起诉 all 0.
    assert shanghai[("reconsideration_rate", "requests_new")]["value"] == pytest.approx(7 / 859)
    assert shanghai[("litigation_rate", "requests_new")]["value"] == pytest.approx(9 / 859)
    rec = shanghai[("reconsideration_correction_rate", "concluded")]
    assert (rec["numerator"], rec["denominator"], rec["flag"]) == (0, 7 - 2, None)
    assert shanghai[("litigation_direct_correction_rate", "concluded")]["denominator"] == 9 - 1
    assert ("litigation_after_review_correction_rate", "total") not in shanghai
    combined = shanghai[("dispute_correction_rate", "concluded")]
    assert (combined["numerator"], combined["denominator"]) == (0, (7 + 9 + 0) - (2 + 1 + 0))
    # its withheld group total prints 0: no reason shares
    assert not any(code.startswith("outcome_withheld_") for code, _ in shanghai)


def test_pingtan_2013_proactive_total_contradicted_by_its_text_is_flagged():
    rows = by_key(process_file(RAW / "pingtan_zone_2013.txt").indicators)
    row = rows[("proactive_items", None)]
    assert (row["value"], row["flag"]) == (72804, "text_contradicts_table")


def fact(measure: str, value: float, breakdown: str = "", method: str = "table") -> dict:
    return {"measure": measure, "breakdown": breakdown, "value": value, "method": method}


def test_missing_term_gives_no_row_and_table_beats_text():
    rows, _ = indicators.compute("d", [fact("outcome_disclosed", 5, "total"), fact("outcome_total", 10, "total")], [])
    assert not any(r["indicator"] == "substantive_disclosure_rate" for r in rows)  # 部分公开 not printed
    rows, _ = indicators.compute("d", [fact("proactive_items", 7, method="text"), fact("proactive_items", 9)], [])
    assert by_key(rows)[("proactive_items", None)]["value"] == 9


def test_share_out_of_range_is_no_row_and_a_warning():
    facts = [fact("outcome_disclosed", 8, "total"), fact("outcome_partial", 4, "total"), fact("outcome_total", 10, "total")]
    rows, findings = indicators.compute("d", facts, [])
    assert ("substantive_disclosure_rate", "outcome_total") not in by_key(rows)
    assert [f.check for f in findings] == ["indicator_share_out_of_range"]
    assert "indicator_share_out_of_range" in labels.codes("check")


def test_definitions_are_consistent():
    defs = indicators.definitions()
    assert len({(d.code, d.denominator_kind) for d in defs}) == len(defs)
    assert {d.kind for d in defs} <= set(schema.INDICATOR_KINDS)
    for d in defs:
        assert bool(d.denominator) == (d.kind != "count"), d.code
        assert d.zh_name and d.en_name and d.formula, d.code
    with pytest.raises(ValueError, match="not a measure"):
        indicators._parse("outcome_total - no_such_measure")


REQUEST_MEASURES = [m for m in measure_codes() if m.startswith(("requests_", "outcome_"))]
OTHER_MEASURES = [m for m in measure_codes() if m not in REQUEST_MEASURES]
facts_strategy = st.lists(st.one_of(
    st.builds(fact, st.sampled_from(REQUEST_MEASURES), st.integers(0, 50).map(float), st.just("total"),
              st.sampled_from(schema.METHODS)),
    st.builds(fact, st.sampled_from(OTHER_MEASURES), st.integers(0, 50).map(float), st.just(""),
              st.sampled_from(schema.METHODS)),
    st.builds(fact, st.just("channel_items"), st.integers(0, 50).map(float),
              st.sampled_from(labels.codes("channel")))), max_size=60)


@settings(max_examples=150, deadline=None)
@given(facts_strategy, st.lists(st.sampled_from(labels.codes("check")), max_size=3))
def test_properties_shares_in_range_no_zero_denominator_and_valid_table(facts, checks):
    findings = [Finding(c, "warning", "outcome_total/total: x") for c in checks]
    rows, problems = indicators.compute("0123456789abcdef", facts, findings)
    for row in rows:
        assert math.isfinite(row["value"])
        if row["kind"] == "count":
            assert row["denominator"] is None
        else:
            assert row["denominator"] > 0
            assert row["value"] == pytest.approx(row["numerator"] / row["denominator"])
        if row["kind"] == "share":
            assert 0 <= row["value"] <= 1
    assert all(p.check == "indicator_share_out_of_range" for p in problems)
    assert all(list(row) == schema.column_names("indicators") for row in rows)


def test_rows_fit_the_schema(hongze, shanghai):
    frame = schema.to_frame("indicators", [*hongze.values(), *shanghai.values()])
    assert len(frame) == len(hongze) + len(shanghai)
