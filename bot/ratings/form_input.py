"""The rating buttons' action ids in, a direction and a score out. Pure: no Slack, no database."""

import re

from bot.domain.feedback import SCORES, Direction
from bot.ids import Action

RATING_ACTIONS = {
    Action.RATE_SERVICE: Direction.CUSTOMER_TO_PROVIDER,
    Action.RATE_REQUEST: Direction.PROVIDER_TO_CUSTOMER,
}


def parse_rating_action(action_id: str) -> tuple[Direction, int]:
    """``rate_service_4`` -> (customer to provider, 4)."""
    prefix, _, score = action_id.rpartition("_")
    return RATING_ACTIONS[Action(prefix)], int(score)


def rating_action_pattern(prefix: Action) -> re.Pattern[str]:
    scores = "".join(str(score) for score in SCORES)
    return re.compile(rf"^{prefix}_[{scores}]$")
