"""Whether a report's figures sum up a whole jurisdiction: one definition for every extractor.

Many reports are compiled from the reports of all the units of a city, district or system
(汇总…各单位, 根据…各部门年度报告编制); their figures, in tables and in prose alike, are the
jurisdiction's, not the publishing office's. The template and narrative extractors both start
from this document-level judgement, so it lives here once: two patterns in two extractors gave
the same report's tables and prose different scopes.
"""

from __future__ import annotations

import re

from govdisclosure.whitespace import squeeze

_SUMMARY = re.compile(r"(?:汇总|合计|统计)[^。；]{0,20}(?:各|全)(?:有关)?(?:市|区|县|旗|镇|乡|街道|单位|部门)"
                      r"|全(?:省|市|区|县|州|旗)[^。；]{0,15}汇总"
                      r"|汇总[^。；]{0,30}各[^。；]{0,6}(?:单位|部门)"
                      r"|根据[^。；]{0,80}各[^。；]{0,60}年度报告[^。；]{0,6}(?:汇总|编制)"
                      r"|各(?:工作)?部门[^。；]{0,40}年度报告编制")


def summarises_jurisdiction(text: str) -> bool:
    """True when the report says it sums up the units of a whole area (whitespace ignored)."""
    return bool(_SUMMARY.search(squeeze(text)))
