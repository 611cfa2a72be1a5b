"""The measure vocabulary (`data/measures.csv`), loaded once per process.

The CSV is the project's measure vocabulary: codes, breakdown kind, unit, era and the
Chinese and English labels that the notebooks use for axis titles and legends. Extractors refer to
measures by code only; units and labels are looked up here so that they are written in one place.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import pandas as pd

APPLICANT_BREAKDOWNS = ("natural_person", "commercial", "research", "public_interest", "legal_service",
                        "other_org", "total")
APPLICANT_LABELS_ZH = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
                       "public_interest": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
                       "total": "总计"}
APPLICANT_LABELS_EN = {"natural_person": "Natural persons", "commercial": "Businesses", "research": "Research bodies",
                       "public_interest": "Public-interest organisations", "legal_service": "Legal services",
                       "other_org": "Other organisations", "total": "Total"}


@cache
def measures() -> pd.DataFrame:
    """The vocabulary as a frame indexed by measure code."""
    with resources.files("govdisclosure").joinpath("data/measures.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    if frame.measure.duplicated().any():
        raise ValueError(f"duplicate measure codes in measures.csv: {sorted(frame.measure[frame.measure.duplicated()])}")
    return frame.set_index("measure")


@cache
def measure_codes() -> tuple[str, ...]:
    return tuple(measures().index)


@cache
def unit_codes() -> tuple[str, ...]:
    """Every unit a fact may carry: the vocabulary's units plus the concrete units of `as_printed`."""
    return tuple(sorted(set(measures().unit) | {"yuan", "10k_yuan"}))


@cache
def _units() -> dict[str, str]:
    return dict(zip(measures().index, measures().unit))


def unit_of(measure: str) -> str:
    """The measure's unit code (a dict lookup: this is on every fact's path)."""
    return _units()[measure]


def label(measure: str, lang: str = "zh") -> str:
    """The measure's label in `lang` ("zh" or "en")."""
    return measures().at[measure, "en_label" if lang == "en" else "zh_label"]
