"""Validate stage: checks on the extracted tables that need the whole run.

Checks that one document can answer (the identities of the national tables, text against table,
sections a format requires) run where the document is read, in `transform` and `sections`. What is
left for this stage are the checks between documents, which the corpus run calls once its per-document
work is done, and the indicators that compare a report with the same agency's last one
(`indicator_change`), which the same pass computes; the schemas every table is validated against before it is written live in
`govdisclosure.schema`.
"""

from govdisclosure.validate.cross_report import CROSS_REPORT_MEASURES, cross_report_checks

__all__ = ["CROSS_REPORT_MEASURES", "cross_report_checks"]
