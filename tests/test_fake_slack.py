"""The test fakes behave like Slack: the Web API as slack_sdk sees it, and requests as Bolt verifies them."""

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import Clock as VerifierClock
from slack_sdk.signature import SignatureVerifier

from tests.fakes.signing import SlackSigner, datepicker, plain_value, sign, static_select
from tests.fakes.slack_api import FakeSlack, Pace

SECRET = "test-signing-secret"
NOW = 1_763_888_400.0  # a fixed wall clock for signing: 2025-11-23 09:00 UTC


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str, value: str, text: str = "Go") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "value": value, "text": {"type": "plain_text", "text": text}}


def input_block(block_id: str, element: dict[str, Any], **extra: Any) -> dict[str, Any]:
    label = {"type": "plain_text", "text": block_id.capitalize()}
    return {"type": "input", "block_id": block_id, "label": label, "element": element, **extra}


def modal(title: str = "New request", **extra: Any) -> dict[str, Any]:
    title_text = {"type": "plain_text", "text": title}
    return {"type": "modal", "title": title_text, "callback_id": "request_modal", "blocks": [], **extra}


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeSlack]:
    with FakeSlack(now=clock) as running:
        yield running


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(base_url=fake.base_url, token="xoxb-test")


@pytest.fixture
def signer(fake: FakeSlack) -> SlackSigner:
    return SlackSigner("http://127.0.0.1:9/slack/events", SECRET, fake=fake, now=lambda: NOW)


# --- the Web API --------------------------------------------------------------------------------------------


def test_a_posted_message_is_changed_in_place_by_chat_update(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0IT", text="Request #1", blocks=[section("*open*")])
    client.chat_update(channel="C0IT", ts=posted["ts"], text="Request #1", blocks=[section("*resolved*")])

    [message] = fake.messages("C0IT")
    assert message["ts"] == posted["ts"]
    assert message["blocks"][0]["text"]["text"] == "*resolved*"
    assert fake.message("C0IT", posted["ts"])["edited"]["user"] == "U0BOT"


def test_updating_a_message_never_posted_is_message_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_update(channel="C0IT", ts="1700000000.999999", text="gone")
    assert raised.value.response["error"] == "message_not_found"


def test_message_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C0IT", text=str(n))["ts"] for n in range(3)]
    assert stamps == sorted(set(stamps))
    assert stamps[0] == "1700000000.000100"


def test_posting_to_a_user_id_posts_to_their_dm(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0ALICE", text="hi")
    assert posted["channel"] == fake.dm_channel("U0ALICE") == "D0ALICE"
    assert client.conversations_open(users="U0ALICE")["channel"]["id"] == "D0ALICE"
    assert [m["text"] for m in fake.messages("D0ALICE")] == ["hi"]


def test_a_thread_reply_is_kept_apart_from_the_channel(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C0IT", text="card")["ts"]
    client.chat_postMessage(channel="C0IT", text="update", thread_ts=parent)
    assert [m["text"] for m in fake.messages("C0IT")] == ["card"]
    assert [m["text"] for m in fake.replies("C0IT", parent)] == ["update"]
    assert fake.message("C0IT", parent)["reply_count"] == 1


def test_a_message_of_51_blocks_is_invalid_blocks(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0IT", text="t", blocks=[{"type": "divider"}] * 51)
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["errors"] == ["must be less than 51 items [json-pointer:/blocks]"]


def test_a_section_over_3000_characters_is_invalid_blocks(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0IT", text="t", blocks=[section("x" * 3001)])
    assert raised.value.response["errors"] == ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]


def test_a_duplicated_block_id_is_invalid_blocks(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(
            channel="C0IT", text="t", blocks=[section("a", block_id="x"), section("b", block_id="x")]
        )
    assert raised.value.response["error"] == "invalid_blocks"


def test_a_message_without_text_or_blocks_is_no_text(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.postMessage", json={"channel": "C0IT"})
    assert raised.value.response["error"] == "no_text"


def test_form_encoded_json_fields_are_decoded(fake: FakeSlack, client: WebClient) -> None:
    client.api_call("chat.postMessage", params={"channel": "C0IT", "blocks": json.dumps([section("hi")])})
    [call] = fake.calls_to("chat.postMessage")
    assert call.args["blocks"] == [section("hi")]


def test_an_unknown_token_is_invalid_auth_and_none_is_not_authed(fake: FakeSlack) -> None:
    for token, error in (("xoxb-wrong", "invalid_auth"), (None, "not_authed")):
        with pytest.raises(SlackApiError) as raised:
            WebClient(base_url=fake.base_url, token=token).auth_test()
        assert raised.value.response["error"] == error


def test_auth_test_names_the_bot(client: WebClient) -> None:
    answer = client.auth_test()
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == ("T0TEST", "U0BOT", "B0BOT")


def test_users_info_answers_with_the_profile_set_by_the_test(fake: FakeSlack, client: WebClient) -> None:
    fake.set_user("U0ALICE", real_name="Alice Liddell", tz="America/New_York", email="alice@example.com")
    user = client.users_info(user="U0ALICE")["user"]
    assert (user["real_name"], user["tz"], user["profile"]["email"]) == (
        "Alice Liddell",
        "America/New_York",
        "alice@example.com",
    )
    assert client.users_info(user="U0BOB")["user"]["tz"] == "Europe/Berlin"


# --- views and trigger ids ----------------------------------------------------------------------------------


def test_views_open_echoes_the_view_with_an_id(fake: FakeSlack, client: WebClient) -> None:
    view = client.views_open(trigger_id=fake.new_trigger_id(), view=modal())["view"]
    assert view["id"].startswith("V")
    assert view["callback_id"] == "request_modal"
    assert fake.view(view["id"])["title"]["text"] == "New request"


def test_a_trigger_id_used_twice_is_expired(fake: FakeSlack, client: WebClient) -> None:
    trigger_id = fake.new_trigger_id()
    client.views_open(trigger_id=trigger_id, view=modal())
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=trigger_id, view=modal())
    assert raised.value.response["error"] == "expired_trigger_id"


def test_a_trigger_id_expires_after_three_seconds(fake: FakeSlack, client: WebClient, clock: Clock) -> None:
    trigger_id = fake.new_trigger_id()
    clock.now += 3.5
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=trigger_id, view=modal())
    assert raised.value.response["error"] == "expired_trigger_id"


def test_the_fake_tells_how_long_after_its_trigger_a_modal_was_opened(
    fake: FakeSlack, client: WebClient, clock: Clock
) -> None:
    trigger_id = fake.new_trigger_id()
    clock.now += 0.25
    client.views_open(trigger_id=trigger_id, view=modal())
    (opened,) = fake.calls_to("views.open")
    issued = fake.trigger_issued_at(trigger_id)
    assert issued is not None
    assert opened.at - issued == pytest.approx(0.25)


def test_a_modal_title_over_24_characters_is_invalid_arguments(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=fake.new_trigger_id(), view=modal(title="x" * 25))
    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


def test_views_publish_keeps_the_latest_home_per_user(fake: FakeSlack, client: WebClient) -> None:
    for text in ("first", "second"):
        client.views_publish(user_id="U0ALICE", view={"type": "home", "blocks": [section(text)]})
    assert fake.views_published["U0ALICE"]["blocks"][0]["text"]["text"] == "second"


# --- failure injection and waiting ---------------------------------------------------------------------------


def test_a_rate_limited_call_is_a_429_with_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="ratelimited", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0IT", text="hi")
    assert raised.value.response.status_code == 429
    assert raised.value.response.headers["Retry-After"] == "7"
    assert raised.value.response["error"] == "ratelimited"
    assert client.chat_postMessage(channel="C0IT", text="hi")["ok"]
    assert [call.failed for call in fake.calls_to("chat.postMessage")] == [True, False]


def test_with_a_post_pace_each_conversation_gets_a_burst_then_about_one_post_a_second(clock: Clock) -> None:
    with FakeSlack(now=clock, post_pace=Pace(per_second=1.0, burst=2)) as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test", retry_handlers=[])

        def post(channel: str, **extra: Any) -> int | str:
            try:
                client.chat_postMessage(channel=channel, text="hi", **extra)
            except SlackApiError as refused:
                answer = refused.response
                return f"{answer.status_code} {answer['error']} after {answer.headers['Retry-After']}"
            return 200

        limited = "429 ratelimited after 1"
        first = client.chat_postMessage(channel="C0IT", text="the card")["ts"]
        assert [post("C0IT", thread_ts=first), post("C0IT")] == [200, limited]  # a thread is the channel's
        assert [post("C0HR"), post("U0ALICE"), post("D0ALICE"), post("U0BOB")] == [200, 200, 200, 200]
        assert post("U0ALICE") == limited  # a user id and their DM are one conversation
        clock.now += 0.5
        assert post("C0IT") == limited
        clock.now += 0.5
        assert [post("C0IT"), post("C0IT")] == [200, limited]
        clock.now += 10  # the burst comes back, no more
        assert [post("C0IT"), post("C0IT"), post("C0IT")] == [200, 200, limited]
        assert client.chat_update(channel="C0IT", ts=first, text="updated")["ok"]  # only posts are paced
        assert len(fake.messages("C0IT")) == 4
        assert [c.status for c in fake.calls_to("chat.postMessage")].count(429) == 5


def test_without_a_post_pace_posts_are_never_rate_limited(fake: FakeSlack, client: WebClient) -> None:
    for _ in range(20):
        client.chat_postMessage(channel="C0IT", text="hi")
    assert not any(call.failed for call in fake.calls_to("chat.postMessage"))


def test_an_injected_error_is_a_200_with_ok_false(fake: FakeSlack, client: WebClient) -> None:
    fake.fail_next("chat.postMessage", error="channel_not_found", status=200)
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="C0IT", text="hi")
    assert raised.value.response.status_code == 200
    assert raised.value.response["error"] == "channel_not_found"


def test_wait_for_returns_calls_made_from_another_thread(fake: FakeSlack, client: WebClient) -> None:
    worker = threading.Thread(target=client.chat_postMessage, kwargs={"channel": "C0IT", "text": "later"})
    worker.start()
    [call] = fake.wait_for("chat.postMessage")
    worker.join()
    assert call.args["text"] == "later"


def test_wait_for_times_out_naming_the_calls_it_saw(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    with pytest.raises(AssertionError, match=r"recorded: \['auth.test'\]"):
        fake.wait_for("views.open", timeout=0.05)


def test_an_unknown_method_is_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.api_call("chat.sendCarrierPigeon")
    assert raised.value.response["error"] == "unknown_method"


# --- signed requests to the app ------------------------------------------------------------------------------


def slack_headers(request_headers: dict[str, str], timestamp: str, signature: str) -> dict[str, str]:
    return {**request_headers, "X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def test_slack_sdk_accepts_the_signers_signature(signer: SlackSigner) -> None:
    request = signer.command("/request", "it laptop")
    timestamp = str(int(NOW))
    verifier = SignatureVerifier(SECRET, clock=_FixedClock())
    assert verifier.is_valid(request.body, timestamp, sign(SECRET, timestamp, request.body))


def test_slack_sdk_rejects_a_tampered_body(signer: SlackSigner) -> None:
    request = signer.command("/request", "it laptop")
    timestamp = str(int(NOW))
    signature = sign(SECRET, timestamp, request.body)
    verifier = SignatureVerifier(SECRET, clock=_FixedClock())
    assert not verifier.is_valid(request.body.replace("laptop", "desktop"), timestamp, signature)


class _FixedClock(VerifierClock):
    def now(self) -> float:
        return NOW


def test_a_command_carries_a_trigger_id_the_fake_accepts(
    fake: FakeSlack, signer: SlackSigner, client: WebClient
) -> None:
    request = signer.command("/request", "it laptop", user_id="U0ALICE")
    assert parse_qs(request.body)["trigger_id"] == [request.trigger_id]
    assert client.views_open(trigger_id=request.trigger_id, view=modal())["ok"]


def test_a_block_action_echoes_the_button_the_app_posted(
    fake: FakeSlack, signer: SlackSigner, client: WebClient
) -> None:
    blocks = [section("Request #1"), {"type": "actions", "block_id": "card", "elements": [button("ack", "1")]}]
    posted = client.chat_postMessage(channel="C0IT", text="Request #1", blocks=blocks)

    payload = signer.block_action("ack", "1", channel_id="C0IT", message_ts=posted["ts"]).payload

    assert payload["actions"][0] | {"action_ts": None} == {
        "type": "button", "action_id": "ack", "block_id": "card", "value": "1",
        "text": {"type": "plain_text", "text": "Go"}, "action_ts": None,
    }  # fmt: skip
    assert payload["container"] == {
        "type": "message",
        "message_ts": posted["ts"],
        "channel_id": "C0IT",
        "is_ephemeral": False,
    }
    assert payload["message"]["blocks"][1]["block_id"] == "card"


def test_a_block_action_on_a_button_the_app_never_showed_is_refused(signer: SlackSigner, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C0IT", text="Request #1", blocks=[section("no buttons")])
    with pytest.raises(ValueError, match="no element 'ack'"):
        signer.block_action("ack", channel_id="C0IT", message_ts=posted["ts"])


def test_a_view_submission_reports_every_input_of_the_opened_view(
    fake: FakeSlack, signer: SlackSigner, client: WebClient
) -> None:
    priority = {
        "type": "static_select",
        "action_id": "priority",
        "options": [{"text": {"type": "plain_text", "text": "High"}, "value": "high"}],
    }
    inputs = [
        input_block("description", {"type": "plain_text_input", "action_id": "description"}),
        input_block("priority", priority),
        input_block("needed_by", {"type": "datepicker", "action_id": "needed_by"}, optional=True),
    ]
    submit = {"type": "plain_text", "text": "Send"}
    view = client.views_open(trigger_id=fake.new_trigger_id(), view=modal(blocks=inputs, submit=submit))["view"]

    values = {"description": {"description": plain_value("Laptop")}, "priority": {"priority": static_select("high")}}
    state = signer.view_submission("request_modal", values, view_id=view["id"]).payload["view"]["state"]["values"]

    assert state == {
        "description": {"description": plain_value("Laptop")},
        "priority": {"priority": {"type": "static_select", "selected_option": priority["options"][0]}},
        "needed_by": {"needed_by": datepicker(None)},
    }


# --- against a real Bolt app ----------------------------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def bolt_url(fake: FakeSlack) -> Iterator[str]:
    """A minimal Bolt app over HTTP that verifies signatures and answers /request with "got it"."""
    app = App(signing_secret=SECRET, client=WebClient(base_url=fake.base_url, token="xoxb-test"))

    @app.command("/request")
    def on_request(ack: Ack) -> None:
        ack("got it")

    server = make_server("127.0.0.1", 0, SlackRequestHandler(app), WSGIServer, _QuietHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/slack/events"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_bolt_accepts_a_signed_command(fake: FakeSlack, bolt_url: str) -> None:
    response = SlackSigner(bolt_url, SECRET, fake=fake).command("/request").send()
    assert (response.status, response.body) == (200, "got it")


@pytest.mark.parametrize(
    "send",
    [SlackSigner.send_unsigned, SlackSigner.send_with_wrong_signature, SlackSigner.send_stale],
    ids=["unsigned", "wrong signature", "over five minutes old"],
)
def test_bolt_refuses_a_badly_signed_command(fake: FakeSlack, bolt_url: str, send: Any) -> None:
    signer = SlackSigner(bolt_url, SECRET, fake=fake)
    assert send(signer, signer.command("/request")).status == 401
