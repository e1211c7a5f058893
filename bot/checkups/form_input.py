"""The check-up modal's state in, each department's answers or field errors out. Pure: no Slack, no database."""

from bot.checkups.blocks import OBSTACLE_MAX
from bot.domain.checkups import ASKED
from bot.ids import Action, BlockId
from bot.slack.forms import Errors, StateValues, bounded_text, selected_values_of
from storage.checkups import Answer

_ORDER = {question.id: index for index, question in enumerate(ASKED)}


def parse(values: StateValues) -> dict[str, Answer] | Errors:
    """By department: the statements ticked (known ones, in the form's order) and what gets in the way, if written."""
    errors: dict[str, str] = {}
    answers: dict[str, Answer] = {}
    for block in values if isinstance(values, dict) else ():
        kind, _, department = block.partition(":")
        if kind != BlockId.CHECKUP_ABOUT or not department:
            continue
        ticked = set(selected_values_of(values, block, Action.CHECKUP_QUESTIONS)) & _ORDER.keys()
        obstacle_block = f"{BlockId.CHECKUP_OBSTACLE}:{department}"
        obstacle = bounded_text(values, obstacle_block, Action.CHECKUP_OBSTACLE, OBSTACLE_MAX, errors, required=None)
        answers[department] = Answer(tuple(sorted(ticked, key=_ORDER.__getitem__)), obstacle or None)
    return Errors(errors) if errors else answers
