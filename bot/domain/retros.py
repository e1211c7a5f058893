"""Retrospective templates: the kinds of entry each one asks for. Pure."""

from dataclasses import dataclass
from typing import Final

ACTION: Final = "action"
OPEN, DONE = "open", "done"


@dataclass(frozen=True)
class Kind:
    id: str
    label: str
    question: str


TEMPLATES: Final[dict[str, tuple[Kind, ...]]] = {
    "went-well": (
        Kind("went_well", "Went well", "What went well?"),
        Kind("to_improve", "To improve", "What should we improve?"),
    ),
    "start-stop-continue": (
        Kind("start", "Start", "What should we start doing?"),
        Kind("stop", "Stop", "What should we stop doing?"),
        Kind("continue", "Continue", "What should we keep doing?"),
    ),
    "4ls": (
        Kind("liked", "Liked", "What did you like?"),
        Kind("learned", "Learned", "What did you learn?"),
        Kind("lacked", "Lacked", "What was lacking?"),
        Kind("longed_for", "Longed for", "What did you long for?"),
    ),
}


def kinds(template: str) -> tuple[Kind, ...]:
    return TEMPLATES[template]


def kind(template: str, kind_id: str) -> Kind | None:
    return next((k for k in TEMPLATES.get(template, ()) if k.id == kind_id), None)
