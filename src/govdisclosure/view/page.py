"""One report's page: its tables and checks on the left, its cleaned text with the evidence on the right.

The page is plain HTML written here; the script that ships with the site (`assets/report.js`) only
adds behaviour (click a cell: scroll to and flash its evidence; click evidence: back to the cell;
show the PDF region). Everything taken from the report — text, labels, titles, check messages —
goes through `html.escape`, and the little data the script needs travels as JSON in a
``<script type="application/json">`` block with every ``<`` escaped, so no report text can close
that block or be read as markup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from govdisclosure import labels
from govdisclosure.view import spans as span_layout
from govdisclosure.view.pdf_regions import PageImage, Region
from govdisclosure.view.tables import FactRow, figure_list, fmt_value
from govdisclosure.view.tables import layout as table_layout

#: Check severities that count as failed (``info`` findings are notes, not failures).
FAILED = ("error", "warning")
_OPEN_CHECKS = 6


@dataclass(frozen=True)
class CheckRow:
    """A checks row of the report and the cells (``measure|breakdown`` keys) it concerns."""

    check: str
    severity: str
    message: str
    cells: frozenset[str]


def _json_for_script(data: object) -> str:
    """JSON safe inside a script element: no ``<`` survives, so ``</script>`` cannot occur."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _priority(fact: FactRow) -> int:
    """Printed figures are kept whole before derived ones (see `spans`)."""
    return 1 if fact.method == "derived" else 0


def render(meta: dict, text: str, facts: Sequence[FactRow], checks: Sequence[CheckRow],
           regions: Sequence[Region | None] = (), images: dict[int, PageImage] | None = None,
           note: str = "") -> str:
    """The HTML of one report page.

    Args:
        meta: the report's row of the reports table (title, agency_name, report_year, …).
        text: its cleaned text.
        facts: its facts, numbered 0… in order.
        checks: its checks with the cells each concerns.
        regions: per fact, where its evidence is on the PDF page (empty for other formats).
        images: page number -> rendered page image, for the pages `regions` refer to.
        note: a line about the source shown under the title (e.g. why there are no page images).

    Returns:
        A complete HTML document that refers to ``../assets/``.
    """
    images = images or {}
    layout = span_layout.layout([(f.start, f.end) for f in facts], [_priority(f) for f in facts])
    kinds = [f' class="ev {"d" if f.method == "derived" else "p"}"' for f in facts]
    text_html = span_layout.render(text, layout, kinds)
    failing: dict[str, list[int]] = {}
    flags: dict[str, str] = {}
    for k, check in enumerate(checks):
        for key in check.cells:
            failing.setdefault(key, []).append(k)
            if check.severity in FAILED or flags.get(key) != "fail":
                flags[key] = "fail" if check.severity in FAILED else "noted"
    tables_html, rest = table_layout(facts, flags)
    data = {
        "facts": [[f.label, f.measure, f.breakdown, fmt_value(f.value), f.unit, f.method, f.key,
                   _region(regions[f.i]) if regions else None] for f in facts],
        "images": {str(n): [img.src, img.width, img.height] for n, img in images.items()},
        "checks": [[c.check, c.severity, c.message, sorted(c.cells)] for c in checks],
        "cellChecks": failing,
    }
    title = meta.get("title") or meta.get("agency_name") or meta.get("doc_id")
    place = " ".join(str(meta.get(k) or "") for k in ("province", "city", "county")).strip()
    facts_line = f"{len(facts)} figures · template {meta.get('template') or '?'} · {place or 'place unknown'}"
    return "".join([
        '<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">',
        f"<title>{escape(str(title))}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="stylesheet" href="../assets/viewer.css"></head><body class="report">',
        '<header><a href="../index.html" class="back">← all reports</a>',
        f"<h1>{escape(str(title))}</h1>",
        f'<p class="meta">{escape(str(meta.get("agency_name") or ""))} · {escape(str(meta.get("report_year") or ""))}'
        + f" · {escape(facts_line)} · <code>{escape(str(meta.get('source_path') or ''))}</code></p>",
        f'<p class="note">{escape(note)}</p>' if note else "",
        "</header><main>",
        '<section id="left"><div id="detail" hidden></div>',
        _checks_html(checks),
        tables_html,
        figure_list(rest, flags),
        "</section>",
        f'<section id="right"><h2>Text</h2><div id="text" class="text">{text_html}</div></section>',
        "</main>",
        f'<script type="application/json" id="gd-data">{_json_for_script(data)}</script>',
        '<script src="../assets/report.js"></script></body></html>',
    ])


def _region(region: Region | None) -> list | None:
    if region is None:
        return None
    return [region.page, round(region.left, 1), round(region.top, 1), round(region.right, 1),
            round(region.bottom, 1)]


def _checks_html(checks: Sequence[CheckRow]) -> str:
    if not checks:
        return '<h3>Checks</h3><p class="ok">No findings.</p>'
    rows = []
    named = labels.pairs("check")
    for k, c in enumerate(checks):
        where = f'<button class="cells" data-c="{k}">{len(c.cells)} cell(s)</button>' if c.cells else ""
        zh, en = named.get(c.check, ("", ""))
        name = f' <span class="lbl" title="{escape(en)}">{escape(zh)}</span>' if zh else ""
        rows.append(f'<li class="check {escape(c.severity)}" data-c="{k}"><b>{escape(c.severity)}</b> '
                    f"<code>{escape(c.check)}</code>{name} {escape(c.message)} {where}</li>")
    failed = sum(c.severity in FAILED for c in checks)
    # A long list would push the tables off the screen: it starts folded, its count still shows.
    fold = "" if len(checks) <= _OPEN_CHECKS else " closed"
    return (f'<details id="checks-box"{" open" if not fold else ""}><summary><h3>Checks ({failed} failed of '
            f'{len(checks)})</h3></summary><ul id="checks">{"".join(rows)}</ul></details>')
