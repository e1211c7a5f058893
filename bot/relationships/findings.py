"""What to act on, from the map's edges, each finding with its reason. Pure: no Slack, no SQL.

A side *declares* a relationship when at least half of its respondents said so in the last check-up. An edge is
*strained* when half of the provider's respondents say the customer complains about their work, when either side
rates the other below 3, or when fewer than 80% of its targets were met.
"""

from collections.abc import Iterable

from bot.domain.durations import Duration, Unit
from bot.domain.targets import proposed
from bot.relationships.figures import KINDS, Context, Edge, Finding, Kind

DECLARED = 0.5
ATTAINMENT_FLOOR = 0.8
RATING_FLOOR = 3.0
PAIR_RETRO_CRON = "0 15 * * fri"  # proposed for a pair retro: Fridays at 15:00, every week


def findings(edges: Iterable[Edge], context: Context) -> list[Finding]:
    found = [finding for edge in edges for finding in _of(edge, context)]
    return sorted(found, key=lambda f: (KINDS.index(f.kind), context.names.get(f.provider, ""), f.customer))


def health(edge: Edge, found: Iterable[Finding]) -> Kind | None:
    """The most urgent finding about the edge (None: nothing to act on)."""
    kinds = [f.kind for f in found if (f.provider, f.customer) == (edge.provider, edge.customer)]
    return min(kinds, key=KINDS.index) if kinds else None


def _of(edge: Edge, context: Context) -> list[Finding]:
    found = [
        _strained(edge, context),
        _no_agreement(edge, context),
        _declarations(edge, context) if context.checkup else None,
    ]
    return [finding for finding in found if finding is not None]


def _share(value: float) -> str:
    return f"{round(value * 100)}%"


def _declares(share: float | None) -> bool:
    return share is not None and share >= DECLARED


def _strained(edge: Edge, context: Context) -> Finding | None:
    provider, customer = context.names[edge.provider], context.names[edge.customer]
    reasons = []
    if _declares(edge.complaints):
        assert edge.complaints is not None
        reasons.append(f"{_share(edge.complaints)} of {provider}'s people say {customer} complains about their work")
    if edge.rating_average is not None and edge.rating_average < RATING_FLOOR:
        reasons.append(f"{customer} rates {provider}'s service {edge.rating_average:.1f} of 5")
    if edge.request_rating_average is not None and edge.request_rating_average < RATING_FLOOR:
        reasons.append(f"{provider} rates {customer}'s requests {edge.request_rating_average:.1f} of 5")
    for what, share in (
        ("first responses", edge.first_response_attainment),
        ("resolutions", edge.resolution_attainment),
    ):
        if share is not None and share < ATTAINMENT_FLOOR:
            reasons.append(f"{_share(share)} of {what} on time")
    if not reasons:
        return None
    proposal = None
    if frozenset((edge.provider, edge.customer)) in context.pair_retros:
        reasons.append("their pair retro is scheduled: take it there")
    else:
        reasons.append("no pair retro is scheduled: add one")
        proposal = {"retro": _retro_toml(edge, context)}
    return Finding("strained", edge.provider, edge.customer, "; ".join(reasons), proposal)


def _no_agreement(edge: Edge, context: Context) -> Finding | None:
    if edge.agreement or not edge.requests:
        return None
    head = f"{edge.requests} requests in the last {context.days} days and no agreement covers them"
    first, resolution = edge.p80_first_response_minutes, edge.p80_resolution_minutes
    if first is None or resolution is None:
        return Finding("no_agreement", edge.provider, edge.customer, f"{head}; too few answered yet to propose targets")
    day = context.day_minutes[edge.provider]
    targets = (proposed(first, day), proposed(resolution, day))
    first_target, resolution_target = targets[0], _at_least(targets[1], targets[0])
    reason = f"{head}: 80% were answered within {first_target} and resolved within {resolution_target}"
    proposal = {
        "first_response": str(first_target),
        "resolution": str(resolution_target),
        "toml": (
            f'[[agreements]]\nprovider = "{edge.provider}"\ncustomer = "{edge.customer}"\n'
            f'first_response = "{first_target}"\nresolution = "{resolution_target}"\n'
        ),
    }
    return Finding("no_agreement", edge.provider, edge.customer, reason, proposal)


def _at_least(duration: Duration, floor: Duration) -> Duration:
    """A resolution target no shorter than the first response's (the org file refuses one that is)."""
    if (duration.unit is Unit.WORKING_DAYS) != (floor.unit is Unit.WORKING_DAYS):
        return duration if duration.unit is Unit.WORKING_DAYS else floor
    if duration.unit is Unit.WORKING_DAYS:
        return duration if duration.amount >= floor.amount else floor
    return duration if duration.business_minutes >= floor.business_minutes else floor


def _declarations(edge: Edge, context: Context) -> Finding | None:
    provider, customer = context.names[edge.provider], context.names[edge.customer]
    by_provider, by_customer = edge.declared_by_provider, edge.declared_by_customer
    said = []
    if by_provider is not None:
        said.append(f"{_share(by_provider)} of {provider}'s people say {customer} depends on them")
    if by_customer is not None:
        said.append(f"{_share(by_customer)} of {customer}'s people say they depend on {provider}")
    if not said:
        return None
    if not (_declares(by_provider) or _declares(by_customer)):
        if not edge.requests:
            return None
        reason = f"{edge.requests} requests in the last {context.days} days, yet {' and '.join(said)}"
        return Finding("undeclared", edge.provider, edge.customer, reason)
    if not edge.requests:
        reason = f"{' and '.join(said)}, yet no request in the last {context.days} days: it runs outside Inhouse"
        return Finding("no_traffic", edge.provider, edge.customer, reason)
    if len(said) == 2 and _declares(by_provider) != _declares(by_customer):
        unaware = customer if _declares(by_provider) else provider
        first, second = said if _declares(by_provider) else said[::-1]
        return Finding("one_sided", edge.provider, edge.customer, f"{first}, but {second}: {unaware} does not know")
    return None


def _retro_toml(edge: Edge, context: Context) -> str:
    channel = context.channels.get(edge.provider, "C0CHANNEL")
    return (
        f'[[retros]]\ndepartments = ["{edge.provider}", "{edge.customer}"]\n'
        f'channel = "{channel}"  # a channel both departments can see\ncron = "{PAIR_RETRO_CRON}"\n'
    )
