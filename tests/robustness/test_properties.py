"""Property tests: no input makes `process_file` raise, and whatever it emits fits the schema.

Random bytes exercise the sniffing and the readers' refusals; bytes behind a real magic number
(`%PDF-`, `PK`, `<html>`, a UTF-16 BOM) get past the first check and into the parsers; mutated real
reports (bytes flipped, cut, repeated, and edits to the text of a .docx inside a valid zip) reach
cleaning, metadata and the extractors. Beyond not raising, a run must be well-formed: one reports
row, every row linked to it, every error naming the file, every fact pointing at its evidence, and
no finding that says the code itself failed (`reader_failed`, `extraction_failed`).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govdisclosure import pipeline, schema
from support.locations import RAW

SUFFIXES = [".txt", ".html", ".htm", ".pdf", ".docx", ".xls", ""]
MAGIC = [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
         codecs.BOM_UTF16_LE, codecs.BOM_UTF8 + "政府信息公开工作年度报告\n".encode()]
TEXT_REPORTS = sorted(p for p in RAW.iterdir() if p.suffix in (".txt", ".html"))
DOCX = RAW / "format_2021_blank_template.docx"
PDF = RAW / "hongze_district_2023.pdf"
BUG_CHECKS = {"reader_failed", "extraction_failed"}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


class Emitted:
    """Everything the examples of one test emitted, validated against the schema in one go.

    Validating every example's rows on its own would cost a third of a second each (pandera);
    collecting them keeps the property tests fast and still checks every row.
    """

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {table: [] for table in schema.TABLES}
        self.seen: set[str] = set()

    def check(self, result: pipeline.DocResult, name: str, data: bytes) -> None:
        """The per-example properties; the rows are kept for `validate`."""
        (report,) = result.reports
        doc_id = pipeline.doc_id_of(data)
        assert report["doc_id"] == doc_id
        for table in schema.TABLES:
            rows = getattr(result, table)
            assert all(row["doc_id"] == doc_id and set(row) == set(schema.column_names(table)) for row in rows)
            if doc_id not in self.seen:  # a doc_id is a key of the tables: keep one example per content
                self.rows[table].extend(rows)
        self.seen.add(doc_id)
        bugs = [c["message"] for c in result.checks if c["check"] in BUG_CHECKS]
        assert not bugs, bugs
        assert all(name in c["message"] for c in result.checks if c["severity"] == "error")
        text = result.texts[0]["text"] if result.texts else ""
        assert all(text[f["span_start"]:f["span_end"]] == f["evidence"] for f in result.facts)

    def validate(self) -> None:
        for table, rows in self.rows.items():
            schema.finalise(table, schema.to_frame(table, rows))  # raises when a row breaks the schema


def never_raises(cases: st.SearchStrategy[tuple[str, bytes]], max_examples: int) -> None:
    """Run `process_file` on (name, bytes) drawn from `cases`; check every example and all rows."""
    emitted = Emitted()

    @settings(FAST, max_examples=max_examples)
    @given(case=cases)
    def run(case):
        name, data = case
        emitted.check(pipeline.process_file(Path(name), data), name, data)

    run()
    emitted.validate()


def test_random_bytes_never_raise():
    never_raises(st.tuples(st.sampled_from(SUFFIXES).map(lambda suffix: f"random{suffix}"),
                           st.builds(bytes.__add__, st.sampled_from(MAGIC), st.binary(max_size=3000))), 80)


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` after a few of the accidents of a bad transfer or a careless edit."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete", "repeat"]))
        at = draw(st.integers(0, max(len(buf) - 1, 0)))
        size = draw(st.integers(1, 2000))
        if op == "flip" and buf:
            buf[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del buf[at:]
        elif op == "insert":
            buf[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "delete":
            del buf[at:at + size]
        else:
            buf[at:at] = buf[at:at + size]
    return bytes(buf)


@st.composite
def docx_with_edited_body(draw) -> bytes:
    """A zip that stays valid around a damaged word/document.xml: the damage reaches python-docx."""
    out = io.BytesIO()
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = src.read(info)
            if info.filename == "word/document.xml":
                member = draw(mutated(member))
            dst.writestr(info, member)
    return out.getvalue()


def test_mutated_text_and_html_reports_never_raise():
    never_raises(st.sampled_from(TEXT_REPORTS).flatmap(lambda path: st.tuples(st.just(path.name),
                                                                              mutated(path.read_bytes()))), 40)


def test_mutated_docx_never_raises():
    never_raises(st.tuples(st.just("m.docx"), st.one_of(docx_with_edited_body(), mutated(DOCX.read_bytes()))), 20)


def test_mutated_pdf_never_raises():
    never_raises(st.tuples(st.just("m.pdf"), mutated(PDF.read_bytes())), 6)  # half a second each
