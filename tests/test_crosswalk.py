"""The outcome crosswalk (data) and the harmonised view of request outcomes (function)."""

from __future__ import annotations

import pandas as pd
import pytest

from govdisclosure.crosswalk import GROUPS, LEVELS, harmonised_outcomes, load_crosswalk
from govdisclosure.measures import measure_codes, measures

OUTCOMES = [m for m in measure_codes() if m.startswith("outcome_")]


def test_every_outcome_code_is_mapped_in_every_era():
    crosswalk = load_crosswalk()
    for measure in OUTCOMES:
        assert measure in set(crosswalk.measure), measure
    assert set(crosswalk.measure) <= set(OUTCOMES)


def test_crosswalk_vocabulary():
    crosswalk = load_crosswalk()
    assert set(crosswalk.group) <= set(GROUPS)
    assert set(crosswalk.level) <= set(LEVELS)
    assert set(crosswalk.judgement) <= {"yes", "no"}
    assert set(crosswalk.template) <= {"*", "narrative", "2019", "2021"}
    # Every category is a code of the 2019+ taxonomy (or the one code for an unnamed reason).
    modern = set(measures().index[measures().era != "pre2019"])
    assert set(crosswalk.category) - modern == {"outcome_withheld_unspecified"}
    assert (crosswalk.judgement == "yes").sum() >= 5  # the starred calls of REPORT-FORMAT.md and ours


@pytest.mark.parametrize(("legacy", "category", "judgement"), [
    ("outcome_disclosed", "outcome_disclosed", False),
    ("outcome_already_public", "outcome_disclosed", True),
    ("outcome_partial", "outcome_partial", False),
    ("outcome_withheld_state_secret", "outcome_withheld_state_secret", False),
    ("outcome_withheld_prohibited", "outcome_withheld_prohibited", False),
    ("outcome_withheld_three_safety", "outcome_withheld_three_safety", False),
    ("outcome_withheld_trade_secret", "outcome_withheld_third_party", False),
    ("outcome_withheld_privacy", "outcome_withheld_third_party", False),
    ("outcome_withheld_internal", "outcome_withheld_internal", False),
    ("outcome_withheld_process", "outcome_withheld_process", False),
    ("outcome_withheld_other", "outcome_withheld_unspecified", True),
    ("outcome_nonexistent", "outcome_unavailable_not_held", False),
    ("outcome_not_this_agency", "outcome_unavailable_not_held", False),
    ("outcome_unclear", "outcome_unavailable_unclear", True),
    ("outcome_not_processed_repeat", "outcome_not_processed_repeat", False),
    ("outcome_not_gov_info", "outcome_other", True),
    ("outcome_other_channel", "outcome_other", True),
])
def test_legacy_codes_follow_the_starting_crosswalk(legacy, category, judgement):
    facts = pd.DataFrame([{"doc_id": "d", "measure": legacy, "breakdown": "total", "value": 2.0,
                           "method": "text", "scope": "agency"}])
    reports = pd.DataFrame([{"doc_id": "d", "template": "narrative", "report_year": 2013}])
    (row,) = harmonised_outcomes(facts, reports).itertuples()
    assert (row.original_measure, row.category, row.judgement, row.value) == (legacy, category, judgement, 2.0)


def _facts(rows):
    return pd.DataFrame([dict(zip(["doc_id", "measure", "breakdown", "value", "method"], r), scope="agency")
                         for r in rows])


REPORTS = pd.DataFrame([{"doc_id": "n", "template": "narrative", "report_year": 2013},
                        {"doc_id": "a", "template": "2019", "report_year": 2019},
                        {"doc_id": "b", "template": "2021", "report_year": 2022}])


def test_other_handling_is_a_leaf_in_2019_and_a_group_in_2021():
    facts = _facts([("a", "outcome_other", "total", 3, "table"), ("b", "outcome_other", "total", 3, "derived"),
                    ("b", "outcome_other_misc", "total", 3, "table")])
    out = harmonised_outcomes(facts, REPORTS)
    assert list(zip(out.doc_id, out.original_measure, out.level)) == [
        ("a", "outcome_other", "leaf"), ("b", "outcome_other", "group"), ("b", "outcome_other_misc", "leaf")]
    assert set(out.category) == {"outcome_other"}


def test_one_reading_per_figure_the_table_first():
    facts = _facts([("n", "outcome_withheld", "total", 15, "text"), ("n", "outcome_withheld", "total", 14, "table"),
                    ("n", "proactive_items", "", 811, "text")])
    out = harmonised_outcomes(facts, REPORTS)
    assert list(zip(out.value, out.method, out.level)) == [(14.0, "table", "group")]


def test_leaves_of_every_era_add_up_on_one_taxonomy():
    facts = _facts([("n", "outcome_withheld_trade_secret", "total", 4, "text"),
                    ("n", "outcome_withheld_privacy", "total", 1, "text"),
                    ("a", "outcome_withheld_third_party", "natural_person", 2, "table")])
    out = harmonised_outcomes(facts, REPORTS)
    third_party = out[(out.category == "outcome_withheld_third_party") & (out.level == "leaf")]
    assert third_party.groupby("doc_id").value.sum().to_dict() == {"a": 2.0, "n": 5.0}
    assert list(out.applicant) == ["total", "total", "natural_person"]


def test_an_edited_crosswalk_is_used():
    crosswalk = load_crosswalk()
    crosswalk.loc[crosswalk.measure == "outcome_unclear", ["group", "category"]] = ["other", "outcome_other"]
    out = harmonised_outcomes(_facts([("n", "outcome_unclear", "total", 5, "text")]), REPORTS, crosswalk)
    assert (out.group[0], out.category[0]) == ("other", "outcome_other")


def test_no_outcomes_gives_an_empty_frame_with_the_columns():
    out = harmonised_outcomes(_facts([("n", "proactive_items", "", 811, "text")]), REPORTS)
    assert out.empty and "category" in out.columns


def test_the_corpus_on_one_taxonomy(corpus_tables):
    facts, reports = corpus_tables["facts"], corpus_tables["reports"]
    out = harmonised_outcomes(facts, reports)
    luzhou = reports.doc_id[reports.source_path.str.endswith("003_9011374d10fa4802.txt")].iloc[0]
    rows = out[out.doc_id == luzhou].set_index("original_measure")
    assert rows.loc["outcome_withheld_trade_secret", "category"] == "outcome_withheld_third_party"
    assert rows.loc["outcome_already_public", "group"] == "disclosed"
    # every outcome figure of the corpus is placed on the taxonomy
    n_outcomes = facts[facts.measure.str.startswith("outcome_")].drop_duplicates(["doc_id", "measure", "breakdown"])
    assert len(out) == len(n_outcomes)
