"""Rating buttons' action ids and the comment modal in, a rating or field errors out. Pure: no Slack, no database."""

import re

from bot.domain.feedback import COMMENT_MAX, SCORES, Direction
from bot.ids import Action, BlockId
from bot.slack.forms import Errors, StateValues, bounded_text

RATING_ACTIONS = {
    Action.RATE_SERVICE: Direction.CUSTOMER_TO_PROVIDER,
    Action.RATE_REQUEST: Direction.PROVIDER_TO_CUSTOMER,
}


def parse_rating_action(action_id: str) -> tuple[Direction, int] | None:
    """``rate_service_4`` -> (customer to provider, 4); None for any other action id."""
    prefix, _, score = action_id.rpartition("_")
    direction = RATING_ACTIONS.get(Action(prefix)) if prefix in set(Action) else None
    if direction is None or not score.isdigit() or int(score) not in SCORES:
        return None
    return direction, int(score)


def rating_action_pattern(prefix: Action) -> re.Pattern[str]:
    scores = "".join(str(score) for score in SCORES)
    return re.compile(rf"^{prefix}_[{scores}]$")


def parse_comment(values: StateValues) -> str | Errors:
    errors: dict[str, str] = {}
    text = bounded_text(
        values, BlockId.COMMENT, Action.COMMENT, COMMENT_MAX, errors, required="Write a comment, or cancel."
    )
    return Errors(errors) if errors else text
