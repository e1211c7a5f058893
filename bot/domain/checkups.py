"""The check-up's questions and what survives its close. Pure: no Slack, no SQL.

A team is an internal customer of yours when any of the six holds (issue 13). Each person answers them about
every other department, as statements about "them"; a seventh statement, the other way round, says whether
the person's own department depends on "them", so that each side of a relationship speaks for itself.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    """As the checkbox reads it (at most 75 characters, Slack's limit for an option)."""


QUESTIONS: Final = (
    Question("success", "Their work and success depend on ours"),
    Question("rely", "They rely on our work to do their job"),
    Question("supply", "We supply something they need"),
    Question("expertise", "We have knowledge or skills they lack"),
    Question("effectiveness", "Their effectiveness depends on ours"),
    Question("complaints", "They complain about our work"),
)
WE_DEPEND: Final = Question("we_depend", "We depend on their work: we are their customer")
ASKED: Final = (*QUESTIONS, WE_DEPEND)
CUSTOMER: Final = "customer"
"""Not asked: the share who ticked any of the six, saying "they are our internal customer"."""
COMPLAINTS: Final = "complaints"
IDS: Final = frozenset(question.id for question in ASKED)


@dataclass(frozen=True)
class Share:
    """Of ``department``'s respondents asked about ``about``, the share who said yes to ``question``."""

    department: str
    about: str
    question: str
    share: float
    respondents: int


def aggregate(
    departments: Sequence[str],
    responses: Mapping[str, Collection[str]],
    answers: Mapping[tuple[str, str], Collection[str]],
) -> list[Share]:
    """The shares per (department, other department, question), from each respondent's departments (``responses``,
    by user) and their ticks (``answers``, by (user, other department)). A respondent is asked about every
    department but their own; one who ticked nothing about a department said no to each question about it."""
    shares = []
    for department in departments:
        members = [user for user, theirs in responses.items() if department in theirs]
        for about in departments:
            asked = [user for user in members if about not in responses[user]]
            if about == department or not asked:
                continue
            ticked = [set(answers.get((user, about), ())) for user in asked]
            for question in [*(q.id for q in ASKED), CUSTOMER]:
                yes = sum(_said(question, ticks) for ticks in ticked)
                shares.append(Share(department, about, question, yes / len(asked), len(asked)))
    return shares


def _said(question: str, ticks: set[str]) -> bool:
    if question == CUSTOMER:
        return any(q.id in ticks for q in QUESTIONS)
    return question in ticks


def shown_obstacles(
    written: Mapping[tuple[str, str], Sequence[str]], anonymity_min: int
) -> dict[tuple[str, str], list[str]]:
    """What people of a department wrote about another, kept only where at least ``anonymity_min`` of them wrote,
    in an order that says nothing of who wrote first (sorted)."""
    return {pair: sorted(texts) for pair, texts in written.items() if len(texts) >= anonymity_min}
