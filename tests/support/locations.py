"""Where the tests find the bundled corpus and their fixtures, wherever a test file sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
FIXTURES = ROOT / "tests" / "fixtures"
