"""Figures a report states without a number: ``收到申请21件…全部在规定时间内办结``.

A careful reader codes ``全年受理…申请21件，…全部在规定时间内办结`` as 21 requests answered, and
``所有政府信息公开申请已全部办理完毕`` after ``共收到政府信息公开申请1192件`` as 1192. The statement has
no count of its own, so it is read from the request total it refers to, and only where that
reference is certain:

* the document states exactly one request total and no outcome total of its own;
* the statement says *all* (所有, 全部, 均, 都) and a verb of answering, with no number and no negation
  (尚未, 未) in its clause;
* it follows the request total in the same sentence, with no figure of another measure between
  them (``其中予以公开10件，均已答复`` speaks of the 10, not of the requests); or, when it names the
  requests itself (``所有…申请已全部办理完毕``), later in the same section, with only the breakdowns of
  the requests (methods, applicants) between.
"""

from __future__ import annotations

import re

from govdisclosure.transform.narrative.grammar import Match
from govdisclosure.transform.narrative.text import Reading, Text

_ALL_ANSWERED = re.compile(r"(?:所有|全部|均|都)[^，,。；;\d]{0,12}?"
                           r"(?:办理完毕|处理完毕|办结|(?:予以|给予|作出|进行了?)?(?:答复|回复))")
_NOT_ALL = re.compile(r"未|尚|正在|仍在|\d")
_NAMES_REQUESTS = re.compile(r"(?:所有|全部)[^，,。；;]{0,10}申请")
# Figures that may stand between the request total and the statement: parts of the same requests.
_PARTS_OF_REQUESTS = frozenset({"requests_new", "requests_by_method"})


def all_answered(t: Text, readings: list[Reading]) -> list[Reading]:
    """The outcome total stated as "all answered" after the one request total (see the module)."""
    totals = [r for r in readings if r.match == Match("requests_new", "total") and r.quantity is not None]
    if len({r.value for r in totals}) != 1 or any(r.match.measure == "outcome_total" for r in readings):
        return []
    request = totals[0]
    start = request.label[1]
    sentence_end = t.full_sentence(request.label[0])[1]
    heading = t.heading(request.label[0])
    for m in _ALL_ANSWERED.finditer(t.text, start):
        c_start, c_end = t.clause(m.start())
        if _NOT_ALL.search(t.text[c_start:c_end]):
            continue
        same_sentence = m.start() < sentence_end
        if not same_sentence and not (_NAMES_REQUESTS.search(t.text[c_start:c_end]) and t.heading(m.start()) == heading):
            return []
        between = [r for r in readings if start <= r.label[0] < m.start()]
        if any(r.match.measure not in _PARTS_OF_REQUESTS for r in between):
            return []
        return [Reading(Match("outcome_total", "total"), request.value, t.trimmed(c_start, c_end),
                        t.trimmed(*t.full_sentence(m.start())), None)]
    return []
