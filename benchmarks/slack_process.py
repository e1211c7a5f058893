"""The fake Slack Web API in a process of its own, for the benchmark.

In the benchmark's own process the fake's request handling (parsing, Block Kit checks, storing messages)
shares one GIL with the clients that time the answers: every Slack call Inhouse makes after acking would
delay the clock reading of answers it has already sent, a cost real Slack, on another machine, never has.
Here the fake runs in a child process; the benchmark reaches it through a multiprocessing manager, with
the few methods the benchmark and ``SlackSigner`` use.
"""

import multiprocessing
from multiprocessing.managers import BaseManager
from typing import Any

from tests.fakes.slack_api import FakeSlack

Json = dict[str, Any]


class SlackService:
    """Lives in the manager's process: a started FakeSlack, answering in plain (picklable) values."""

    def __init__(self, token: str, latency: float) -> None:
        self._fake = FakeSlack(token=token, latency=latency).start()

    def base_url(self) -> str:
        return self._fake.base_url

    def call_count(self) -> int:
        return len(self._fake.calls)

    def opened_view_id(self, timeout: float) -> str:
        """The id of the first view the app opened."""
        (opened,) = self._fake.wait_for("views.open", timeout=timeout)
        view_id: str = opened.response["view"]["id"]
        return view_id

    def modal_waits(self) -> list[float]:
        """Seconds from each trigger's command to the views.open that used it, over the calls since the reset."""
        waits = []
        for call in self._fake.calls_to("views.open"):
            issued = self._fake.trigger_issued_at(call.args.get("trigger_id", ""))
            if issued is not None:
                waits.append(call.at - issued)
        return waits

    def reset(self) -> None:
        self._fake.reset()

    def messages(self, channel: str) -> list[Json]:
        return self._fake.messages(channel)

    def message(self, channel: str, ts: str) -> Json:
        return self._fake.message(channel, ts)

    def view(self, view_id: str) -> Json:
        return self._fake.view(view_id)

    def dm_channel(self, user_id: str) -> str:
        return self._fake.dm_channel(user_id)

    def new_trigger_id(self, user_id: str | None = None) -> str:
        return self._fake.new_trigger_id(user_id)

    def response_url(self) -> str:
        return self._fake.response_url()

    def stop(self) -> None:
        self._fake.stop()


class _Manager(BaseManager):
    pass


_Manager.register("SlackService", SlackService)


class SlackProcess:
    """``with SlackProcess(token) as slack:`` gives a proxy of a SlackService running in a child process."""

    def __init__(self, token: str, latency: float = 0.0) -> None:
        self.token = token
        self.latency = latency
        self._manager = _Manager(ctx=multiprocessing.get_context("spawn"))

    def __enter__(self) -> Any:  # a proxy with SlackService's methods
        self._manager.start()
        self._service: Any = self._manager.SlackService(self.token, self.latency)  # type: ignore[attr-defined]
        return self._service

    def __exit__(self, *_exc: object) -> None:
        self._service.stop()
        self._manager.shutdown()
