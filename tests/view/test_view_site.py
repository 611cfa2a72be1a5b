"""Building the viewer without a browser: files written, the command line, checks on cells, PDF regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner
from viewer_cases import HONGZE, SHANGHAI, doc_id_of

from govdisclosure import load
from govdisclosure.cli import app
from govdisclosure.measures import APPLICANT_BREAKDOWNS
from govdisclosure.national_form import request_rows
from govdisclosure.view import build_site, pdf_regions
from govdisclosure.view.checks import cells_of_checks
from govdisclosure.view.tables import FactRow
from support.locations import RAW


def _facts(tables, doc_id) -> list[FactRow]:
    f = tables["facts"][tables["facts"].doc_id == doc_id].fillna({"breakdown": "", "label": "", "evidence": ""})
    return [FactRow(i, m, b or "", v, u, method, label, ev, s, e) for i, (m, b, v, u, method, label, ev, s, e) in
            enumerate(zip(f.measure, f.breakdown, f.value, f.unit, f.method, f.label, f.evidence, f.span_start,
                          f.span_end))]


def _index(site: Path) -> dict:
    script = (site / "index-data.js").read_text(encoding="utf-8")
    return json.loads(script.removeprefix("window.GD_INDEX = ").rstrip().removesuffix(";"))


def test_one_page_per_report_and_an_index_row_each(corpus_site, corpus_tables):
    reports = corpus_tables["reports"]
    assert sorted(p.stem for p in (corpus_site / "r").glob("*.html")) == sorted(reports.doc_id)
    index = _index(corpus_site)
    assert sorted(r[0] for r in index["rows"]) == sorted(reports.doc_id)
    hongze = next(r for r in index["rows"] if r[0] == doc_id_of(corpus_tables, HONGZE))
    assert dict(zip(index["columns"], hongze)) | {"title": "", "agency": ""} == {
        "doc_id": doc_id_of(corpus_tables, HONGZE), "title": "", "agency": "", "province": "江苏省",
        "city": "淮安市", "county": "洪泽区", "year": 2023, "template": "2021", "facts": 211, "failed": 2,
        "checks": 2, "file": HONGZE}
    for name in ("viewer.css", "report.js", "index.js"):
        assert (corpus_site / "assets" / name).stat().st_size > 500
    # only the pages that hold located evidence are rendered, once each
    assert sorted(p.name for p in (corpus_site / "r" / "img").iterdir()) == \
        [f"{doc_id_of(corpus_tables, HONGZE)}-p{n}.jpg" for n in range(1, 6)]
    # nothing is fetched from the network
    for page in [corpus_site / "index.html", *(corpus_site / "r").glob("*.html")]:
        assert "http://" not in page.read_text(encoding="utf-8").split("<main>")[0]
        assert "https://" not in page.read_text(encoding="utf-8").split("<main>")[0]


def test_the_view_command_builds_chosen_reports_and_rejects_unknown_ones(tmp_path):
    processed = tmp_path / "processed"
    runner = CliRunner()
    source = RAW / HONGZE
    assert runner.invoke(app, ["extract", str(source), "--out", str(processed), "--workers", "1"]).exit_code == 0
    doc_id = load.read_tables(processed)["reports"].doc_id.item()
    result = runner.invoke(app, ["view", str(processed), "--out", str(tmp_path / "site"), "--doc", doc_id])
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "site" / "r").glob("*.html")] == [f"{doc_id}.html"]
    assert "1 report pages, 211 figures, 5 PDF pages rendered" in result.output
    result = runner.invoke(app, ["view", str(processed), "--out", str(tmp_path / "other"), "--doc", "0000"])
    assert result.exit_code == 2
    assert "no such doc_id in the reports table: 0000" in result.output
    assert runner.invoke(app, ["view", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")]).exit_code == 2


def test_a_missing_source_pdf_is_said_on_the_page(corpus_tables, tmp_path):
    doc_id = doc_id_of(corpus_tables, HONGZE)
    tables = {name: frame[frame.doc_id == doc_id] for name, frame in corpus_tables.items()}
    tables["reports"] = tables["reports"].assign(source_path="moved/away.pdf")
    stats = build_site(tables, tmp_path)
    assert stats.pdf_pages == 0
    assert "The source PDF was not found" in (tmp_path / "r" / f"{doc_id}.html").read_text(encoding="utf-8")


def test_identity_checks_are_mapped_to_their_cells(corpus_tables):
    checks = corpus_tables["checks"]
    shanghai = doc_id_of(corpus_tables, SHANGHAI)
    rows = checks[checks.doc_id == shanghai]
    cells = dict(zip(rows.message, cells_of_checks(_facts(corpus_tables, shanghai), zip(rows.check, rows.message))))
    total = rows.message[rows.check == "identity_request_total"].item()
    assert "the sum of its 19 rows" in total
    assert len(cells[total]) == 20 and {k.split("|")[1] for k in cells[total]} == {"total"}
    assert "outcome_total|total" in cells[total]
    row_sum = rows.message[rows.message.str.contains("row 2.重复申请")].item()
    assert cells[row_sum] == {f"outcome_not_processed_repeat|{b}" for b in APPLICANT_BREAKDOWNS}
    contradiction = rows.message[rows.check == "text_contradicts_table"].item()
    assert cells[contradiction] == {"outcome_withheld|total"}
    assert all(cells[m] == set() for m in rows.message[rows.check == "percentage_mismatch"])

    hongze = doc_id_of(corpus_tables, HONGZE)
    rows = checks[checks.doc_id == hongze]
    mapped = cells_of_checks(_facts(corpus_tables, hongze), zip(rows.check, rows.message))
    assert mapped == [{f"reconsideration_{x}|" for x in ("upheld", "corrected", "other", "pending", "total")},
                      {f"litigation_after_review_{x}|" for x in ("upheld", "corrected", "other", "pending",
                                                                 "total")}]


def test_a_subtotal_identity_is_found_from_its_message():
    """Subtotal rows are not facts, so the message names the cells (a province's printed subtotal)."""
    members = [r.measure for r in request_rows() if r.group == "outcome_withheld"]
    message = ("request table, column 自然人: outcome_withheld = 其各项之和 fails: outcome_withheld = 5, "
               "the sum of its 8 rows = 4")
    assert cells_of_checks([], [("identity_group_subtotal", message)]) == \
        [{f"{m}|natural_person" for m in ["outcome_withheld", *members]}]


def test_evidence_is_found_on_the_pdf_page(corpus_tables, tmp_path):
    doc_id = doc_id_of(corpus_tables, HONGZE)
    facts = corpus_tables["facts"][corpus_tables["facts"].doc_id == doc_id]
    text = corpus_tables["texts"].set_index("doc_id").text[doc_id]
    regions, images = pdf_regions.locate(RAW / HONGZE, text, list(zip(facts.span_start, facts.span_end)),
                                         render_to=tmp_path, stem="hz")
    assert images == {n: pdf_regions.PageImage(f"hz-p{n + 1}.jpg", 595.0, 842.0) for n in range(5)}
    assert (tmp_path / "hz-p2.jpg").read_bytes()[:3] == b"\xff\xd8\xff"  # a JPEG
    assert sum(r is not None for r in regions) >= 195  # the rest cannot be told apart and get no region
    by_measure = dict(zip(zip(facts.measure, facts.breakdown.fillna("")), regions))
    issued, repealed = by_measure[("rules_issued", "")], by_measure[("rules_repealed", "")]
    # 规章 本年制发件数 and 本年废止件数: the two zeros of one row, on page 2, left to right
    assert issued.page == repealed.page == 1
    assert issued.right < repealed.left and abs(issued.top - repealed.top) < 1
    assert 280 < issued.left < 285 and 550 < issued.top < 556
    fees = by_measure[("fees_amount", "")]
    assert fees.right - fees.left > 20  # 7730.28: the whole figure, not one digit


@pytest.mark.parametrize("value, shown", [(0.0, "0"), (251000.0, "251000"), (7730.28, "7730.28"),
                                          (13575394432.52, "13575394432.52"), (float("nan"), "NA")])
def test_figures_are_shown_as_printed(value, shown):
    from govdisclosure.view.tables import fmt_value

    assert fmt_value(value) == shown


def test_evidence_that_disagrees_with_the_text_is_said_on_the_page(corpus_tables, tmp_path):
    doc_id = doc_id_of(corpus_tables, SHANGHAI)
    tables = {name: frame[frame.doc_id == doc_id] for name, frame in corpus_tables.items()}
    facts = tables["facts"].copy()
    facts.loc[facts.index[:2], "evidence"] = "不是这段文字"
    build_site(tables | {"facts": facts}, tmp_path)
    page = (tmp_path / "r" / f"{doc_id}.html").read_text(encoding="utf-8")
    assert "2 figure(s) have evidence that differs from the text at their offsets" in page
