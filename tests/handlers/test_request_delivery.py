"""Every message a request owes Slack arrives, and arrives once: when Slack fails at the moment it is due, and when
the process dies between the commit that owed it and its send.

The messages: the card (posted when the request is filed, updated at each change, posted anew in the new
department's channel after a transfer), the notes in its thread, the requester's DMs, the rating prompts after the
resolve and their update when clicked. Each is owed in the transaction of the change, so a
failure only delays it: time passes (the FixedClock) and the sender delivers what is due, as the scheduler's does.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlmodel import select

from bot.ids import Action, BlockId, Callback
from bot.outbox_kinds import all_kinds
from bot.slack.sender import LEASE, Sender
from storage import outbox
from storage.models import Outbox, Request
from tests.fakes.app_server import BOT_TOKEN
from tests.fakes.signing import plain_value, static_select
from tests.fakes.slack_api import FakeSlack
from tests.handlers.harness import Card, Harness, Json

Args = dict[str, Any]
FILED = "Your request #1 to IT Support is filed."
ACKNOWLEDGED = "<@U0ALICE> acknowledged it and is working on it."
RATE = "One click rates it"


class Crash(BaseException):
    """The process dies: nothing after this point runs, no handler catches it."""


# --- the messages, and how to make a request owe each -------------------------------------------------------------


def _file(inhouse: Harness) -> None:
    """File request #1 through the modal, without waiting for its card."""
    response = inhouse.submit_request_modal("U0SAM", inhouse.open_request_modal("U0SAM"))
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()


def _acknowledge(inhouse: Harness) -> None:
    assert inhouse.click(_card(inhouse), Action.ACKNOWLEDGE, "U0ALICE").status == 200
    inhouse.wait_quiet()


def _resolve(inhouse: Harness) -> None:
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.click(_card(inhouse), Action.RESOLVE, "U0ALICE")
    (modal,) = inhouse.slack.wait_for("views.open", count=opened + 1)[opened:]
    values = {str(BlockId.NOTE): {str(Action.NOTE): plain_value("Replaced the disk")}}
    submission = inhouse.signer.view_submission(
        Callback.RESOLVE, values, user_id="U0ALICE", view_id=modal.response["view"]["id"]
    )
    assert submission.send().body == ""
    inhouse.wait_quiet()


def _transfer_to_hr(inhouse: Harness) -> None:
    opened = len(inhouse.slack.calls_to("views.open"))
    inhouse.click(_card(inhouse), Action.TRANSFER, "U0ALICE")
    (modal,) = inhouse.slack.wait_for("views.open", count=opened + 1)[opened:]
    values = {str(BlockId.DEPARTMENT): {str(Action.DEPARTMENT): static_select("hr")}}
    submission = inhouse.signer.view_submission(
        Callback.TRANSFER, values, user_id="U0ALICE", view_id=modal.response["view"]["id"]
    )
    assert submission.send().body == ""
    inhouse.wait_quiet()


def _file_and_resolve(inhouse: Harness) -> None:
    _file(inhouse)
    _resolve(inhouse)


def _rate_the_service(inhouse: Harness) -> None:
    (prompt,) = [message for message in inhouse.dms_to("U0SAM") if RATE in message["text"]]
    click = inhouse.signer.block_action("rate_service_4", "1", user_id="U0SAM", channel_id="D0SAM",
                                        message_ts=prompt["ts"])  # fmt: skip
    assert click.send().status == 200
    inhouse.wait_quiet()


def _card(inhouse: Harness) -> Card:
    (message,) = inhouse.slack.messages("C0IT")
    return Card(1, "C0IT", message["ts"])


def _texts(messages: list[Json]) -> list[str]:
    return [message["text"] for message in messages]


def _dms(inhouse: Harness) -> list[str]:
    return _texts(inhouse.dms_to("U0SAM"))


def _thread(inhouse: Harness) -> list[str]:
    return _texts(inhouse.slack.replies("C0IT", _card(inhouse).ts))


def _posted_card_is_attached(inhouse: Harness) -> None:
    (card,) = inhouse.slack.messages("C0IT")
    assert card["blocks"][0]["text"]["text"].startswith("*#1* · Normal priority · from <@U0SAM>")
    with inhouse.session_scope() as session:
        request = session.get(Request, 1)
    assert request is not None
    assert (request.card_channel, request.card_ts) == ("C0IT", card["ts"])
    assert _dms(inhouse) == [FILED]


def _card_shows_the_acknowledgement(inhouse: Harness) -> None:
    (card,) = inhouse.slack.messages("C0IT")
    assert card["blocks"][2]["text"]["text"] == "*Status:* In progress · <@U0ALICE>"
    assert _thread(inhouse) == [ACKNOWLEDGED]  # the note went after the update it follows


def _one_note_in_the_thread(inhouse: Harness) -> None:
    assert _thread(inhouse) == [ACKNOWLEDGED]


def _one_dm_to_the_requester(inhouse: Harness) -> None:
    assert _dms(inhouse) == [FILED, "Your request #1: <@U0ALICE> is working on it."]


def _one_prompt_to_the_requester(inhouse: Harness) -> None:
    assert [text for text in _dms(inhouse) if RATE in text] == [
        "#1 is resolved. How did IT Support do? One click rates it (1 poor, 5 excellent)."
    ]


def _one_prompt_in_the_thread(inhouse: Harness) -> None:
    assert [text.split(",")[0] for text in _thread(inhouse) if RATE in text] == ["<@U0ALICE>"]


def _new_card_in_hrs_channel(inhouse: Harness) -> None:
    (card,) = inhouse.slack.messages("C0HR")
    assert card["blocks"][-1]["elements"][0]["action_id"] == Action.ACKNOWLEDGE
    with inhouse.session_scope() as session:
        request = session.get(Request, 1)
    assert request is not None
    assert (request.card_channel, request.card_ts) == ("C0HR", card["ts"])
    assert _texts(inhouse.slack.replies("C0HR", card["ts"])) == ["<@U0ALICE> transferred it here from IT Support."]


def _the_prompt_shows_the_rating(inhouse: Harness) -> None:
    assert [text for text in _dms(inhouse) if "rate" in text] == [
        "You rated IT Support ★★★★☆ 4/5 for #1. Click another number to change it."
    ]
    assert "*Requester's rating of the service:* ★★★★☆ 4/5" in str(inhouse.card_message(_card(inhouse))["blocks"])


def _is_new_card(args: Args) -> bool:
    return args["channel"] == "C0HR" and "thread_ts" not in args


def _is_prompt_update(args: Args) -> bool:
    return bool(args["channel"] == "D0SAM")


def _is_card(args: Args) -> bool:
    return args["channel"] == "C0IT" and "thread_ts" not in args


def _in_thread(args: Args) -> bool:
    return args["channel"] == "C0IT" and "thread_ts" in args and RATE not in args["text"]


def _is_prompt_in_thread(args: Args) -> bool:
    return "thread_ts" in args and RATE in args["text"]


def _is_dm(args: Args) -> bool:
    return args["channel"] == "U0SAM" and RATE not in args["text"]


def _is_prompt_dm(args: Args) -> bool:
    return args["channel"] == "U0SAM" and RATE in args["text"]


@dataclass(frozen=True)
class Message:
    """One kind of message: what comes before, the change that owes it, how to recognize its call, what to see."""

    setup: Callable[[Harness], None]
    change: Callable[[Harness], None]
    method: str
    call: Callable[[Args], bool]
    arrived: Callable[[Harness], None]


def _nothing(_inhouse: Harness) -> None:
    pass


MESSAGES = {
    "the card": Message(_nothing, _file, "chat.postMessage", _is_card, _posted_card_is_attached),
    "the card's update": Message(_file, _acknowledge, "chat.update", _is_card, _card_shows_the_acknowledgement),
    "a note in the card's thread": Message(
        _file, _acknowledge, "chat.postMessage", _in_thread, _one_note_in_the_thread
    ),
    "the requester's DM": Message(_file, _acknowledge, "chat.postMessage", _is_dm, _one_dm_to_the_requester),
    "the requester's rating prompt": Message(
        _file, _resolve, "chat.postMessage", _is_prompt_dm, _one_prompt_to_the_requester
    ),
    "the resolver's rating prompt": Message(
        _file, _resolve, "chat.postMessage", _is_prompt_in_thread, _one_prompt_in_the_thread
    ),
    "the rated prompt's update": Message(
        _file_and_resolve, _rate_the_service, "chat.update", _is_prompt_update, _the_prompt_shows_the_rating
    ),
    "the new card after a transfer": Message(
        _file, _transfer_to_hr, "chat.postMessage", _is_new_card, _new_card_in_hrs_channel
    ),
}


# --- how it fails -------------------------------------------------------------------------------------------------

Failure = Callable[[FakeSlack, str], None]
SLACK_FAILURES: dict[str, Failure] = {
    "a 500": lambda slack, method: slack.fail_next(method, error="internal_error", status=500),
    "a 429 with Retry-After": lambda slack, method: slack.fail_next(method, status=429, retry_after=30),
    "a lost answer after Slack took it": lambda slack, method: slack.drop_next(method, after_handling=True),
}


@contextmanager
def failing_when_due(inhouse: Harness, message: Message, failure: Failure) -> Iterator[None]:
    """Slack fails ``message`` the first time the app's sender makes its call, not before and no other call."""
    client = inhouse.running.deps.outbox.client
    send = client.api_call
    armed = [True]

    def api_call(api_method: str, **kwargs: Any) -> Any:
        if armed and api_method == message.method and message.call(kwargs.get("json") or {}):
            armed.clear()
            failure(inhouse.slack, api_method)
        return send(api_method, **kwargs)

    client.api_call = api_call  # type: ignore[method-assign]
    try:
        yield
    finally:
        del client.api_call
    assert not armed, "the message was never sent"


@contextmanager
def no_sender(inhouse: Harness) -> Iterator[None]:
    """The process dies right after the commit: what the change owed is in the outbox, and nothing is sent."""
    sender = inhouse.running.deps.outbox
    sender.wake = lambda: None  # type: ignore[method-assign]
    try:
        yield
    finally:
        del sender.wake


def _sent(inhouse: Harness) -> list[str]:
    return [call.method for call in inhouse.slack.calls if call.method.startswith("chat.")]


def _owed(inhouse: Harness) -> list[str]:
    with inhouse.session_scope() as session:
        return [row.key for row in outbox.by_status(session, outbox.PENDING)]


def _everything_sent(inhouse: Harness) -> None:
    with inhouse.session_scope() as session:
        statuses = {row.status for row in session.exec(select(Outbox))}
    assert statuses == {outbox.SENT}


# --- the specifications -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("failure", SLACK_FAILURES.values(), ids=SLACK_FAILURES.keys())
@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_a_message_slack_fails_when_it_is_due_arrives_once_later(
    inhouse: Harness, message: Message, failure: Failure
) -> None:
    message.setup(inhouse)
    with failing_when_due(inhouse, message, failure):
        message.change(inhouse)
    assert _owed(inhouse), "the failed message waits in the outbox"
    inhouse.deliver_later()
    message.arrived(inhouse)
    _everything_sent(inhouse)


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_a_message_owed_by_a_process_that_died_before_sending_it_arrives_once(
    inhouse: Harness, message: Message
) -> None:
    message.setup(inhouse)
    before = _sent(inhouse)
    with no_sender(inhouse):
        message.change(inhouse)
    assert _sent(inhouse) == before  # committed, owed, not sent
    assert _owed(inhouse)
    inhouse.deliver_later()  # the next sender (the scheduler's, or the next web worker's)
    message.arrived(inhouse)
    _everything_sent(inhouse)


class DiesAfterSending(WebClient):
    """A sender's client whose process dies once Slack has taken ``message``, before the sender can record it."""

    def __init__(self, slack: FakeSlack, message: Message) -> None:
        super().__init__(token=BOT_TOKEN, base_url=slack.base_url, retry_handlers=[], timeout=5)
        self.message = message

    def api_call(self, api_method: str, **kwargs: Any) -> Any:
        response = super().api_call(api_method, **kwargs)
        if api_method == self.message.method and self.message.call(kwargs.get("json") or {}):
            raise Crash
        return response


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_a_message_slack_took_from_a_sender_that_died_is_not_sent_again(inhouse: Harness, message: Message) -> None:
    message.setup(inhouse)
    with no_sender(inhouse):
        message.change(inhouse)
    deps = inhouse.running.deps
    dying = Sender(
        deps.session_scope, DiesAfterSending(inhouse.slack, message), inhouse.clock, all_kinds(deps.settings)
    )
    with pytest.raises(Crash):
        dying.drain()
    inhouse.deliver_later(seconds=LEASE.total_seconds() + 1)  # its lease ran out: another sender takes it over
    message.arrived(inhouse)
    _everything_sent(inhouse)
