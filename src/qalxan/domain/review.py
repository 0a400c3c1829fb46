"""The defender's review of the help received: what is asked, which answers are allowed, and
when a case may be reviewed. Pure rules; ``services/reviews.py`` stores and shows reviews.

The questions follow what helplines and funds ask their beneficiaries after a case (response
time, whether the need was met, safety afterwards, whether they would send a peer): short,
optional, with a closed set of answers, so they can be counted without reading anyone's words.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from qalxan.domain.enums import CaseStatus


class Answer(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"
    UNSURE = "unsure"


A = Answer
QUESTIONS: Final[dict[str, tuple[Answer, ...]]] = {
    "timely": (A.YES, A.PARTLY, A.NO),  # was the response quick enough?
    "need_met": (A.YES, A.PARTLY, A.NO),  # did the help address what was needed?
    "safer": (A.YES, A.PARTLY, A.NO, A.UNSURE),  # does the defender feel safer now?
    "recommend": (A.YES, A.NO, A.UNSURE),  # would they recommend us to another defender?
}
RATINGS: Final[tuple[int, ...]] = (1, 2, 3, 4, 5)
REVIEWABLE: Final[frozenset[CaseStatus]] = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


def may_review(status: str) -> bool:
    """A case is reviewed once the help is over: resolved or closed (a reopened case is not,
    but its earlier review is kept and may be revised when it is resolved again)."""
    return status in {s.value for s in REVIEWABLE}


def check_answers(answers: dict[str, str]) -> dict[str, str]:
    """The answers given, each checked against its question; unanswered ones are left out."""
    unknown = sorted(set(answers) - set(QUESTIONS))
    if unknown:
        raise ValueError(f"unknown question(s): {', '.join(unknown)}")
    wrong = sorted(q for q, a in answers.items() if a not in {x.value for x in QUESTIONS[q]})
    if wrong:
        raise ValueError(f"not an allowed answer to: {', '.join(wrong)}")
    return dict(sorted(answers.items()))
