"""Agreements that bind both sides: while a request waits on its requester, they owe an answer within the
agreement's customer_response, on their own department's calendar; reminded once, their managers told of a breach
once, the card saying so; the answer stops the clock, from the card's thread or the DM's *Reply*.

IT's agreement (tests/orgs.py's SALES_IN_NEW_YORK) asks its customers for an answer within 4h of their own hours:
Sales works 09:00-17:00 in New York, 14:00-22:00 UTC in November. Requests are filed Monday 2026-11-23 09:00 UTC
(10:00 Berlin, 04:00 New York).
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import col, select

from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.reports import export
from bot.reports import service as report_service
from bot.reports.blocks import report_message
from bot.requests import service as requests
from bot.retros import facts
from storage.models import Request, SlaAlert, SlaOutcome
from tests.fakes.signing import AppResponse, plain_value
from tests.handlers.harness import Card, Harness, Json
from tests.orgs import SALES_IN_NEW_YORK

QUESTION = "Which laptop is it: the <b>old</b> one or the new one?"


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def slack_date(instant: datetime) -> str:
    return f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} at {{time}}|{instant:%Y-%m-%d %H:%M} UTC>"


@pytest.fixture
def waiting(inhouse: Harness) -> Harness:
    """The test org, with Sales in New York owing IT's questions an answer within 4h."""
    assert 'calendar = "new_york"' in SALES_IN_NEW_YORK
    assert 'customer_response = "4h"' in SALES_IN_NEW_YORK
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(SALES_IN_NEW_YORK, "test-org.toml"))
    return inhouse


def paused(inhouse: Harness, at: datetime | None = None, user: str = "U0SAM") -> Card:
    """A request by ``user`` that IT set to wait on them at ``at`` (Monday 10:00 UTC), asking QUESTION."""
    card = inhouse.file_request(user)
    inhouse.clock.set(at or utc(23, 10))
    assert inhouse.pause(card, "U0ALICE", QUESTION).body == ""
    return card


def row(inhouse: Harness, card: Card) -> Request:
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    return request


def outcomes(inhouse: Harness) -> list[tuple[int, int, str | None, datetime | None, float | None]]:
    with inhouse.session_scope() as session:
        query = select(SlaOutcome).where(SlaOutcome.metric == "customer_response").order_by(col(SlaOutcome.id))
        return [(o.request_id, o.cycle, o.outcome, o.done_at, o.minutes) for o in session.exec(query)]


def card_texts(inhouse: Harness, card: Card) -> tuple[str, str]:
    """The card's status line and its line of due times."""
    blocks = inhouse.card_message(card)["blocks"]
    return blocks[2]["text"]["text"], blocks[-2]["elements"][0]["text"]


def thread_texts(inhouse: Harness, card: Card) -> list[str]:
    return [reply["text"] for reply in inhouse.slack.replies(card.channel, card.ts)]


def click_reply(inhouse: Harness, message: Json, user: str = "U0SAM") -> AppResponse:
    """``user`` clicks *Reply* on a message in the requester's (U0SAM's) DM with the app."""
    (value,) = [e["value"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == Action.ANSWER]  # fmt: skip
    channel = inhouse.slack.dm_channel("U0SAM")
    click = inhouse.signer.block_action(
        Action.ANSWER, value, user_id=user, channel_id=channel, message_ts=message["ts"]
    )
    return click.send()


def submit_answer(inhouse: Harness, text: str, user: str = "U0SAM", view_id: str | None = None) -> AppResponse:
    """Submit the answer modal the app opened last (or ``view_id``)."""
    view_id = view_id or inhouse.slack.calls_to("views.open")[-1].response["view"]["id"]
    values = {str(BlockId.NOTE): {str(Action.NOTE): plain_value(text)}}
    response = inhouse.signer.view_submission(Callback.ANSWER, values, user_id=user, view_id=view_id).send()
    inhouse.wait_quiet()
    return response


# --- it starts on the customer's calendar --------------------------------------------------------------------------


def test_waiting_on_the_requester_starts_their_clock_on_their_calendar(waiting: Harness) -> None:
    card = paused(waiting)  # 05:00 in New York: their 4h count from 09:00 there
    request = row(waiting, card)
    assert (request.customer_response_warn_at, request.customer_response_due) == (utc(23, 17), utc(23, 18))
    assert request.customer_cycle == 1
    status, due = card_texts(waiting, card)
    assert status == "*Status:* Waiting on the requester"
    paused_line = "The agreement's clock is paused while waiting on the requester"
    assert due == f"{paused_line} · Their answer is due {slack_date(utc(23, 18))}"
    escaped = "Which laptop is it: the &lt;b&gt;old&lt;/b&gt; one or the new one?"
    assert thread_texts(waiting, card) == [f"<@U0ALICE> is waiting on the requester.\n>{escaped}"]
    dm = waiting.dms_to("U0SAM")[-1]
    assert dm["blocks"][0]["text"]["text"] == (
        f"Your request *#{card.number}*: <@U0ALICE> is waiting on you: answer with *Reply* (it goes in the request's "
        f"thread), by {slack_date(utc(23, 18))}.\n>{escaped}"
    )
    assert [e["action_id"] for e in dm["blocks"][1]["elements"]] == [Action.ANSWER]


def test_without_customer_response_nobody_owes_an_answer_in_time(waiting: Harness) -> None:
    card = waiting.file_request("U0SAM", department="hr")  # HR's agreement asks no answer in time
    waiting.clock.set(utc(23, 10))
    waiting.pause(card, "U0HANNA")
    request = row(waiting, card)
    assert (request.customer_response_due, request.customer_cycle) == (None, 0)
    waiting.clock.set(utc(27, 12))
    waiting.tick()
    assert waiting.dms_to("U0SALESMGR") == []
    assert "Reply" in str(waiting.dms_to("U0SAM")[-1]["blocks"])  # the requester can still answer from the DM


# --- warned once, breached once ------------------------------------------------------------------------------------


def test_the_requester_is_reminded_once_with_the_question_and_a_reply_button(waiting: Harness) -> None:
    card = paused(waiting)
    before = len(waiting.dms_to("U0SAM"))
    for minute in (0, 10, 40):
        waiting.clock.set(utc(23, 17, minute))
        waiting.tick()
    (reminder,) = waiting.dms_to("U0SAM")[before:]
    headline, details, buttons = reminder["blocks"]
    assert headline["text"]["text"] == (
        f"*IT Support* is waiting on your answer about #{card.number}: please answer by {slack_date(utc(23, 18))} "
        "(1h left)."
    )
    assert details["text"]["text"] == (
        ">My laptop won't boot\nThey asked:\n>Which laptop is it: the &lt;b&gt;old&lt;/b&gt; one or the new one?"
    )
    assert [(e["text"]["text"], e["value"]) for e in buttons["elements"]] == [("Reply", str(card.number))]
    assert thread_texts(waiting, card)[1:] == []  # the provider's channel hears of a breach only
    assert waiting.dms_to("U0ALICE") == waiting.dms_to("U0ITMGR") == []


def test_a_breach_tells_the_customers_managers_once_and_shows_on_the_card(waiting: Harness) -> None:
    card = paused(waiting)
    for hour, minute in ((18, 1), (18, 30), (20, 0)):
        waiting.clock.set(utc(23, hour, minute))
        waiting.tick()
    (dm,) = waiting.dms_to("U0SALESMGR")
    headline, details = dm["blocks"]
    assert headline["text"]["text"] == (
        f"<@U0SAM> has not answered *IT Support* about #{card.number}: it was due {slack_date(utc(23, 18))}."
    )
    assert details["text"]["text"] == (
        f"*#{card.number}* to *IT Support* from <@U0SAM> (Sales)\n>My laptop won't boot\nThey asked:\n"
        ">Which laptop is it: the &lt;b&gt;old&lt;/b&gt; one or the new one?\n"
        f"Agreed: an answer within 4h, by {slack_date(utc(23, 18))}.\nLate by 1m of business time."
    )
    status, _ = card_texts(waiting, card)
    assert status == "*Status:* Waiting on the requester · :rotating_light: *the requester's answer is overdue*"
    assert thread_texts(waiting, card)[-1] == (
        f":rotating_light: #{card.number} is still waiting on its requester: their answer was due "
        f"{slack_date(utc(23, 18))}."
    )
    assert waiting.dms_to("U0ITMGR") == []  # the provider's own targets stay paused
    with waiting.session_scope() as session:
        raised = [(a.metric, a.level, a.cycle) for a in session.exec(select(SlaAlert).order_by(col(SlaAlert.id)))]
    assert raised == [("customer_response", "warning", 1), ("customer_response", "breach", 1)]
    assert len(waiting.dms_to("U0SAM")) == 2  # filed, then waiting on them: the warning came with the breach, unsent
    assert outcomes(waiting) == [(card.number, 1, "breached", None, None)]
    with waiting.session_scope() as session:  # a retro of IT's service does not count it as IT's breach
        assert facts.gather(session, ["it"], utc(23, 0), utc(24, 0))[0]["breaches"] == 0


def test_a_breach_at_night_waits_for_the_customers_hours_and_comes_as_one_digest(waiting: Harness) -> None:
    first = paused(waiting, at=utc(23, 18))  # 13:00 New York: due at 17:00 there, its closing
    second = paused(waiting, at=utc(23, 18), user="U0SAM")
    assert row(waiting, first).customer_response_due == utc(23, 22)
    waiting.clock.set(utc(23, 22, 5))
    waiting.tick()
    assert waiting.dms_to("U0SALESMGR") == []
    waiting.clock.set(utc(24, 14, 1))  # 09:01 in New York
    waiting.tick()
    (digest,) = waiting.dms_to("U0SALESMGR")
    assert digest["text"] == "2 requests are waiting on answers from your side:"
    headlines = [b["text"]["text"] for b in digest["blocks"][1:] if "has not answered" in b["text"]["text"]]
    assert [f"#{first.number}:" in headlines[0], f"#{second.number}:" in headlines[1]] == [True, True]


# --- the answer stops it -------------------------------------------------------------------------------------------


def test_the_requesters_reply_in_the_thread_stops_their_clock_and_the_request_keeps_waiting(waiting: Harness) -> None:
    card = paused(waiting)
    waiting.clock.set(utc(23, 15))  # 10:00 in New York: one business hour
    reply = {"type": "message", "channel": card.channel, "user": "U0SAM", "text": "The old one",
             "ts": "1800000000.000009", "thread_ts": card.ts}  # fmt: skip
    waiting.signer.event(reply, event_id="EvAnswer").send()
    waiting.signer.event(reply, event_id="EvAnswer", retry_num=1).send()
    waiting.wait_quiet()
    request = row(waiting, card)
    assert (request.state, request.customer_response_at, request.customer_response_due) == (
        "waiting",
        utc(23, 15),
        None,
    )
    with waiting.session_scope() as session:
        kinds = [event.kind for event in requests.history(session, card.number)]
    assert kinds == ["created", "paused", "answered"]
    _, due = card_texts(waiting, card)
    assert due.endswith(f"They answered {slack_date(utc(23, 15))}: resume when you have what you need")
    waiting.clock.set(utc(24, 12))
    assert waiting.tick().milestones == 0
    assert outcomes(waiting) == [(card.number, 1, "met", utc(23, 15), 60.0)]


def test_reply_in_the_dm_answers_in_the_cards_thread_and_stops_the_clock(waiting: Harness) -> None:
    card = paused(waiting)
    waiting.clock.set(utc(23, 14, 30))
    opened = len(waiting.slack.calls_to("views.open"))
    click_reply(waiting, waiting.dms_to("U0SAM")[-1])
    (modal,) = waiting.slack.wait_for("views.open", count=opened + 1)[opened:]
    shown = [b["text"]["text"] for b in modal.args["view"]["blocks"] if b["type"] == "section"]
    assert shown[1] == "They asked:\n>Which laptop is it: the &lt;b&gt;old&lt;/b&gt; one or the new one?"
    view_id = modal.response["view"]["id"]
    assert submit_answer(waiting, "The <old> one", view_id=view_id).body == ""
    assert submit_answer(waiting, "The <old> one", view_id=view_id).body == ""  # a double submit posts it once
    assert thread_texts(waiting, card)[1:] == ["<@U0SAM> answered:\n>The &lt;old&gt; one"]
    assert waiting.dms_to("U0SAM")[-1]["text"] == (
        f"Your answer about *#{card.number}* is in its thread for *IT Support*:\n>The &lt;old&gt; one"
    )
    assert row(waiting, card).customer_response_due is None
    assert outcomes(waiting) == [(card.number, 1, "met", utc(23, 14, 30), 30.0)]
    waiting.clock.set(utc(24, 12))
    assert waiting.tick().milestones == 0


def test_only_the_requester_can_answer(waiting: Harness) -> None:
    card = paused(waiting)
    click = click_reply(waiting, waiting.dms_to("U0SAM")[-1], user="U0HANNA")
    assert waiting.private_answers(click) == [f"Only the requester of #{card.number} can answer here."]
    assert row(waiting, card).customer_response_due == utc(23, 18)


def test_resuming_stops_the_clock_and_each_wait_has_a_clock_of_its_own(waiting: Harness) -> None:
    card = paused(waiting)
    waiting.clock.set(utc(23, 16))  # two business hours of theirs
    waiting.click(card, Action.RESUME, "U0ALICE")
    waiting.wait_quiet()
    assert row(waiting, card).customer_response_due is None
    waiting.clock.set(utc(24, 9))
    waiting.pause(card, "U0ALICE", "And the serial number?")
    assert (row(waiting, card).customer_cycle, row(waiting, card).customer_response_due) == (2, utc(24, 18))
    before = len(waiting.dms_to("U0SAM"))
    for hour in (17, 18, 19):
        waiting.clock.set(utc(24, hour, 1))
        waiting.tick()
    (reminder,) = waiting.dms_to("U0SAM")[before:]
    assert reminder["blocks"][1]["text"]["text"].endswith("They asked:\n>And the serial number?")
    assert len(waiting.dms_to("U0SALESMGR")) == 1
    assert outcomes(waiting) == [(card.number, 1, "met", utc(23, 16), 120.0), (card.number, 2, "breached", None, None)]


# --- reports -------------------------------------------------------------------------------------------------------


def test_reports_show_the_answers_owed_next_to_the_providers_targets(waiting: Harness) -> None:
    answered = paused(waiting)
    paused(waiting)
    waiting.clock.set(utc(23, 15))
    waiting.click(answered, Action.RESUME, "U0ALICE")  # before their answer was due: met
    waiting.wait_quiet()
    waiting.clock.set(utc(23, 18, 30))
    waiting.tick()  # the other one's answer is late: breached
    now = utc(24, 12)
    with waiting.session_scope() as session:
        period = report_service.dates(ZoneInfo("Europe/Berlin"), date(2026, 11, 1), date(2026, 11, 30), now=now)
        report = report_service.build(session, period, now, provider="it")
    (pair,) = report.pairs
    assert (pair.customer, pair.customer_response_met, pair.customer_response_breached) == ("sales", 1, 1)
    assert (pair.first_response_met, pair.first_response_breached) == (2, 0)  # the pauses were IT's first responses
    (row,) = export.rows(report)
    assert list(row)[-3:] == ["customer_response_met", "customer_response_breached", "customer_response_attainment"]
    assert row["customer_response_attainment"] == 0.5
    fields = report_message(report, chart_file=None).blocks[2].to_dict()["fields"]
    assert fields[-1]["text"].startswith("*Waiting on requesters*\n5h, answered in time: 50% met (1/2)\n")
