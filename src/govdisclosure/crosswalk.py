"""Request outcomes of every era on one taxonomy: the categories of the 2019 national form.

The facts keep every outcome under the code the report itself used (``outcome_withheld_trade_secret``
for a 2013 涉及商业秘密, ``outcome_withheld_third_party`` for a 2020 保护第三方合法权益), because no
official crosswalk exists and the mapping involves judgement. The mapping lives in
`data/outcome_crosswalk.csv`, a table analysts can read and edit (docs/crosswalk.md explains each
call), and `harmonised_outcomes` applies it for the notebooks: one row per figure with both the
original code and the harmonised group and category. Nothing is summed here: whether to add up
leaves or to use printed group totals is the analyst's choice, made visible by the ``level`` column.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from govdisclosure import schema

#: The harmonised groups, in the order of the 2019 form.
GROUPS = ("disclosed", "partial", "withheld", "unavailable", "not_processed", "other", "total")
LEVELS = ("leaf", "group", "total")
#: Which reading of a figure wins when a report gives it more than once.

COLUMNS = ["doc_id", "report_year", "template", "applicant", "original_measure", "group", "category", "level",
           "value", "judgement", "method", "scope"]


@cache
def _bundled() -> pd.DataFrame:
    with resources.files("govdisclosure").joinpath("data/outcome_crosswalk.csv").open(encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def load_crosswalk(path: str | Path | None = None) -> pd.DataFrame:
    """The crosswalk: the bundled one, or an edited copy at `path`.

    Columns: ``measure`` (an outcome code of measures.csv), ``template`` (``narrative``, ``2019``,
    ``2021`` or ``*`` for any; the first matching row wins), ``group``, ``category`` (a 2019 code,
    or ``outcome_withheld_unspecified``), ``level`` (leaf, group or total), ``judgement`` (yes when
    the mapping is a judgement call, see docs/crosswalk.md) and ``note``.
    """
    if path is None:
        return _bundled().copy()
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _rule_for(crosswalk: pd.DataFrame) -> dict[tuple[str, str], pd.Series]:
    """(measure, template) → crosswalk row, resolving ``*`` rows after the specific ones."""
    rules: dict[tuple[str, str], pd.Series] = {}
    for _, row in crosswalk.iterrows():
        for template in ("narrative", "2019", "2021", "none", ""):
            if row.template in ("*", template):
                rules.setdefault((row.measure, template), row)
    return rules


def harmonised_outcomes(facts: pd.DataFrame, reports: pd.DataFrame,
                        crosswalk: pd.DataFrame | None = None) -> pd.DataFrame:
    """Request outcomes of every era, each with its original code and its 2019-form category.

    Args:
        facts: the facts table (doc_id, measure, breakdown, value, method, scope …).
        reports: the reports table (doc_id, template, report_year).
        crosswalk: an edited crosswalk (see `load_crosswalk`); the bundled one by default.

    Returns:
        One row per (document, applicant, original outcome code): the figure read by the most
        direct method (table, then derived, then text), with ``group``, ``category``, ``level`` and
        ``judgement`` from the crosswalk. Outcome codes the crosswalk does not cover are left out.
    """
    rules = _rule_for(load_crosswalk() if crosswalk is None else crosswalk)
    meta = reports.set_index("doc_id")[["template", "report_year"]]
    outcomes = facts[facts.measure.isin({m for m, _ in rules})].copy()
    if outcomes.empty:
        return pd.DataFrame(columns=COLUMNS)
    outcomes = outcomes.join(meta, on="doc_id")
    outcomes["template"] = outcomes["template"].fillna("")
    outcomes["_rank"] = outcomes.method.map(schema.METHOD_RANK).fillna(len(schema.METHOD_RANK))
    outcomes = (outcomes.sort_values("_rank", kind="stable")
                .drop_duplicates(["doc_id", "measure", "breakdown"]).sort_index())
    mapped = [rules.get((m, t)) for m, t in zip(outcomes.measure, outcomes.template)]
    keep = [r is not None for r in mapped]
    outcomes, mapped = outcomes[keep], [r for r in mapped if r is not None]
    return pd.DataFrame({
        "doc_id": outcomes.doc_id.to_numpy(),
        "report_year": outcomes.report_year.to_numpy(),
        "template": outcomes.template.to_numpy(),
        "applicant": outcomes.breakdown.to_numpy(),
        "original_measure": outcomes.measure.to_numpy(),
        "group": [r.group for r in mapped],
        "category": [r.category for r in mapped],
        "level": [r.level for r in mapped],
        "value": outcomes.value.astype(float).to_numpy(),
        "judgement": [r.judgement == "yes" for r in mapped],
        "method": outcomes.method.to_numpy(),
        "scope": outcomes.scope.to_numpy(),
    }, columns=COLUMNS)
