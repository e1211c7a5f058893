"""Drive the running app the way people do in Slack, and read what it did."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.ids import Action, BlockId, Callback
from bot.jobs import scheduled as jobs
from bot.jobs.scheduled import TickReport
from bot.slack.sender import PACE, Delivery
from storage.db import SessionScope
from tests.fakes.app_server import RunningApp
from tests.fakes.clock import FixedClock
from tests.fakes.signing import AppResponse, SlackSigner, plain_value, static_select
from tests.fakes.slack_api import Call, FakeSlack

Json = dict[str, Any]
Values = Mapping[Any, Mapping[Any, Json]]  # {block_id: {action_id: state value}}, ids as StrEnums or str


@dataclass(frozen=True)
class Card:
    number: int
    channel: str
    ts: str


@dataclass
class Harness:
    running: RunningApp
    slack: FakeSlack
    signer: SlackSigner
    clock: FixedClock

    @property
    def session_scope(self) -> SessionScope:
        return self.running.session_scope

    def open_request_modal(self, user: str, text: str = "") -> Call:
        """Type ``/request TEXT``; the modal the app opened."""
        opened = len(self.slack.calls_to("views.open"))
        response = self.signer.command("/request", text, user_id=user).send()
        assert response.status == 200
        return self.slack.wait_for("views.open", count=opened + 1)[-1]

    def submit_request_modal(
        self,
        user: str,
        modal: Call,
        *,
        department: str | None = "it",
        description: str | None = "My laptop won't boot",
        priority: str = "normal",
        extra: Values | None = None,
    ) -> AppResponse:
        values: dict[Any, Mapping[Any, Json]] = {
            BlockId.PRIORITY: {Action.PRIORITY: static_select(priority)},
            BlockId.DESCRIPTION: {Action.DESCRIPTION: plain_value(description)},
        }
        if department is not None:
            values[BlockId.DEPARTMENT] = {Action.DEPARTMENT: static_select(department)}
        values.update(extra or {})
        view_id = modal.response["view"]["id"]
        return self.signer.view_submission(Callback.REQUEST, values, user_id=user, view_id=view_id).send()

    def file_request(self, user: str = "U0SAM", **fields: Any) -> Card:
        """File a request through the modal; the card the app posted for it."""
        posted = len(self.slack.calls_to("chat.postMessage"))
        response = self.submit_request_modal(user, self.open_request_modal(user), **fields)
        assert response.status == 200, response.body
        assert response.body == "", response.body
        card = self.slack.wait_for("chat.postMessage", count=posted + 1)[posted]
        self.wait_quiet()
        number = int(card.args["blocks"][-1]["elements"][0]["value"])
        return Card(number, card.response["channel"], card.response["ts"])

    def click(self, card: Card, action: Action, user: str) -> AppResponse:
        return self.signer.block_action(
            action, str(card.number), user_id=user, channel_id=card.channel, message_ts=card.ts
        ).send()

    def pause(self, card: Card, user: str, question: str | None = None) -> AppResponse:
        """Set the request to wait on its requester from the card: the button's modal, submitted with ``question``."""
        opened = len(self.slack.calls_to("views.open"))
        self.click(card, Action.PAUSE, user)
        modal = self.slack.wait_for("views.open", count=opened + 1)[opened]
        values = {str(BlockId.NOTE): {str(Action.NOTE): plain_value(question)}}
        view_id = modal.response["view"]["id"]
        response = self.signer.view_submission(Callback.PAUSE, values, user_id=user, view_id=view_id).send()
        self.wait_quiet()
        return response

    def private_answers(self, response: AppResponse) -> list[str]:
        """What the app told only the person who clicked (or typed the command) that ``response`` answered."""
        self.wait_quiet()
        assert response.request is not None
        path = urlsplit(response.request.payload["response_url"]).path
        answers = [call for call in self.slack.calls_to("response_url") if call.path == path]
        return [call.args["text"] for call in answers if call.args.get("response_type") == "ephemeral"]

    def deliver_later(self, seconds: float = 60) -> Delivery:
        """Time passes (past any backoff or Retry-After) and the sender delivers what is due: as the scheduler would."""
        self.wait_quiet()
        self.clock.advance(seconds=seconds)
        delivered = self.running.deps.outbox.drain()
        # A conversation Slack rate-limited then gets a post a second; the scheduler's sender looks every second.
        for _ in range(60):
            self.clock.advance(seconds=PACE.total_seconds())
            more = self.running.deps.outbox.drain()
            if not (more.sent or more.retrying or more.dead):
                break
            delivered.add(more)
        return delivered

    def tick(self) -> TickReport:
        """One scheduler tick (SLA sweep, then outbox delivery) at the clock's time."""
        self.wait_quiet()
        return jobs.sla_tick(self.running.deps, self.clock())

    def wait_quiet(self) -> None:
        """Wait until work that the app started after acking is done."""
        self.running.idle()

    def card_message(self, card: Card) -> Json:
        return self.slack.message(card.channel, card.ts)

    def dms_to(self, user: str) -> list[Json]:
        return self.slack.messages(self.slack.dm_channel(user))
