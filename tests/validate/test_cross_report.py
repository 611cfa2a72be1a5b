"""Checks across consecutive reports of one agency (carry-over, the 现行有效 chain)."""

from __future__ import annotations

import pandas as pd

from govdisclosure.validate import cross_report_checks


def _run(reports: list[tuple], facts: list[tuple]) -> list[dict]:
    return cross_report_checks(
        pd.DataFrame(reports, columns=["doc_id", "agency_name", "report_year", "template"]),
        pd.DataFrame(facts, columns=["doc_id", "measure", "breakdown", "value", "method"]))


def test_carry_over_between_years():
    reports = [("a", "某市统计局", 2020, "2019"), ("b", "某市统计局", 2021, "2021"), ("c", "别的局", 2021, "2021")]
    facts = [("a", "requests_carried_forward", "total", 3, "table"), ("b", "requests_carried_in", "total", 2, "table"),
             ("a", "requests_carried_forward", "natural_person", 2, "table"),
             ("b", "requests_carried_in", "natural_person", 2, "table"),
             ("c", "requests_carried_in", "total", 9, "table")]
    (row,) = _run(reports, facts)
    assert row["doc_id"] == "b" and row["check"] == "cross_year_carryover" and row["severity"] == "warning"
    assert "2" in row["message"] and "3" in row["message"] and "总计" in row["message"]


def test_in_force_chain_2021_format_only():
    reports = [("a", "某区政府", 2021, "2021"), ("b", "某区政府", 2022, "2021"),
               ("x", "某县政府", 2020, "2019"), ("y", "某县政府", 2021, "2021")]
    facts = [("a", "normative_docs_in_force", "", 100, "table"), ("b", "normative_docs_in_force", "", 103, "table"),
             ("b", "normative_docs_issued", "", 5, "table"), ("b", "normative_docs_repealed", "", 1, "table"),
             ("x", "rules_in_force", "", 10, "table"), ("y", "rules_in_force", "", 99, "table"),
             ("y", "rules_issued", "", 0, "table"), ("y", "rules_repealed", "", 0, "table")]
    (row,) = _run(reports, facts)
    assert row["doc_id"] == "b" and row["check"] == "cross_year_in_force" and row["severity"] == "info"
    assert "104" in row["message"] and "103" in row["message"]


def test_cross_checks_ignore_derived_and_ambiguous_pairs():
    reports = [("a", "某局", 2020, "2019"), ("b", "某局", 2021, "2021"), ("b2", "某局", 2021, "2021")]
    facts = [("a", "requests_carried_forward", "total", 3, "table"), ("b", "requests_carried_in", "total", 2, "table")]
    assert _run(reports, facts) == []
    assert cross_report_checks(pd.DataFrame(columns=["doc_id", "agency_name", "report_year"]),
                               pd.DataFrame(columns=["doc_id", "measure", "breakdown", "value"])) == []
