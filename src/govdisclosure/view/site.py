"""Build the offline evidence viewer: an index of reports and one page per report.

The site is static files only, so it opens from ``file://`` on a machine without network: the
script and style ship in ``assets/`` (package data, copied as they are), the index's data is a
script file that assigns a global (``fetch`` of a local JSON file is refused under ``file://``),
and every report page is complete HTML. The index holds one compact row per report and draws only
one page of rows at a time, so filtering and sorting stay quick at 100,000 reports.

Building is a single pass over the tables with the facts and checks grouped by document once
(no per-report filtering of the whole frame), which keeps 1,000 reports under a minute on one
core; PDF pages are rendered only when they hold located evidence (see `pdf_regions`).
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from govdisclosure import load, paths
from govdisclosure.view import checks as check_cells
from govdisclosure.view import page as report_page
from govdisclosure.view import pdf_regions
from govdisclosure.view.tables import FactRow

ASSETS = ("viewer.css", "report.js", "index.js")
INDEX_COLUMNS = ("doc_id", "title", "agency", "province", "city", "county", "year", "template",
                  "facts", "failed", "checks", "file")


@dataclass
class BuildStats:
    """What a build wrote: reports, figures, PDF pages rendered, figures located on PDF pages."""

    reports: int = 0
    facts: int = 0
    pdf_pages: int = 0
    located: int = 0
    pdf_facts: int = 0


def _group_rows(frame: pd.DataFrame, columns: Iterable[str]) -> dict[str, list[tuple]]:
    """doc_id -> its rows as tuples of `columns`, in table order, in one pass."""
    out: dict[str, list[tuple]] = {}
    cols = [_values(frame[c]) for c in columns]
    for doc_id, *row in zip(frame["doc_id"].tolist(), *cols):
        out.setdefault(doc_id, []).append(tuple(row))
    return out


def _values(column: pd.Series) -> list:
    """The column as a list, a missing string as None (pandas' NA has no truth value for `or ""`)."""
    if pd.api.types.is_string_dtype(column):
        return column.astype(object).where(column.notna(), None).tolist()
    return column.tolist()


def _text(value: object) -> str:
    """A nullable text column's value as text: NULL (a blank cell's evidence, no breakdown) is ""."""
    return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)


def _source(source_path: str, bases: Iterable[Path]) -> Path | None:
    """The source file of a report: as recorded, else relative to one of `bases`."""
    path = Path(source_path)
    if path.is_absolute():
        return path if path.is_file() else None
    for base in bases:
        if (base / path).is_file():
            return base / path
    return None


def build_site(processed: str | Path | Mapping[str, pd.DataFrame], out: str | Path,
               doc_ids: Iterable[str] | None = None, sources: Iterable[str | Path] = ()) -> BuildStats:
    """Write the viewer for the extracted tables into `out`.

    Args:
        processed: the folder `govdisclosure extract` wrote, or its tables as a dict of frames.
        out: the site folder (created; files of an earlier build are overwritten).
        doc_ids: only these reports (all when None). Unknown ids raise ValueError.
        sources: folders that relative ``source_path`` values are resolved against (after the
            current folder and the project root), for the PDF page images.

    Returns:
        Counts of what was written.
    """
    tables = dict(processed) if isinstance(processed, Mapping) else load.read_tables(processed)
    reports = tables["reports"]
    if doc_ids is not None:
        wanted = list(dict.fromkeys(doc_ids))
        unknown = sorted(set(wanted) - set(reports["doc_id"]))
        if unknown:
            raise ValueError(f"no such doc_id in the reports table: {', '.join(unknown)}")
        reports = reports[reports["doc_id"].isin(wanted)]
    out = Path(out)
    (out / "r").mkdir(parents=True, exist_ok=True)
    bases = [Path.cwd(), paths.ROOT, *(Path(s) for s in sources)]
    if not isinstance(processed, Mapping):
        bases.append(Path(processed).resolve().parent.parent)
    facts = _group_rows(tables["facts"], ("measure", "breakdown", "value", "unit", "method", "label",
                                          "evidence", "span_start", "span_end"))
    checks = _group_rows(tables["checks"], ("check", "severity", "message"))
    texts = dict(zip(tables["texts"]["doc_id"].tolist(), _values(tables["texts"]["text"])))
    stats = BuildStats()
    index_rows = []
    for meta in reports.to_dict("records"):
        doc_id = meta["doc_id"]
        doc_facts = [FactRow(i, m, _text(b), float(v), _text(u), method, _text(label), _text(ev), int(s), int(e))
                     for i, (m, b, v, u, method, label, ev, s, e) in enumerate(facts.get(doc_id, []))]
        doc_checks = checks.get(doc_id, [])
        html = _report_page(meta, texts.get(doc_id) or "", doc_facts, doc_checks, out, bases, stats)
        (out / "r" / f"{doc_id}.html").write_text(html, encoding="utf-8")
        stats.reports += 1
        stats.facts += len(doc_facts)
        index_rows.append(_index_row(meta, len(doc_facts), doc_checks))
    write_index(out, index_rows)
    return stats


def _report_page(meta: dict, text: str, facts: list[FactRow], checks: list[tuple], out: Path,
                 bases: list[Path], stats: BuildStats) -> str:
    cells = check_cells.cells_of_checks(facts, [(c, m) for c, _s, m in checks])
    rows = [report_page.CheckRow(c, s, m, k) for (c, s, m), k in zip(checks, cells)]
    source_path = str(meta.get("source_path") or "")
    regions, images, note = [], {}, ""
    if source_path.lower().endswith(".pdf") and facts:
        source = _source(source_path, bases)
        if source is None:
            note = "The source PDF was not found, so no page images are shown."
        else:
            regions, images, note = _pdf_regions(source, meta["doc_id"], text, facts, out, stats)
    stale = sum(text[f.start:f.end] != f.evidence for f in facts)
    if stale:  # tables from different runs, or edited by hand: the marks would point at other text
        note = (f"{stale} figure(s) have evidence that differs from the text at their offsets; "
                "their marks show the text at the offsets. " + note)
    return report_page.render(meta, text, facts, rows, regions, images, note)


def _pdf_regions(source: Path, doc_id: str, text: str, facts: list[FactRow], out: Path, stats: BuildStats):
    """Regions of the facts on the PDF's pages and the rendered pages; failures become a note."""
    try:
        regions, rendered = pdf_regions.locate(source, text, [(f.start, f.end) for f in facts],
                                               render_to=out / "r" / "img", stem=doc_id)
    except Exception as exc:  # noqa: BLE001 - a damaged PDF must not stop the site; the page says why
        return [], {}, f"The PDF pages could not be rendered ({type(exc).__name__}: {exc})."
    images = {n: pdf_regions.PageImage(f"img/{image.src}", image.width, image.height) for n, image in rendered.items()}
    found = sum(r is not None for r in regions)
    stats.pdf_pages += len(images)
    stats.located += found
    stats.pdf_facts += len(facts)
    note = f"{found} of {len(facts)} figures were found on the PDF pages; click one to see the page region."
    return regions, images, note


def _index_row(meta: dict, n_facts: int, checks: list[tuple]) -> list:
    year = meta.get("report_year")
    return [meta["doc_id"], meta.get("title") or "", meta.get("agency_name") or "", meta.get("province") or "",
            meta.get("city") or "", meta.get("county") or "", None if pd.isna(year) else int(year),
            meta.get("template") or "", n_facts, sum(s in report_page.FAILED for _c, s, _m in checks), len(checks),
            Path(str(meta.get("source_path") or "")).name]


def write_index(out: Path, rows: list[list]) -> None:
    """Write index.html, its data and the assets; `rows` hold the values of `INDEX_COLUMNS` per report."""
    _copy_assets(out / "assets")
    data = json.dumps({"columns": INDEX_COLUMNS, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
    (out / "index-data.js").write_text(f"window.GD_INDEX = {data.replace('<', chr(92) + 'u003c')};\n",
                                       encoding="utf-8")
    (out / "index.html").write_text(_INDEX_HTML, encoding="utf-8")


def _copy_assets(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    package = resources.files("govdisclosure.view").joinpath("assets")
    for name in ASSETS:
        with resources.as_file(package.joinpath(name)) as path:
            shutil.copyfile(path, folder / name)


_INDEX_HTML = """<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8">
<title>政府信息公开年度报告 · evidence viewer</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="assets/viewer.css"></head><body class="index">
<header><h1>Reports</h1><p class="meta">Every figure with the text it was read from. Click a report.</p>
<form id="filters" onsubmit="return false">
<label>Province <select id="f-province"><option value="">all</option></select></label>
<label>Year <select id="f-year"><option value="">all</option></select></label>
<label>Template <select id="f-template"><option value="">all</option></select></label>
<label><input type="checkbox" id="f-failed"> has failed checks</label>
<label>Search <input type="search" id="f-text" placeholder="agency or title"></label>
<span id="count"></span></form></header>
<main><table id="reports"><thead><tr>
<th data-col="agency">agency</th><th data-col="title">title</th><th data-col="province">province</th>
<th data-col="city">city</th><th data-col="year">year</th><th data-col="template">template</th>
<th data-col="facts">figures</th><th data-col="failed">failed checks</th></tr></thead><tbody></tbody></table>
<nav id="pager"><button id="prev">‹ previous</button> <span id="pageinfo"></span> <button id="next">next ›</button></nav>
</main><script src="index-data.js"></script><script src="assets/index.js"></script></body></html>
"""
