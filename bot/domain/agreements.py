"""Which agreement applies to a request: a service's own targets first, then the most specific agreement."""

from collections.abc import Iterable
from typing import Protocol, TypeVar

WILDCARD = "*"


class Terms(Protocol):
    @property
    def customer(self) -> str: ...

    @property
    def priority(self) -> str: ...


T = TypeVar("T", bound=Terms)


def specificity(terms: Terms, customer: str | None, priority: str) -> int | None:
    """How specifically ``terms`` match (higher wins), or None when they do not apply.

    A named customer outranks a named priority: provider + customer + priority, then
    provider + customer, then provider + priority, then the provider's catch-all.
    """
    if terms.customer != WILDCARD and terms.customer != customer:
        return None
    if terms.priority != WILDCARD and terms.priority != priority:
        return None
    return 2 * (terms.customer != WILDCARD) + (terms.priority != WILDCARD)


def best_match(candidates: Iterable[T], customer: str | None, priority: str) -> T | None:
    ranked = [(rank, terms) for terms in candidates if (rank := specificity(terms, customer, priority)) is not None]
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


class Targets(Protocol):
    """First-response and resolution targets as the org file writes them (``4h``); None where it sets none."""

    @property
    def first_response(self) -> str | None: ...

    @property
    def resolution(self) -> str | None: ...


def targets_for(service: Targets | None, agreement: Targets | None) -> tuple[str, str] | None:
    """(first response, resolution): each the service's own if it sets one, else the agreement's.

    None when a target is still missing: then nothing is promised.
    """
    first = (service.first_response if service else None) or (agreement.first_response if agreement else None)
    resolution = (service.resolution if service else None) or (agreement.resolution if agreement else None)
    return (first, resolution) if first and resolution else None
