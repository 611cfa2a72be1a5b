"""The bundled reports the viewer tests look at, and a report built from two of them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from support.locations import FIXTURES

#: The bundled reports the browser tests look at, by file name.
SHANGHAI, HONGZE, PINGTAN = "shanghai_gov_office_2019.html", "hongze_district_2023.pdf", "pingtan_zone_2018.txt"
SCRIPT_FIXTURE = FIXTURES / "view" / "script_in_text.txt"
COMBINED = "combined-shanghai-hongze"


def doc_id_of(tables: dict[str, pd.DataFrame], file_name: str) -> str:
    reports = tables["reports"]
    return reports.loc[reports.source_path.map(lambda p: Path(p).name) == file_name, "doc_id"].item()



def combined_tables(tables: dict[str, pd.DataFrame], first: str, second: str) -> dict[str, pd.DataFrame]:
    """One report made of two: texts joined, the second's facts shifted, checks of both (400+ figures)."""
    texts = tables["texts"].set_index("doc_id").text
    joined = texts[first] + "\n" + texts[second]
    shift = len(texts[first]) + 1
    facts = tables["facts"]
    a, b = facts[facts.doc_id == first].copy(), facts[facts.doc_id == second].copy()
    b["span_start"] += shift
    b["span_end"] += shift
    both = pd.concat([a, b], ignore_index=True).assign(doc_id=COMBINED)
    report = tables["reports"][tables["reports"].doc_id == first].assign(doc_id=COMBINED, source_path="")
    checks = tables["checks"][tables["checks"].doc_id.isin([first, second])].assign(doc_id=COMBINED)
    built = {"reports": report, "facts": both, "texts": pd.DataFrame({"doc_id": [COMBINED], "text": [joined]}),
             "checks": checks}
    return {name: built.get(name, frame.iloc[:0]) for name, frame in tables.items()}
