"""Trends a reviewer accepts: a line joins only the same agencies from year to year, every chart says n.

A median over the reports of each year mixes a change of behaviour with a change of sample: the
agencies that report differ from year to year. `trend` therefore draws a line for a series only
through its balanced panel — the agencies with a figure in every year the series has — and shows
every other report as a dot of its own, never joined; the frame says which rows may be joined
(`connect`), how many agencies stand behind each point (`n`), who they are (`attrs["panel"]`, which
the tests inspect) and a caption in the reader's language (`attrs["note"]`). Per-bar counts for the
stacked charts come from `with_n`.
"""

from __future__ import annotations

import pandas as pd

from govdisclosure.analysis.vocab import HOW, sentence


def trend(frame: pd.DataFrame, series: str, how: str, lang: str, order: list[str] | None = None) -> pd.DataFrame:
    """Yearly `how` (median, mean, sum) of `value` per `series`, over each series' balanced panel.

    Args:
        frame: One row per report and series: agency, year, `series`, value.
        series: The column naming the series (channel, measure, kind).
        how: The summary of a panel year: "median", "mean" or "sum".
        lang: Language of the caption.
        order: The series in legend order (others follow in order of appearance).

    Returns:
        Columns year, `series`, value, n (agencies behind the point), connect (whether the row is a
        point of a panel line; a dot otherwise), agency (the agency of a dot; empty on a line).
        `attrs["panel"]` maps each series with a line to its agencies; `attrs["note"]` is the caption.
    """
    parts, panels = [], {}
    for key, part in frame.groupby(series, sort=False):
        years = part.year.nunique()
        present = part.groupby("agency").year.nunique()
        members = sorted(present[present == years].index) if years >= 2 else []
        if members:
            line = part[part.agency.isin(members)].groupby("year", as_index=False).value.agg(how)
            parts.append(line.assign(**{series: key}, n=len(members), connect=True, agency=""))
            panels[key] = members
        dots = part[~part.agency.isin(members)]
        parts.append(dots[["year", "value", "agency"]].assign(**{series: key}, n=1, connect=False))
    columns = ["year", series, "value", "n", "connect", "agency"]
    out = pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)
    ranks = {name: i for i, name in enumerate(order or [])}
    out = out.sort_values([series, "connect", "year"], key=lambda s: s.map(ranks).fillna(len(ranks))
                          if s.name == series else s, kind="mergesort", ignore_index=True)
    out = out.astype({"year": int, "n": int, "connect": bool})
    out.attrs["panel"] = panels
    out.attrs["note"] = _note(out, panels, how, lang)
    return out


def _note(frame: pd.DataFrame, panels: dict[str, list[str]], how: str, lang: str) -> str:
    words = []
    if panels:
        sizes = sorted({len(members) for members in panels.values()})
        lines = frame[frame.connect]
        agencies = f"{sizes[0]}–{sizes[-1]}" if len(sizes) > 1 else str(sizes[0])
        words.append(sentence("panel", lang, how=HOW[how][lang == "en"], agencies=agencies,
                              first=int(lines.year.min()), last=int(lines.year.max())))
    if (~frame.connect).any():
        words.append(sentence("dots", lang))
    return "".join(words)


def with_n(aggregated: pd.DataFrame, reports: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """`aggregated` with a column n: the reports (agency-years) of `reports` behind each `by` value."""
    counts = reports.drop_duplicates(["agency", "year"]).groupby(by).size()
    return aggregated.assign(n=aggregated[by].map(counts).fillna(0).astype(int))
