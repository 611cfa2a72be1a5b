"""Year-over-year change indicators: this year's count against the same agency's report of last year.

A change needs two reports, so it cannot be computed in `govdisclosure.pipeline.process_file` with
the other indicators; the corpus run computes it once, in the pass that already sees every report
for the checks between reports (`govdisclosure.run.combine.cross_report_pass`), and appends the rows
to the `indicators` table's buckets. It reads the run's own ``count`` indicators rather than the
facts: their value is already the most trusted reading of the figure and their ``flag`` already
names the checks that doubt it, so the change inherits both and the pass keeps one small row per
report and count.

Each ``change`` row of `data/indicators.csv` is the change of the ``count`` indicator with the same
numerator: numerator = this year's − last year's, denominator = last year's, value = their ratio.
Only consecutive years of an agency with exactly one report each pair up (`consecutive_pairs`,
as for the checks between reports); no row when last year's figure is 0 or missing (never 0 or
infinity), and a flag of either year's figure is carried.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from govdisclosure.indicators import definitions
from govdisclosure.validate.cross_report import consecutive_pairs

#: The columns of the ``count`` rows of `indicators` that `change_rows` reads.
COUNT_COLUMNS = ["doc_id", "indicator", "value", "flag"]


@cache
def change_of() -> dict[str, object]:
    """Code of each ``count`` indicator that has a change -> the change's definition."""
    counts = {d.numerator: d.code for d in definitions() if d.kind == "count"}
    out = {}
    for d in definitions():
        if d.kind == "change":
            if d.numerator not in counts:
                raise ValueError(f"indicators.csv: change {d.code} has no count with the numerator it changes")
            out[counts[d.numerator]] = d
    return out


def change_rows(reports: pd.DataFrame, counts: pd.DataFrame) -> list[dict]:
    """Rows of `indicators` of kind ``change``, attached to the later year's report.

    Args:
        reports: doc_id, agency_name, report_year of the run's reports.
        counts: the run's ``count`` indicator rows (`COUNT_COLUMNS`; indicator may be categorical).

    Returns:
        Rows in the order of doc_id, indicator.
    """
    if reports.empty or counts.empty:
        return []
    pairs = consecutive_pairs(reports)[["doc_id", "doc_id_last"]]
    if pairs.empty:
        return []
    changes = change_of()
    figures = pd.DataFrame({"doc_id": counts["doc_id"].astype(str).to_numpy(),
                            "indicator": counts["indicator"].astype(str).to_numpy(),
                            "value": counts["value"].astype(float).to_numpy(),
                            "flag": counts["flag"].astype(object).to_numpy()})
    figures = figures[figures.indicator.isin(list(changes))]
    joined = pairs.merge(figures, on="doc_id").merge(
        figures.rename(columns={"doc_id": "doc_id_last", "value": "last", "flag": "flag_last"}),
        on=["doc_id_last", "indicator"])
    joined = joined[joined["last"] > 0].sort_values(["doc_id", "indicator"], kind="stable")
    rows = []
    for doc_id, code, now, last, flag, flag_last in zip(joined.doc_id, joined.indicator, joined.value,
                                                         joined["last"], joined.flag, joined.flag_last):
        d = changes[code]
        flags = sorted({f for given in (flag, flag_last) if isinstance(given, str) for f in given.split(";")})
        rows.append({"doc_id": doc_id, "indicator": d.code, "kind": d.kind, "value": (now - last) / last,
                     "numerator": now - last, "denominator": last, "denominator_kind": d.denominator_kind,
                     "definition_version": d.definition_version, "flag": ";".join(flags) or None})
    return rows
