"""The map's findings, each built from the situation that makes it: requests filed, answered, resolved and rated
through the real use cases, and a check-up's shares as its close leaves them.

The test org (IT and HR promise their customers targets, Sales promises nothing) with anonymity_min 1, so every
rating shows; the map is drawn on Monday 2026-11-30 12:00 UTC over the last 90 days.
"""

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from bot.domain.checkups import Share
from bot.domain.feedback import Direction
from bot.domain.lifecycle import EventKind
from bot.domain.sla import BusinessCalendar, add_business_minutes
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.ratings import service as ratings
from bot.relationships.figures import Finding, RelationshipMap
from bot.relationships.service import build_map
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft
from storage import checkups, directory
from storage.checkup_models import Checkup, CheckupSchedule
from storage.db import SessionScope
from tests.handlers.retro_kit import PAIR_RETRO
from tests.orgs import TEST_ORG

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
MONDAY = datetime(2026, 11, 23, 9, tzinfo=UTC)  # 10:00 in Berlin, an hour into the office day
ORG = TEST_ORG.replace('timezone = "Europe/Berlin"\n', 'timezone = "Europe/Berlin"\nanonymity_min = 1\n', 1)
STAFF = {"it": "U0ALICE", "hr": "U0HANNA", "sales": "U0SAM"}


def use_org(session_scope: SessionScope, text: str = ORG) -> None:
    with session_scope() as session:
        apply_org(session, load_org_text(text, "org.toml"))


def office(session: Session, department: str) -> BusinessCalendar:
    calendar_id = directory.get_department(session, department).calendar_id  # type: ignore[union-attr]
    return BusinessCalendar.from_dict(directory.calendar_spec(session, calendar_id))


def served(
    session_scope: SessionScope,
    customer: str,
    provider: str,
    *,
    answered: float | None = 30,
    resolved: float | None = None,
    rated: int | None = None,
) -> None:
    """A request from ``customer`` to ``provider`` filed on MONDAY, acknowledged and resolved after these business
    minutes, and rated by its requester."""
    with session_scope() as session:
        draft = RequestDraft(provider_id=provider, priority="normal", description="Please help")
        number = filing.open_request(session, draft, STAFF[customer], MONDAY).number
        calendar = office(session, provider)
        if answered is not None:
            at = add_business_minutes(calendar, MONDAY, round(answered))
            requests.act(session, number, EventKind.ACKNOWLEDGED, STAFF[provider], at)
        if resolved is not None:
            at = add_business_minutes(calendar, MONDAY, round(resolved))
            requests.resolve(session, number, STAFF[provider], "Done", at)
            ratings.ask_after_resolve(session, number, at)
            if rated is not None:
                ratings.rate(session, number, Direction.CUSTOMER_TO_PROVIDER, STAFF[customer], rated, at)


def declared(session_scope: SessionScope, shares: Mapping[tuple[str, str, str], float], respondents: int = 4) -> None:
    """A check-up closed on Friday with these shares (department, about, question) and nothing else said."""
    with session_scope() as session:
        session.add(
            CheckupSchedule(
                id="checkup", cron="0 9 * * mon", timezone="Europe/Berlin", window="5d", calendar_id="office"
            )
        )
        session.flush()
        checkup = Checkup(
            schedule_id="checkup",
            period_start=MONDAY,
            opened_at=MONDAY,
            closes_at=MONDAY + timedelta(days=4),
            nudge_at=MONDAY + timedelta(days=3),
            closed_at=MONDAY + timedelta(days=4),
        )
        session.add(checkup)
        session.flush()
        assert checkup.id is not None
        rows = [Share(d, a, q, share, respondents) for (d, a, q), share in shares.items()]
        checkups.keep_results(session, checkup.id, rows)


def drawn(session_scope: SessionScope) -> RelationshipMap:
    with session_scope() as session:
        return build_map(session, NOW)


def found(relationships: RelationshipMap, kind: str) -> list[Finding]:
    return [finding for finding in relationships.findings if finding.kind == kind]


def test_traffic_without_an_agreement_gets_targets_from_the_80th_percentile_ready_to_paste(
    session_scope: SessionScope,
) -> None:
    use_org(session_scope)
    for answered, resolved in ((30, 300), (60, 600), (90, 900), (120, 1200), (200, 2000)):
        served(session_scope, "it", "sales", answered=answered, resolved=resolved)  # Sales promises nothing

    relationships = drawn(session_scope)

    [edge] = relationships.edges  # the 80th percentile, nearest rank: the 4th of 5
    assert (edge.p80_first_response_minutes, edge.p80_resolution_minutes) == (120, 1200)
    [finding] = found(relationships, "no_agreement")
    assert (finding.provider, finding.customer) == ("sales", "it")
    assert finding.reason == (
        "5 requests in the last 90 days and no agreement covers them: "
        "80% were answered within 2h and resolved within 3d"
    )
    assert finding.proposal is not None
    assert (finding.proposal["first_response"], finding.proposal["resolution"]) == ("2h", "3d")
    pasted = load_org_text(ORG + "\n" + finding.proposal["toml"], "org.toml")
    assert [(a.provider, a.customer, str(a.first_response), str(a.resolution)) for a in pasted.agreements][-1] == (
        "sales",
        "it",
        "2h",
        "3d",
    )


def test_an_agreement_for_every_customer_covers_the_pair(session_scope: SessionScope) -> None:
    use_org(session_scope)
    served(session_scope, "sales", "it", resolved=60)

    relationships = drawn(session_scope)

    [edge] = relationships.edges
    assert (edge.provider, edge.customer, edge.requests, edge.agreement) == ("it", "sales", 1, True)
    assert relationships.findings == []  # no check-up yet: nothing is said about declarations


def test_declared_dependence_without_requests_runs_outside_inhouse(session_scope: SessionScope) -> None:
    use_org(session_scope)
    declared(session_scope, {("sales", "hr", "we_depend"): 0.75, ("hr", "sales", "customer"): 0.25})

    [finding] = found(drawn(session_scope), "no_traffic")

    assert (finding.provider, finding.customer) == ("hr", "sales")
    assert finding.reason == (
        "25% of People & Culture's people say Sales depends on them and 75% of Sales's people say they depend on "
        "People & Culture, yet no request in the last 90 days: it runs outside Inhouse"
    )


def test_requests_nobody_declared_are_undeclared(session_scope: SessionScope) -> None:
    use_org(session_scope)
    served(session_scope, "sales", "it", resolved=60)
    declared(session_scope, {("it", "sales", "customer"): 0.25, ("sales", "it", "we_depend"): 0.0})

    [finding] = found(drawn(session_scope), "undeclared")

    assert (finding.provider, finding.customer) == ("it", "sales")
    assert finding.reason.startswith("1 requests in the last 90 days, yet 25% of IT Support's people say Sales")


def test_one_side_says_it_depends_and_the_other_does_not_know(session_scope: SessionScope) -> None:
    use_org(session_scope)
    served(session_scope, "sales", "it", resolved=60)
    declared(session_scope, {("it", "sales", "customer"): 0.0, ("sales", "it", "we_depend"): 1.0})

    [finding] = found(drawn(session_scope), "one_sided")

    assert finding.reason == (
        "100% of Sales's people say they depend on IT Support, but 0% of IT Support's people say Sales depends on "
        "them: IT Support does not know"
    )


@pytest.mark.parametrize(
    ("situation", "reason"),
    [
        ("complaints", "75% of IT Support's people say Sales complains about their work"),
        ("rating", "Sales rates IT Support's service 2.0 of 5"),
        ("attainment", "0% of resolutions on time"),
    ],
)
def test_complaints_low_ratings_or_missed_targets_strain_a_pair(
    session_scope: SessionScope, situation: str, reason: str
) -> None:
    use_org(session_scope)
    if situation == "attainment":  # IT resolves in 2 working days: this took 4
        served(session_scope, "sales", "it", resolved=4 * 480)
    else:
        served(session_scope, "sales", "it", resolved=60, rated=2 if situation == "rating" else 5)
    if situation == "complaints":
        declared(session_scope, {("it", "sales", "complaints"): 0.75, ("it", "sales", "customer"): 0.75})

    [finding] = found(drawn(session_scope), "strained")

    assert (finding.provider, finding.customer) == ("it", "sales")
    assert finding.reason == f"{reason}; no pair retro is scheduled: add one"
    assert finding.proposal is not None
    retro = load_org_text(ORG + "\n" + finding.proposal["retro"], "org.toml").retros[0]
    assert (retro.departments, retro.cron) == (("it", "sales"), "0 15 * * fri")


def test_a_strained_pair_with_its_retro_scheduled_is_told_to_take_it_there(session_scope: SessionScope) -> None:
    use_org(session_scope, ORG + PAIR_RETRO)
    served(session_scope, "sales", "it", resolved=60, rated=1)

    [finding] = found(drawn(session_scope), "strained")

    assert finding.reason.endswith("; their pair retro is scheduled: take it there")
    assert finding.proposal is None


def test_the_json_is_the_issues_shape(session_scope: SessionScope) -> None:
    use_org(session_scope)
    served(session_scope, "sales", "it", resolved=60, rated=4)
    declared(session_scope, {("it", "sales", "customer"): 0.5, ("sales", "it", "we_depend"): 1.0})

    shape = drawn(session_scope).as_json()

    assert list(shape) == ["departments", "edges", "findings"]
    assert shape["departments"][0] == {"id": "it", "name": "IT Support", "people": 3}
    assert shape["edges"] == [
        {
            "provider": "it",
            "customer": "sales",
            "requests": 1,
            "first_response_attainment": 1.0,
            "resolution_attainment": 1.0,
            "rating_average": 4.0,
            "declared_by_provider": 0.5,
            "declared_by_customer": 1.0,
            "agreement": True,
        }
    ]
    assert shape["findings"] == []
