"""The coverage audit: one verdict per number with a disclosure unit, with its reason and offsets.

Verdicts are checked exactly on real sentences of the national fixtures (a cumulative figure, a
part of the jurisdiction, another year, a place counted instead of requests …), coverage is
checked on the whole fixture set and the bundled corpus, and generated sentences check the
audit's contract: every count with a disclosure unit gets exactly one verdict, and every
rejection carries a documented reason.
"""

from __future__ import annotations

import csv

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from govdisclosure import pipeline
from govdisclosure.cli import app
from govdisclosure.document import Document
from govdisclosure.transform.narrative import audit
from govdisclosure.transform.numbers import find_quantities
from support.locations import FIXTURES, RAW
from support.numerals import to_chinese

NATIONAL = FIXTURES / "national"


def verdicts_of(name: str) -> dict[str, audit.Verdict]:
    doc = pipeline.read_document(NATIONAL / name)
    return {v.number: v for v in audit.audit_document(doc, "narrative")}


@pytest.mark.parametrize(("name", "number", "verdict", "what"), [
    ("mwr_2009.txt", "1192条", "fact", "proactive_items"),
    ("mwr_2009.txt", "8400多条", "rejected", "cumulative"),  # 截止2009年12月底…已主动公开
    ("mwr_2009.txt", "4746万人次", "rejected", "cumulative"),  # 累计访问量…, 其中2009年度1499万人次
    ("mwr_2009.txt", "1499万人次", "fact", "website_visits"),
    ("heilongjiang_2011.txt", "82万条", "rejected", "part_of_jurisdiction"),  # 各县级政府…
    ("heilongjiang_2011.txt", "14.9万条", "rejected", "part_of_jurisdiction"),  # listed with the levels
    ("zhangyi_town_2009.txt", "24余条", "rejected", "other_year"),  # 2010年… in the 2009 report
    ("huairou_dprc_2010.txt", "1个", "rejected", "other_thing"),  # 1个专门的信息申请受理点
    ("yining_county_2014.txt", "8632条", "fact", "channel_items"),  # all the portal posted …
    ("yining_county_2014.txt", "399条", "fact", "proactive_items"),
    ("quangang_edu_2013.txt", "24条", "rejected", "information_attribute"),  # 不予公开信息数 beside 主动公开
    ("quangang_edu_2013.txt", "158条", "fact", "proactive_items"),
])
def test_verdicts_on_real_sentences(name, number, verdict, what):
    v = verdicts_of(name)[number]
    assert (v.verdict, v.measure if verdict == "fact" else v.reason) == (verdict, what)


def test_a_total_with_the_disclosure_total_after_qizhong():
    text = "2014年工作报告。\n2014年在网上发布各类政府信息8632条，其中，发布政府信息公开信息共399条。"
    verdicts = {v.number: v for v in audit.audit_document(Document("t", "t.txt", text), "narrative")}
    assert (verdicts["8632条"].verdict, verdicts["8632条"].reason) == ("rejected", "includes_other_items")
    assert (verdicts["399条"].verdict, verdicts["399条"].measure) == ("fact", "proactive_items")


def test_verdict_offsets_point_at_the_text():
    doc = pipeline.read_document(NATIONAL / "mwr_2009.txt")
    for v in audit.audit_document(doc, "narrative"):
        assert doc.text[v.start:v.end] == v.number
        assert doc.text[v.evidence_start:v.evidence_end] == v.evidence
        assert v.evidence_start <= v.start < v.end <= v.evidence_end


def _fixture_verdicts() -> list[audit.Verdict]:
    with (NATIONAL / "expected_reports.csv").open(encoding="utf-8") as fh:
        templates = {r["source_file"]: r["template"] for r in csv.DictReader(fh)}
    return [v for name, template in sorted(templates.items())
            for v in audit.audit_document(pipeline.read_document(NATIONAL / name), template)]


def test_coverage_of_the_national_fixtures():
    summary = audit.summary(_fixture_verdicts())
    assert summary["numbers"] > 300
    assert summary["coverage"] >= 0.95


def test_coverage_of_the_bundled_corpus():
    summary = audit.summary(audit.audit_paths([RAW], pipeline.read_document))
    assert summary["numbers"] > 250
    assert summary["coverage"] >= 0.90


# --- the contract, on generated sentences ------------------------------------------------------

PHRASES = ["全年共主动公开政府信息", "共受理政府信息公开申请", "比上年增加", "截至目前累计公开信息", "设立了",
           "发放宣传资料", "举办新闻发布会", "收取费用", "其中当面申请", "答复", "全县各乡镇公开信息", "网站访问量达",
           "没有发生", "2010年我镇通过门户网站公开各类政府信息", "是", "编印《工作简报》", ""]
UNITS = sorted(audit.disclosure_units())


@st.composite
def counts(draw) -> str:
    n = draw(st.integers(min_value=0, max_value=99_999))
    number = draw(st.sampled_from([str(n), to_chinese(n) if n else "零", f"{n:,}"]))
    approx = draw(st.sampled_from(["", "近", "约"])), draw(st.sampled_from(["", "余", "多"]))
    mult = draw(st.sampled_from(["", "万"])) if number.isdigit() else ""
    return f"{approx[0]}{number}{mult}{approx[1]}{draw(st.sampled_from(UNITS))}"


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PHRASES), counts(), st.sampled_from(["，", "。", "；", "、", "\n"])),
                min_size=1, max_size=8))
def test_every_count_gets_exactly_one_verdict(parts):
    text = "2009年政府信息公开工作年度报告\n" + "".join(p + c + end for p, c, end in parts)
    doc = Document("gen", "gen.txt", text)
    verdicts = audit.audit_document(doc, "narrative")
    counted = [(q.start, q.end) for q in find_quantities(text) if q.unit in audit.disclosure_units()]
    assert [(v.start, v.end) for v in verdicts] == counted
    for v in verdicts:
        assert v.verdict in audit.VERDICTS
        assert text[v.start:v.end] == v.number
        if v.verdict == "rejected":
            assert v.reason in audit.REASONS
        if v.verdict == "fact":
            assert v.measure
    summary = audit.summary(verdicts)
    assert summary["fact"] + summary["rejected"] + summary["unclassified"] == len(counted)


# --- the command -------------------------------------------------------------------------------

def test_audit_command_writes_one_row_per_number(tmp_path):
    out = tmp_path / "audit.csv"
    result = CliRunner().invoke(app, ["audit", str(NATIONAL / "mwr_2009.txt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "coverage" in result.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["number"] for r in rows} >= {"1192条", "8400多条", "4746万人次"}
    assert all(r["verdict"] in audit.VERDICTS for r in rows)


def test_audit_command_names_a_missing_path(tmp_path):
    result = CliRunner().invoke(app, ["audit", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such file" in result.output
