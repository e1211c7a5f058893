"""Feedback between departments: rating scale, directions, and the anonymity rule. Pure."""

from dataclasses import dataclass
from enum import StrEnum

SCORES = (1, 2, 3, 4, 5)
COMMENT_MAX = 1000  # characters of a comment on a rating
DEFAULT_ANONYMITY_MIN = 5


class Direction(StrEnum):
    """Who rates whom on a resolved request."""

    CUSTOMER_TO_PROVIDER = "customer_to_provider"  # the requester rates the service
    PROVIDER_TO_CUSTOMER = "provider_to_customer"  # the provider rates the request itself


@dataclass(frozen=True)
class RequestRating:
    """A rating on a request as its card shows it: asked, maybe scored, maybe with a comment."""

    direction: Direction
    score: int | None
    comment: str | None = None


def names_department(department_size: int, anonymity_min: int) -> bool:
    """Whether anonymous feedback may say which department it comes from (or count in its aggregates).

    Only a department of at least ``anonymity_min`` people hides its author among enough others.
    """
    return department_size >= anonymity_min


def average(scores: list[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None
