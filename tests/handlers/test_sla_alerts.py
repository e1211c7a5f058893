"""Agreements that hold: warnings before a breach, DMs to managers at a breach, each exactly once.

The test org's IT works 09:00-17:00 in Berlin and promises a first response in 4h and a resolution
in 2 working days (urgent: 30m and 4h). Requests are filed Monday 2026-11-23 10:00 Berlin (09:00 UTC).
"""

import threading
from datetime import UTC, datetime

import pytest
from sqlmodel import col, select

from bot.domain.lifecycle import EventKind
from bot.ids import Action
from bot.requests import service as requests
from storage.models import Outbox, Request
from tests.handlers.harness import Card, Harness


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def slack_date(instant: datetime) -> str:
    return f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} at {{time}}|{instant:%Y-%m-%d %H:%M} UTC>"


def dm_texts(inhouse: Harness, user: str) -> list[str]:
    return [message["text"] for message in inhouse.dms_to(user)]


def thread_texts(inhouse: Harness, card: Card) -> list[str]:
    return [reply["text"] for reply in inhouse.slack.replies(card.channel, card.ts)]


def test_nothing_is_sent_before_the_warning_is_due(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 11, 59))
    report = inhouse.tick()
    assert (report.milestones, report.delivery.sent) == (0, 0)
    assert thread_texts(inhouse, card) == []


def test_an_unassigned_warning_goes_to_the_thread_and_the_channel(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 12, 0))  # 75% of 4h: Monday 13:00 in Berlin
    inhouse.tick()
    (note,) = inhouse.slack.replies(card.channel, card.ts)
    assert note["text"].startswith(f":hourglass_flowing_sand: #{card.number} is close to its first response target")
    assert note["text"].endswith(", 1h left.")
    (call,) = [c for c in inhouse.slack.calls_to("chat.postMessage") if c.args.get("thread_ts") == card.ts]
    assert call.args["reply_broadcast"] is True


def test_an_assigned_warning_also_goes_to_the_assignee(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.clock.set(utc(24, 13, 0))  # 75% of two working days: Tuesday 14:00 in Berlin
    inhouse.tick()
    due = slack_date(utc(25, 9, 0))
    assert dm_texts(inhouse, "U0ALICE") == [f"#{card.number} is close to its resolution target: due {due}, 4h left."]
    assert len(thread_texts(inhouse, card)) == 2  # the acknowledgement, then the warning


def test_a_breach_dms_each_manager_what_was_promised_and_how_late_it_is(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM", description="VPN <down>")
    inhouse.clock.set(utc(23, 13, 30))  # due Monday 14:00 Berlin, now 14:30
    inhouse.tick()
    (dm,) = inhouse.dms_to("U0ITMGR")
    headline, details, buttons = dm["blocks"]
    due = slack_date(utc(23, 13, 0))
    assert headline["text"]["text"] == f"#{card.number} missed its first response target: it was due {due}."
    assert details["text"]["text"] == (
        f"*#{card.number}* to *IT Support* from <@U0SAM> (Sales)\n>VPN &lt;down&gt;\n"
        f"Promised: first response within 4h, by {due}.\nLate by 30m of business time."
    )
    assert [e["text"]["text"] for e in buttons["elements"]] == ["Open", "Take it"]
    assert buttons["elements"][0]["url"] == f"https://slack.com/archives/C0IT/p{card.ts.replace('.', '')}"


def test_a_breach_is_announced_once_however_often_the_sweep_runs(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM")
    for minute in (30, 31, 45):
        inhouse.clock.set(utc(23, 13, minute))
        inhouse.tick()
    assert len(inhouse.dms_to("U0ITMGR")) == 1


def test_the_card_shows_it_is_overdue(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 13, 1))
    inhouse.tick()
    status = inhouse.card_message(card)["blocks"][2]["text"]["text"]
    assert status == "*Status:* Open: waiting for someone to pick it up · :rotating_light: *first response overdue*"


def test_take_it_from_the_breach_dm_assigns_the_manager(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 13, 1))
    inhouse.tick()
    (dm,) = inhouse.dms_to("U0ITMGR")
    channel = inhouse.slack.dm_channel("U0ITMGR")
    inhouse.signer.block_action(Action.TAKE, str(card.number), user_id="U0ITMGR", channel_id=channel,
                                message_ts=dm["ts"]).send()  # fmt: skip
    inhouse.wait_quiet()
    status = inhouse.card_message(card)["blocks"][2]["text"]["text"]
    assert status == "*Status:* In progress · <@U0ITMGR>"


def test_time_waiting_on_the_requester_is_not_counted(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 10, 0))  # 11:00 Berlin
    inhouse.pause(card, "U0ALICE")
    inhouse.clock.set(utc(23, 14, 0))  # 15:00 Berlin: four business hours later
    inhouse.click(card, Action.RESUME, "U0ALICE")
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert request.resolution_due == utc(25, 13, 0)  # Wednesday 14:00 Berlin instead of 10:00


def test_nothing_is_raised_while_waiting_on_the_requester(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.pause(card, "U0ALICE")
    inhouse.clock.set(utc(26, 15, 0))  # far past every original due time
    report = inhouse.tick()
    assert report.milestones == 0
    assert inhouse.dms_to("U0ITMGR") == []


def test_a_breach_at_night_waits_for_the_shift_and_comes_as_one_digest(inhouse: Harness) -> None:
    inhouse.clock.set(utc(23, 15, 45))  # 16:45 Berlin, urgent: first response due 17:15… the next morning
    first = inhouse.file_request("U0SAM", priority="urgent")
    second = inhouse.file_request("U0HANNA", priority="urgent")
    inhouse.clock.set(utc(24, 2, 0))  # 03:00 Berlin
    inhouse.tick()
    assert inhouse.dms_to("U0ITMGR") == []
    inhouse.clock.set(utc(24, 8, 16))  # 09:16 Berlin: the shift has started
    inhouse.tick()
    (digest,) = inhouse.dms_to("U0ITMGR")
    assert digest["text"] == "2 SLA alerts came in while you were off:"
    numbers = [b["elements"][-1]["value"] for b in digest["blocks"] if b["type"] == "actions"]
    assert numbers == [str(first.number), str(second.number)]


def test_a_resolution_still_breached_a_working_day_later_reminds_managers_and_escalation(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.clock.set(utc(25, 9, 30))  # resolution breached (due Wednesday 10:00 Berlin)
    inhouse.tick()
    inhouse.clock.set(utc(26, 9, 30))  # a working day later
    inhouse.tick()
    reminder = f"Still unresolved a working day after its target: #{card.number} was due"
    assert [t.startswith(reminder) for t in dm_texts(inhouse, "U0ITMGR")] == [False, True]
    assert [t.startswith(reminder) for t in dm_texts(inhouse, "U0CTO")] == [True]


def test_a_reopened_request_can_breach_its_resolution_again(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM", priority="urgent")  # resolution within 4h
    inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.clock.set(utc(23, 13, 30))
    inhouse.tick()  # resolution breached at 14:00 Berlin
    with inhouse.session_scope() as session:
        requests.resolve(session, card.number, "U0ALICE", "done", inhouse.clock())
        requests.act(session, card.number, EventKind.REOPENED, "U0ALICE", inhouse.clock())
    inhouse.clock.set(utc(24, 13, 0))  # four business hours after the reopen
    inhouse.tick()
    breaches = [t for t in dm_texts(inhouse, "U0ITMGR") if "missed its resolution target" in t]
    assert len(breaches) == 2


def test_a_rate_limited_alert_waits_for_retry_after_and_is_sent_once(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM")
    inhouse.slack.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=30)
    inhouse.clock.set(utc(23, 13, 1))
    first = inhouse.tick()
    assert first.delivery.retrying >= 1
    inhouse.clock.set(utc(23, 13, 1).replace(second=20))
    assert inhouse.tick().delivery.sent == 0  # Retry-After not over yet
    inhouse.clock.set(utc(23, 13, 2))
    inhouse.tick()
    assert len(inhouse.dms_to("U0ITMGR")) == 1


def test_a_server_error_is_retried_with_backoff(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM")
    inhouse.slack.fail_next("chat.postMessage", error="internal_error", status=500, times=2)
    inhouse.clock.set(utc(23, 13, 1))
    inhouse.tick()
    with inhouse.session_scope() as session:
        failed = {row.kind: row.last_error for row in session.exec(select(Outbox).where(Outbox.status == "pending"))}
    # the card's update waits behind the note in the card's thread, which failed
    assert failed == {"sla_dm": "internal_error", "sla_thread": "internal_error", "card_refresh": None}
    inhouse.clock.set(utc(23, 14, 0))
    inhouse.tick()
    assert len(inhouse.dms_to("U0ITMGR")) == 1


def test_a_permanent_error_is_given_up_and_logged_not_retried(
    inhouse: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    inhouse.file_request("U0SAM")
    inhouse.slack.fail_next("chat.postMessage", error="user_not_found", status=200)
    inhouse.clock.set(utc(23, 13, 1))
    report = inhouse.tick()
    assert report.delivery.dead == 1
    assert "user_not_found" in caplog.text
    inhouse.clock.set(utc(23, 15, 0))
    inhouse.tick()
    with inhouse.session_scope() as session:
        alerts = select(Outbox).where(col(Outbox.key).startswith("sla:"))
        statuses = sorted(row.status for row in session.exec(alerts))
    assert statuses == ["dead", "sent", "sent"]


def test_alerts_detected_before_a_restart_are_delivered_after_it(inhouse: Harness) -> None:
    from bot.sla import sweep as sla_sweep

    inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 13, 1))
    with inhouse.session_scope() as session:  # the process stops right after the sweep committed
        sla_sweep.sweep(session, inhouse.clock())
    assert inhouse.dms_to("U0ITMGR") == []
    inhouse.tick()  # the next process's first tick
    inhouse.tick()
    assert len(inhouse.dms_to("U0ITMGR")) == 1


def test_concurrent_sweeps_send_each_alert_once(inhouse: Harness) -> None:
    cards = [inhouse.file_request("U0SAM") for _ in range(3)]
    inhouse.clock.set(utc(23, 13, 1))
    barrier = threading.Barrier(4)

    def tick() -> None:
        barrier.wait()
        inhouse.tick()

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    inhouse.tick()
    mentioned = [b["elements"][-1]["value"] for m in inhouse.dms_to("U0ITMGR") for b in m["blocks"]
                 if b["type"] == "actions"]  # fmt: skip
    assert sorted(mentioned) == sorted(str(card.number) for card in cards)


def test_a_providers_public_reply_in_the_thread_is_the_first_response(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 10, 0))
    reply = {"type": "message", "channel": card.channel, "user": "U0BOB", "text": "On it", "ts": "1800000000.000001",
             "thread_ts": card.ts}  # fmt: skip
    inhouse.signer.event(reply, event_id="EvReply").send()
    inhouse.signer.event(reply, event_id="EvReply", retry_num=1).send()
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
        kinds = [event.kind for event in requests.history(session, card.number)]
    assert request is not None
    assert request.first_response_at == utc(23, 10, 0)
    assert kinds == ["created", "replied"]
    inhouse.clock.set(utc(23, 13, 30))
    inhouse.tick()
    assert inhouse.dms_to("U0ITMGR") == []  # no first-response breach: it was met


def test_a_reply_by_the_requester_is_not_a_first_response(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    reply = {"type": "message", "channel": card.channel, "user": "U0SAM", "text": "Any news?",
             "ts": "1800000000.000002", "thread_ts": card.ts}  # fmt: skip
    inhouse.signer.event(reply).send()
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert request.first_response_at is None


def test_raising_the_priority_applies_the_shorter_agreement_counting_time_used(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")  # normal: first response within 4h, resolution in 2 working days
    inhouse.clock.set(utc(23, 9, 20))  # 20 business minutes used
    message = inhouse.card_message(card)
    inhouse.signer.block_action(Action.CHANGE_PRIORITY, user_id="U0ALICE", channel_id=card.channel, message=message,
                                selected_option=f"{card.number}:urgent").send()  # fmt: skip
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert request.priority == "urgent"
    assert request.first_response_due == utc(23, 9, 30)  # 30m urgent target, 20m already used
    assert request.resolution_due == utc(23, 13, 0)  # 4h urgent resolution, 20m already used
    assert inhouse.card_message(card)["blocks"][0]["text"]["text"].startswith(f"*#{card.number}* · Urgent priority")


def test_only_the_provider_may_change_the_priority(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    message = inhouse.card_message(card)
    click = inhouse.signer.block_action(Action.CHANGE_PRIORITY, user_id="U0SAM", channel_id=card.channel,
                                        message=message, selected_option=f"{card.number}:urgent").send()  # fmt: skip
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert request.priority == "normal"
    assert inhouse.private_answers(click)[0].startswith("Only members and managers of IT Support")


def test_a_met_first_response_keeps_its_due_time_through_a_pause(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    inhouse.clock.set(utc(23, 10, 0))
    inhouse.pause(card, "U0ALICE")  # the pause is the first response
    inhouse.clock.set(utc(23, 14, 0))
    inhouse.click(card, Action.RESUME, "U0ALICE")
    inhouse.wait_quiet()
    with inhouse.session_scope() as session:
        request = session.get(Request, card.number)
    assert request is not None
    assert (request.first_response_at, request.first_response_due) == (utc(23, 10, 0), utc(23, 13, 0))
