"""The viewer in a real browser: evidence marks, cell -> evidence -> cell, checks on cells, escaping, speed."""

from __future__ import annotations

import time

import pandas as pd
import pytest
from viewer_cases import COMBINED, HONGZE, PINGTAN, SHANGHAI, doc_id_of

from govdisclosure.national_form import REVIEW_BLOCK_LABELS
from govdisclosure.transform.national.identities import review_groups
from govdisclosure.view.site import INDEX_COLUMNS, write_index

# Per fact number: the marks that carry it, their part numbers, and the text from the start of the
# first to the end of the last (a Range, so pieces must also be contiguous to match).
_MARKS = """(() => {
  const out = {};
  for (const m of document.querySelectorAll('#text mark[data-f]')) {
    const f = m.getAttribute('data-f');
    (out[f] = out[f] || {n: 0, parts: [], els: []}).n += 1;
    out[f].parts.push(m.getAttribute('data-part'));
    out[f].els.push(m);
  }
  for (const f in out) {
    const els = out[f].els, range = document.createRange();
    range.setStartBefore(els[0]); range.setEndAfter(els[els.length - 1]);
    out[f].text = range.toString();
    out[f].whole = els.length === 1 ? els[0].textContent : null;
    delete out[f].els;
  }
  return out;
})()"""


def _open(browser, site, doc_id):
    browser.open((site / "r" / f"{doc_id}.html").as_uri())
    assert browser.eval("document.body.getAttribute('data-ready')") == "1"


@pytest.mark.parametrize("file_name", [SHANGHAI, HONGZE, PINGTAN])
def test_every_fact_has_its_evidence_highlighted_once(browser, corpus_site, corpus_tables, file_name):
    doc_id = doc_id_of(corpus_tables, file_name)
    facts = corpus_tables["facts"][corpus_tables["facts"].doc_id == doc_id].reset_index(drop=True)
    assert len(facts) > 20
    _open(browser, corpus_site, doc_id)
    marks = browser.eval(_MARKS)
    assert sorted(map(int, marks)) == list(range(len(facts)))
    split = 0
    for i, fact in facts.iterrows():
        got = marks[str(i)]
        evidence = "" if pd.isna(fact.evidence) else fact.evidence  # NULL: a blank cell, an empty mark
        assert got["text"] == evidence, (i, fact.measure, fact.breakdown)
        if got["n"] == 1:
            assert got["parts"] == [None] and got["whole"] == evidence
        else:
            # Only a span that crosses another is cut, and only derived totals' spans do in this corpus.
            split += 1
            assert got["parts"] == [str(k) for k in range(got["n"])]
            assert fact.method == "derived", (fact.measure, fact.breakdown)
    # Every printed figure (and most derived ones) has exactly one element.
    assert split <= (facts.method == "derived").sum()
    # Clickable in the tables: every fact is placed once (a cell or a row of the figure list).
    placed = browser.eval("[...document.querySelectorAll('#left [data-f]')].map(e => +e.getAttribute('data-f'))")
    assert sorted(placed) == list(range(len(facts)))


def test_clicking_a_cell_scrolls_to_its_evidence_and_back(browser, corpus_site, corpus_tables):
    doc_id = doc_id_of(corpus_tables, HONGZE)
    facts = corpus_tables["facts"][corpus_tables["facts"].doc_id == doc_id].reset_index(drop=True)
    target = facts.index[(facts.measure == "litigation_after_review_total")].item()
    _open(browser, corpus_site, doc_id)
    in_view = f"""(() => {{
      const m = document.querySelector('#text mark[data-f="{target}"]').getBoundingClientRect();
      const pane = document.getElementById('right').getBoundingClientRect();
      return m.top >= pane.top && m.bottom <= pane.bottom && m.bottom <= window.innerHeight;
    }})()"""
    assert browser.eval(in_view) is False  # the review table's evidence is far down the text
    x, y = browser.eval(f"""(() => {{
      const c = document.querySelector('#left td[data-f="{target}"]');
      c.scrollIntoView({{block: 'center'}});
      const r = c.getBoundingClientRect();
      return [r.left + r.width / 2, r.top + r.height / 2];
    }})()""")
    browser.click(x, y)
    assert browser.eval(in_view) is True
    assert browser.eval(f"document.querySelector('#text mark[data-f=\"{target}\"]').classList.contains('flash')")
    # and back: clicking the evidence selects and scrolls to the cell again
    browser.eval("document.getElementById('left').scrollTop = 0")
    x, y = browser.eval(f"""(() => {{
      const r = document.querySelector('#text mark[data-f="{target}"]').getBoundingClientRect();
      return [r.left + 2, r.top + r.height / 2];
    }})()""")
    browser.click(x, y)
    assert browser.eval(f"""(() => {{
      const c = document.querySelector('#left td[data-f="{target}"]'), r = c.getBoundingClientRect();
      return c.classList.contains('selected') && r.top >= 0 && r.bottom <= window.innerHeight;
    }})()""")
    # the detail box shows the page region of the PDF for this cell
    assert browser.eval("document.querySelector('#detail .crop img').getAttribute('src')").startswith("img/")


def test_a_failed_identity_marks_its_cells(browser, corpus_site, corpus_tables):
    checks = corpus_tables["checks"]
    hongze = doc_id_of(corpus_tables, HONGZE)
    failed_blocks = [block for block, _parts, _total in review_groups()
                     for message in checks[(checks.doc_id == hongze) & (checks.check == "identity_review_block")].message
                     if f"table, {REVIEW_BLOCK_LABELS[block]}:" in message]
    assert failed_blocks == ["reconsideration", "litigation_after_review"]
    _open(browser, corpus_site, hongze)
    flagged = set(browser.eval("[...document.querySelectorAll('#left td.fail')].map(c => c.getAttribute('data-k'))"))
    expected = {f"{m}|" for block in failed_blocks for _b, parts, total in [g for g in review_groups() if g[0] == block]
                for m in (*parts, total)}
    assert expected <= flagged
    assert "litigation_direct_total|" not in flagged  # its block adds up

    shanghai = doc_id_of(corpus_tables, SHANGHAI)
    assert (checks[checks.doc_id == shanghai].check == "identity_request_total").sum() == 1
    _open(browser, corpus_site, shanghai)
    flagged = set(browser.eval("[...document.querySelectorAll('#left td.fail')].map(c => c.getAttribute('data-k'))"))
    # （七）总计 = the sum of the outcome rows fails in the 总计 column: （七）and the rows in that column
    assert {"outcome_total|total", "outcome_disclosed|total", "outcome_withheld_state_secret|total"} <= flagged
    assert "requests_new|natural_person" not in flagged


def test_markup_in_the_report_text_is_shown_as_text(browser, extra_site, script_tables):
    doc_id = script_tables["reports"].doc_id.item()
    _open(browser, extra_site, doc_id)
    assert browser.eval("document.body.getAttribute('data-pwned')") is None
    assert browser.eval("document.querySelectorAll('#text script, #text b, #left script').length") == 0
    text = browser.eval("document.getElementById('text').textContent")
    assert text == script_tables["texts"].text.item()
    assert '<script>document.body.setAttribute("data-pwned", "1")</script>' in text
    facts = script_tables["facts"].reset_index(drop=True)
    with_tag = facts.index[facts.evidence.str.contains("<script>")].item()
    assert browser.eval(f"document.querySelector('#text mark[data-f=\"{with_tag}\"]').textContent") == \
        facts.evidence[with_tag]


def test_a_page_with_400_facts_opens_within_a_second(browser, extra_site):
    _open(browser, extra_site, COMBINED)
    assert browser.eval("document.querySelectorAll('#left [data-f]').length") > 400
    # The best of up to five loads: other processes on a shared test machine only ever add time.
    loads = []
    for _ in range(5):
        _open(browser, extra_site, COMBINED)
        loads.append(browser.eval("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        if loads[-1] < 1000:
            break
    assert min(loads) < 1000, loads


def test_index_filters_sorts_and_pages(browser, corpus_site, corpus_tables):
    browser.open((corpus_site / "index.html").as_uri())
    assert browser.eval("document.querySelectorAll('#reports tbody tr').length") == len(corpus_tables["reports"])
    browser.eval("document.getElementById('f-template').value = '2021';"
                 "document.getElementById('f-template').dispatchEvent(new Event('change'))")
    expected = (corpus_tables["reports"].template == "2021").sum()
    assert browser.eval("document.querySelectorAll('#reports tbody tr').length") == expected
    browser.eval("document.getElementById('f-failed').click()")
    failed = corpus_tables["checks"][corpus_tables["checks"].severity.isin(["error", "warning"])].doc_id
    assert browser.eval("document.querySelectorAll('#reports tbody tr').length") == \
        ((corpus_tables["reports"].template == "2021") & corpus_tables["reports"].doc_id.isin(failed)).sum()


def test_the_index_stays_quick_at_100000_reports(browser, tmp_path):
    rows = [[f"{k:016x}", f"报告{k}", f"机关{k % 977}", f"省{k % 31}", "", "", 2008 + k % 17,
             ["narrative", "2019", "2021"][k % 3], k % 300, k % 4, k % 7, f"{k}.txt"] for k in range(100_000)]
    assert len(rows[0]) == len(INDEX_COLUMNS)
    write_index(tmp_path, rows)
    opened = []
    for _ in range(3):  # the best of three, as above
        started = time.perf_counter()
        browser.open((tmp_path / "index.html").as_uri())
        opened.append(time.perf_counter() - started)
        if opened[-1] < 5:
            break
    assert browser.eval("document.querySelectorAll('#reports tbody tr').length") == 100
    timed = """(() => { const t0 = performance.now();
      document.querySelector('th[data-col="year"]').click();
      const f = document.getElementById('f-province'); f.value = '省7'; f.dispatchEvent(new Event('change'));
      return [performance.now() - t0, document.getElementById('count').textContent]; })()"""
    elapsed, count = browser.eval(timed)
    assert count.startswith(f"{sum(1 for k in range(100_000) if k % 31 == 7)} of 100000")
    # Opening parses ~9 MB of data (about 2 s on a busy test machine); sorting and filtering are the
    # interaction, and must feel immediate.
    assert min(opened) < 5 and elapsed < 1000, (opened, elapsed)
