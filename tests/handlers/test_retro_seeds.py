"""A retro opens with the facts of the period since the last one, from the requests and ratings it saw.

IT's retro opens Friday 2026-11-27 15:00 Berlin and counts from the previous Friday 15:00. IT answers
within 4h and resolves within 2 working days (09:00-17:00 Berlin). anonymity_min is 2 in the retro org.
"""

from datetime import datetime

from bot.domain.feedback import Direction
from bot.domain.lifecycle import EventKind
from bot.ratings import service as ratings
from bot.requests import service as requests
from tests.handlers.harness import Card, Harness
from tests.handlers.retro_kit import PAIR_ORG, prompts, texts, tick, use_retro_org, utc


def at(inhouse: Harness, when: datetime) -> datetime:
    inhouse.wait_quiet()
    inhouse.clock.set(when)
    return when


def resolve_and_rate(inhouse: Harness, card: Card, when: datetime, *, by: str, scores: dict[Direction, int]) -> None:
    with inhouse.session_scope() as session:
        requests.resolve(session, card.number, "U0ALICE", "Done", at(inhouse, when))
        ratings.ask_after_resolve(session, card.number, when)
        for direction, score in scores.items():
            rater = by if direction is Direction.CUSTOMER_TO_PROVIDER else "U0ALICE"
            ratings.rate(session, card.number, direction, rater, score, when)


def act(inhouse: Harness, card: Card, kind: EventKind, when: datetime) -> None:
    with inhouse.session_scope() as session:
        requests.act(session, card.number, kind, "U0ALICE", at(inhouse, when))


def test_the_prompt_counts_requests_attainment_breaches_waiting_and_ratings(inhouse: Harness) -> None:
    use_retro_org(inhouse)
    tick(inhouse, utc(2026, 11, 23, 9))
    on_time = inhouse.file_request("U0SAM")  # Monday 10:00 Berlin
    late = inhouse.file_request("U0HANNA")
    act(inhouse, on_time, EventKind.ACKNOWLEDGED, utc(2026, 11, 23, 10))
    at(inhouse, utc(2026, 11, 23, 13, 30))
    inhouse.tick()  # the SLA sweep: the late one's first response is breached
    act(inhouse, late, EventKind.ACKNOWLEDGED, utc(2026, 11, 23, 14))
    act(inhouse, late, EventKind.PAUSED, utc(2026, 11, 24, 9))
    act(inhouse, late, EventKind.RESUMED, utc(2026, 11, 24, 11))  # two hours waiting on the requester
    both = {Direction.CUSTOMER_TO_PROVIDER: 4, Direction.PROVIDER_TO_CUSTOMER: 5}
    resolve_and_rate(inhouse, on_time, utc(2026, 11, 24, 10), by="U0SAM", scores=both)
    resolve_and_rate(inhouse, late, utc(2026, 11, 26, 10), by="U0HANNA", scores={Direction.CUSTOMER_TO_PROVIDER: 2})
    tick(inhouse, utc(2026, 11, 27, 14))
    (prompt,) = prompts(inhouse)
    assert texts(prompt)[0] == "*Retrospective: IT Support*, on the time since Fri 20 Nov 2026"
    assert texts(prompt)[2] == (
        "*IT Support → everyone*\n"
        "Requests: 2 received, 2 resolved\n"
        "First response on time: 1 of 2 (50%)\n"
        "Resolution on time: 1 of 2 (50%)\n"
        "SLA breaches: 1\n"
        "Waiting on requesters: 2h\n"
        "Customers rated IT Support: 3.0 from 2 ratings\n"
        "IT Support rated its customers: not shown: fewer than 2 people rated"
    )


def test_a_pair_retro_shows_each_departments_service_to_the_other(inhouse: Harness) -> None:
    use_retro_org(inhouse, PAIR_ORG)
    tick(inhouse, utc(2026, 11, 23, 8))
    at(inhouse, utc(2026, 11, 23, 10))
    inhouse.file_request("U0SAM")  # Sales asks IT
    inhouse.file_request("U0HANNA")  # HR asks IT: not part of this pair
    tick(inhouse, utc(2026, 11, 30, 9))  # Monday 10:00 Berlin
    (prompt,) = prompts(inhouse, "C0ITSALES")
    services = [text.splitlines()[:2] for text in texts(prompt) if "→" in text]
    assert services == [
        ["*IT Support → Sales*", "Requests: 1 received, 0 resolved"],
        ["*Sales → IT Support*", "Requests: 0 received, 0 resolved"],
    ]
    assert [b["text"]["text"] for b in prompt["blocks"][-1]["elements"]] == ["Start", "Stop", "Continue", "Action item"]
