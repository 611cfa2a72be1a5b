"""OCR of scanned pages (the optional `ocr` extra): skipped when the engine is not installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from govdisclosure.extract import pdf_ocr
from govdisclosure.limits import Limits
from govdisclosure.pipeline import process_file
from support.locations import RAW

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not pdf_ocr.available(), reason="the ocr extra is not installed")]

SCAN = Path(__file__).resolve().parents[1] / "fixtures" / "pdf" / "scanned_hongze_page3.pdf"


def test_figures_of_a_scanned_request_table_come_back_right():
    # The scan is page 3 of the bundled report, the request table of the 2021 format, rendered
    # at 200 dpi; the report's text layer says what every figure should be. OCR takes seconds a
    # page, so the document time limit is lifted.
    truth = {(f["measure"], f["breakdown"]): f["value"] for f in process_file(RAW / "hongze_district_2023.pdf").facts}
    result = process_file(SCAN, limits=Limits(seconds=None))
    got = {(f["measure"], f["breakdown"]): f["value"] for f in result.facts}
    right = sum(truth.get(key) == value for key, value in got.items())
    assert len(got) >= 40 and right / len(got) >= 0.99
    assert {f["method"] for f in result.facts} == {"ocr"}
    assert result.reports[0]["problems"].split(";")[:2] == ["scanned", "ocr"]
    assert "ocr_page" in {c["check"] for c in result.checks}
