"""The data preparation behind the analysis notebooks, so that each notebook is a few calls.

A notebook loads the processed tables once (`load_corpus`), narrows them to the agencies,
provinces and years its parameters name (`Corpus.select`), and then asks this package for one tidy
frame per chart: one row per agency–year–series, values in the measure's unit, series labels
already in the reader's language. `Page` turns such a frame into a readable table or a saved paper
figure. Across agencies, levels are shown per agency or as the median (mean, for small case
counts) per report, because the number and size of reports differ from year to year; shares pool
the counts. A city-wide (jurisdiction-scope) report and its own departments' reports may overlap,
which the per-agency tables make visible: every figure pooled over reports leaves the summaries out
(`jurisdictions.pooled`), and `who_is_who` gives each report's level, kind and parent jurisdiction.

The package has one module per notebook topic (`overview`, `proactive`, `requests`, `channels`,
`review`, `terms`, `comparisons` of indicators, report `quality`) over the shared `vocab` (labels and sentences), `corpus` (loading, selection,
the cautious reading of facts), `jurisdictions` (who is who, the pooling rule), `panel` (balanced panels and n) and `page` (showing); every public name is re-exported here, so
`from govdisclosure import analysis; analysis.reports_by(...)` is all a notebook needs.
"""

from govdisclosure.analysis.channels import (
    channel_events,
    channel_items,
    channel_table,
    channels_by_year,
)
from govdisclosure.analysis.comparisons import (
    ADMIN_LEVELS,
    GROUPS,
    compare,
    definitions_table,
    export,
    indicator_values,
    median_chart,
)
from govdisclosure.analysis.corpus import (
    Corpus,
    applicant_totals,
    documents,
    flagged_facts,
    is_summary,
    largest,
    load_corpus,
    measure_values,
    summary,
)
from govdisclosure.analysis.jurisdictions import (
    NATION,
    parent_jurisdiction,
    pooled,
    who_is_who,
)
from govdisclosure.analysis.overview import (
    check_findings,
    failed_checks,
    measure_coverage,
    reports_by,
    source_problems,
)
from govdisclosure.analysis.page import (
    Page,
    start,
)
from govdisclosure.analysis.panel import (
    trend,
    with_n,
)
from govdisclosure.analysis.proactive import (
    category_mix,
    proactive_totals,
)
from govdisclosure.analysis.quality import (
    CROSS_YEAR_CHECKS,
    REQUIRED_SECTIONS,
    cross_year_findings,
    deadline,
    quality_summary,
    report_quality,
    text_reuse,
    timeliness_by_year,
)
from govdisclosure.analysis.requests import (
    applicant_mix,
    harmonised_outcomes,
    outcome_shares,
    refusal_reasons,
    requests_received,
)
from govdisclosure.analysis.review import (
    REVIEW_TOTALS,
    review_cases,
    review_counts,
    review_outcome_cases,
    review_outcomes,
)
from govdisclosure.analysis.terms import (
    problem_coverage,
    problem_texts,
    stopwords,
    term_table,
    term_trends,
    terms,
    tokenizer,
    top_terms,
)
from govdisclosure.analysis.vocab import (
    CHANNELS,
    CHECKS,
    COLUMNS,
    LANGS,
    MEASURE_FAMILIES,
    OUTCOME_GROUPS,
    PERCENT_COLUMNS,
    PERIODS,
    PROVINCES_EN,
    REVIEW_KINDS,
    REVIEW_OUTCOMES,
    SENTENCES,
    SEVERITIES,
    SOURCE_PROBLEMS,
    TEMPLATES,
    UNSPECIFIED_REASON,
    chart_labels,
    measure_label,
    name_of,
    period_label,
    period_of,
    sentence,
)

__all__ = [
    "ADMIN_LEVELS",
    "CHANNELS",
    "CHECKS",
    "COLUMNS",
    "CROSS_YEAR_CHECKS",
    "GROUPS",
    "LANGS",
    "MEASURE_FAMILIES",
    "NATION",
    "OUTCOME_GROUPS",
    "PERCENT_COLUMNS",
    "PERIODS",
    "PROVINCES_EN",
    "REQUIRED_SECTIONS",
    "REVIEW_KINDS",
    "REVIEW_OUTCOMES",
    "REVIEW_TOTALS",
    "SENTENCES",
    "SEVERITIES",
    "SOURCE_PROBLEMS",
    "TEMPLATES",
    "UNSPECIFIED_REASON",
    "Corpus",
    "Page",
    "applicant_mix",
    "applicant_totals",
    "category_mix",
    "channel_events",
    "channel_items",
    "channel_table",
    "channels_by_year",
    "chart_labels",
    "check_findings",
    "compare",
    "cross_year_findings",
    "deadline",
    "definitions_table",
    "documents",
    "export",
    "failed_checks",
    "flagged_facts",
    "harmonised_outcomes",
    "indicator_values",
    "is_summary",
    "largest",
    "load_corpus",
    "measure_coverage",
    "measure_label",
    "measure_values",
    "median_chart",
    "name_of",
    "outcome_shares",
    "parent_jurisdiction",
    "period_label",
    "period_of",
    "pooled",
    "proactive_totals",
    "problem_coverage",
    "problem_texts",
    "quality_summary",
    "refusal_reasons",
    "report_quality",
    "reports_by",
    "requests_received",
    "review_cases",
    "review_counts",
    "review_outcome_cases",
    "review_outcomes",
    "sentence",
    "source_problems",
    "start",
    "stopwords",
    "summary",
    "term_table",
    "term_trends",
    "terms",
    "text_reuse",
    "timeliness_by_year",
    "tokenizer",
    "top_terms",
    "trend",
    "who_is_who",
    "with_n",
]
