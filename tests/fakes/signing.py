"""Requests to the app, shaped and signed exactly as Slack sends them.

``SlackSigner`` builds slash commands, block actions, view submissions and events (``SlackRequest``) and
sends them over HTTP with Slack's signature headers.  Given the ``FakeSlack``, it takes trigger ids and
response URLs from it, and builds actions and submissions from the messages and views the app really
posted, refusing to click a button or fill an input the app never showed.
"""

import contextlib
import copy
import hashlib
import hmac
import http.client
import itertools
import json
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode, urlsplit

from tests.fakes.slack_api import APP_ID, BOT_ID, BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, FakeSlack

Json = dict[str, Any]

DEFAULT_USER = "U0ALICE"
DEFAULT_CHANNEL = "C0GENERAL"
VERIFICATION_TOKEN = "legacy-verification-token"  # deprecated by Slack but still sent in every payload
MAX_AGE = 5 * 60  # seconds: older requests are replays to a Slack app
USER_AGENT = "Slackbot 1.0 (+https://api.slack.com/robots)"


def sign(signing_secret: str, timestamp: str, body: str | bytes) -> str:
    """Slack's request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    raw = body.encode() if isinstance(body, str) else body
    digest = hmac.new(signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + raw, hashlib.sha256)
    return f"v0={digest.hexdigest()}"


@dataclass(frozen=True)
class AppResponse:
    """What the app answered; header names are lower-case."""

    status: int
    headers: dict[str, str]
    body: str
    request: "SlackRequest | None" = None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class SlackRequest:
    """A request as Slack would send it, not yet signed; ``payload`` is its decoded content."""

    body: str
    content_type: str
    payload: Json
    headers: dict[str, str] = field(default_factory=dict)
    trigger_id: str | None = None
    signer: "SlackSigner | None" = field(default=None, repr=False, compare=False)

    def send(self, *, signed: bool = True, signature: str | None = None, timestamp: str | None = None) -> AppResponse:
        if self.signer is None:
            raise RuntimeError("this request has no signer to send it")
        return self.signer.send(self, signed=signed, signature=signature, timestamp=timestamp)


class SlackSigner:
    """Builds Slack's requests to the app at ``url`` and sends them signed with ``signing_secret``."""

    def __init__(
        self,
        url: str,
        signing_secret: str,
        *,
        fake: FakeSlack | None = None,
        now: Callable[[], float] = time.time,
        timeout: float = 10.0,
    ) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.fake = fake
        self._now = now
        self.timeout = timeout
        self._ids = itertools.count(1)

    # --- building ------------------------------------------------------------------------------------------

    def command(
        self,
        command: str = "/request",
        text: str = "",
        *,
        user_id: str = DEFAULT_USER,
        channel_id: str = DEFAULT_CHANNEL,
        trigger_id: str | None = None,
        team_id: str = TEAM_ID,
    ) -> SlackRequest:
        """A slash command, form-encoded as Slack posts it."""
        trigger_id = self._trigger_id(user_id, trigger_id)
        fields = {
            "token": VERIFICATION_TOKEN,
            "team_id": team_id,
            "team_domain": TEAM_DOMAIN,
            "channel_id": channel_id,
            "channel_name": _channel_name(channel_id),
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self._response_url(),
            "trigger_id": trigger_id,
        }
        return self._form(urlencode(fields), fields, trigger_id)

    def block_action(
        self,
        action_id: str,
        value: str | None = None,
        *,
        user_id: str = DEFAULT_USER,
        channel_id: str | None = DEFAULT_CHANNEL,
        message_ts: str | None = None,
        message: Json | None = None,
        trigger_id: str | None = None,
        block_id: str | None = None,
        selected_option: str | Json | None = None,
        view: Json | str | None = None,
        values: Mapping[Any, Mapping[Any, Json]] | None = None,
    ) -> SlackRequest:
        """A click or selection on an element of a message (``message_ts``/``message``) or a view (``view``).

        The element is looked up by ``action_id`` (and ``block_id``, or a button's ``value``) in the blocks the
        app posted (``message``, or the fake's copy of ``message_ts``), so the action echoes it like Slack's;
        ValueError if the blocks have no such element. In a view, the state holds every input (``values`` as
        filled in so far, the rest as shown) and, as in Slack, the choice the action reports.
        """
        trigger_id = self._trigger_id(user_id, trigger_id)
        if view is not None:
            shown = self._view(view)
            blocks = shown.get("blocks") or []
            action = _action(blocks, action_id, value, block_id, selected_option)
            chosen = {key: action[key] for key in ("selected_option",) if key in action}
            if chosen and any(b.get("block_id") == action["block_id"] for b in blocks if b.get("type") == "input"):
                chosen_values = {action["block_id"]: {action_id: {"type": action["type"], **chosen}}}
                values = {**(values or {}), **chosen_values}
            shown["state"] = {"values": state_values(blocks, values or {})}
            surface: Json = {"view": shown}
            container: Json = {"type": "view", "view_id": shown["id"]}
        else:
            if channel_id is None:
                raise ValueError("an action on a message needs the message's channel_id")
            shown = self._message(channel_id, message_ts, message)
            channel = {"id": channel_id, "name": _channel_name(channel_id)}
            surface = {"channel": channel, "message": shown, "response_url": self._response_url()}
            container = {"type": "message", "message_ts": shown["ts"], "channel_id": channel_id, "is_ephemeral": False}
        action = _action(shown.get("blocks") or [], action_id, value, block_id, selected_option)
        payload = {
            "type": "block_actions",
            "user": _user(user_id),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "container": container,
            "trigger_id": trigger_id,
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "enterprise": None,
            "is_enterprise_install": False,
            "state": {"values": {}},
            **surface,
            "actions": [{**action, "action_ts": self._event_ts()}],
        }
        return self._interaction(payload, trigger_id)

    def view_submission(
        self,
        callback_id: str,
        values: Mapping[Any, Mapping[Any, Json]] | None = None,
        *,
        user_id: str = DEFAULT_USER,
        private_metadata: str | None = None,
        view_id: str | None = None,
        trigger_id: str | None = None,
    ) -> SlackRequest:
        """A modal's submission; ``values`` is ``{block_id: {action_id: state value}}``.

        With ``view_id`` of a view the app opened on the fake, the payload carries that view, and its
        state holds every input (untouched ones with their initial value) as Slack's does; ValueError if
        ``values`` names an input the view does not have or the callback_id is not the view's.
        """
        trigger_id = self._trigger_id(user_id, trigger_id)
        view = self._view(view_id) if view_id is not None else self._blank_modal(callback_id)
        if view["callback_id"] != callback_id:
            raise ValueError(f"view {view['id']} has callback_id {view['callback_id']!r}, not {callback_id!r}")
        view["state"] = {"values": state_values(view["blocks"], values or {})}
        if private_metadata is not None:
            view["private_metadata"] = private_metadata
        payload: Json = {
            "type": "view_submission",
            "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
            "user": _user(user_id),
            "api_app_id": APP_ID,
            "token": VERIFICATION_TOKEN,
            "trigger_id": trigger_id,
            "view": view,
            "response_urls": [],
            "enterprise": None,
            "is_enterprise_install": False,
        }
        return self._interaction(payload, trigger_id)

    def message_shortcut(
        self,
        callback_id: str,
        message: Json,
        *,
        user_id: str = DEFAULT_USER,
        channel_id: str = DEFAULT_CHANNEL,
        team_domain: str | None = TEAM_DOMAIN,
    ) -> SlackRequest:
        """A message shortcut used on ``message`` (as the fake stores it), shaped as Slack's ``message_action``."""
        trigger_id = self._trigger_id(user_id, None)
        team: Json = {"id": TEAM_ID, "domain": team_domain} if team_domain is not None else {"id": TEAM_ID}
        payload = {
            "type": "message_action",
            "token": VERIFICATION_TOKEN,
            "action_ts": self._event_ts(),
            "team": team,
            "user": _user(user_id),
            "channel": {"id": channel_id, "name": _channel_name(channel_id)},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": trigger_id,
            "response_url": self._response_url(),
            "message_ts": message["ts"],
            "message": message,
        }
        return self._interaction(payload, trigger_id)

    def reaction_added(self, emoji: str, channel_id: str, ts: str, *, user_id: str = DEFAULT_USER) -> SlackRequest:
        """Someone reacted to the message at ``ts`` (``item_user`` is its author, when the fake has it)."""
        event: Json = {
            "type": "reaction_added",
            "user": user_id,
            "reaction": emoji,
            "item": {"type": "message", "channel": channel_id, "ts": ts},
        }
        if self.fake is not None:
            with contextlib.suppress(KeyError):
                event["item_user"] = self.fake.message(channel_id, ts).get("user")
        return self.event(event)

    def event(
        self,
        event: Json,
        *,
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> SlackRequest:
        """An Events API delivery; ``retry_num`` marks it as Slack's redelivery of ``event_id``."""
        event_time = int(self._now())
        body = {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "event": {"event_ts": self._event_ts(), **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):08d}{secrets.token_hex(3).upper()}",
            "event_time": event_time,
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM_ID,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": retry_reason}
        return self._json(body, headers)

    def app_home_opened(self, user_id: str = DEFAULT_USER, tab: str = "home") -> SlackRequest:
        channel = self.fake.dm_channel(user_id) if self.fake else "D" + user_id[1:]
        return self.event({"type": "app_home_opened", "user": user_id, "channel": channel, "tab": tab})

    def url_verification(self, challenge: str) -> SlackRequest:
        return self._json({"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"})

    # --- sending -------------------------------------------------------------------------------------------

    def send(
        self,
        request: SlackRequest,
        *,
        signed: bool = True,
        signature: str | None = None,
        timestamp: str | None = None,
    ) -> AppResponse:
        """Send the request signed now (or at ``timestamp``, or with a given ``signature``)."""
        headers = {"Content-Type": request.content_type, **request.headers}
        if signed:
            timestamp = timestamp or str(int(self._now()))
            headers["X-Slack-Request-Timestamp"] = timestamp
            headers["X-Slack-Signature"] = signature or sign(self.signing_secret, timestamp, request.body)
        return replace(self.send_raw(request.body, headers), request=request)

    def send_unsigned(self, request: SlackRequest) -> AppResponse:
        return self.send(request, signed=False)

    def send_with_wrong_signature(self, request: SlackRequest) -> AppResponse:
        timestamp = str(int(self._now()))
        return self.send(request, timestamp=timestamp, signature=sign("not-the-secret", timestamp, request.body))

    def send_stale(self, request: SlackRequest, age: float = MAX_AGE + 60) -> AppResponse:
        """Correctly signed, but with a timestamp ``age`` seconds old, as a replayed request has."""
        return self.send(request, timestamp=str(int(self._now() - age)))

    def send_raw(self, body: str | bytes, headers: Mapping[str, str]) -> AppResponse:
        """POST exactly this body and these headers (plus Slack's User-Agent) to the app."""
        url = urlsplit(self.url)
        raw = body.encode() if isinstance(body, str) else body
        connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=self.timeout)
        try:
            connection.request("POST", url.path or "/", body=raw, headers={"User-Agent": USER_AGENT, **headers})
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            answer_headers = {key.lower(): value for key, value in response.getheaders()}
            return AppResponse(response.status, answer_headers, text)
        finally:
            connection.close()

    # --- helpers -------------------------------------------------------------------------------------------

    def _form(self, body: str, payload: Json, trigger_id: str | None) -> SlackRequest:
        return SlackRequest(body, "application/x-www-form-urlencoded", payload, trigger_id=trigger_id, signer=self)

    def _interaction(self, payload: Json, trigger_id: str) -> SlackRequest:
        return self._form(urlencode({"payload": json.dumps(payload)}), payload, trigger_id)

    def _json(self, body: Json, headers: dict[str, str] | None = None) -> SlackRequest:
        return SlackRequest(json.dumps(body), "application/json", body, headers=headers or {}, signer=self)

    def _trigger_id(self, user_id: str, trigger_id: str | None) -> str:
        if trigger_id is not None:
            return trigger_id
        if self.fake is not None:
            return self.fake.new_trigger_id(user_id)
        return f"{next(self._ids)}.{int(self._now())}.{secrets.token_hex(16)}"

    def _response_url(self) -> str:
        if self.fake is not None:
            return self.fake.response_url()
        return f"https://hooks.slack.com/actions/{TEAM_ID}/{next(self._ids)}/{secrets.token_hex(12)}"

    def _event_ts(self) -> str:
        return f"{self._now():.6f}"

    def _message(self, channel_id: str, message_ts: str | None, message: Json | None) -> Json:
        if message is not None:
            return {**message, "ts": message_ts or message["ts"]}
        if message_ts is None:
            raise ValueError("an action on a message needs message_ts or message")
        if self.fake is None:
            return {"type": "message", "ts": message_ts, "text": "", "blocks": []}
        return self.fake.message(channel_id, message_ts)

    def _view(self, view: Json | str) -> Json:
        if isinstance(view, dict):
            return copy.deepcopy(view)
        if self.fake is None:
            raise ValueError("a view given by id needs the FakeSlack that opened it")
        return self.fake.view(view)

    def _blank_modal(self, callback_id: str) -> Json:
        view_id = f"V{next(self._ids):010d}"
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "blocks": [],
            "private_metadata": "",
            "callback_id": callback_id,
            "state": {"values": {}},
            "hash": f"{int(self._now())}.{secrets.token_hex(4)}",
            "title": {"type": "plain_text", "text": "Modal"},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "bot_id": BOT_ID,
        }


# --- payload pieces ----------------------------------------------------------------------------------------


def _user(user_id: str) -> Json:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else channel_id.lower()


def _elements(blocks: list[Json]) -> Iterator[tuple[str, Json]]:
    """Every interactive element in the blocks, with its block's id."""
    for block in blocks:
        block_id = str(block.get("block_id", ""))
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in candidates:
            if isinstance(element, dict) and "action_id" in element:
                yield block_id, element


def _action(
    blocks: list[Json], action_id: str, value: str | None, block_id: str | None, selected: str | Json | None
) -> Json:
    """The ``actions[0]`` Slack sends: the element the user used, echoed, with what was chosen."""
    found = [(b, e) for b, e in _elements(blocks) if e["action_id"] == action_id and block_id in (None, b)]
    if value is not None and any(e.get("type") == "button" for _, e in found):
        found = [(b, e) for b, e in found if e.get("value") == value]
    if blocks and not found:
        where = f" in block {block_id!r}" if block_id else ""
        with_value = f" with value {value!r}" if value is not None else ""
        raise ValueError(f"the blocks have no element {action_id!r}{where}{with_value}: a user could not use it")
    if found:
        block_id, element = found[0]
    else:
        element = {"type": "static_select" if selected is not None else "button", "action_id": action_id}
    action: Json = {"type": element["type"], "action_id": action_id, "block_id": block_id or "fakeblk"}
    if element["type"] == "button":
        action["text"] = element.get("text", {"type": "plain_text", "text": action_id})
        action["value"] = element.get("value", value)
        if "style" in element:
            action["style"] = element["style"]
    elif selected is not None:
        action["selected_option"] = _option(element, selected)
    else:
        state_key, _ = _STATE_KEYS.get(element["type"], ("value", "initial_value"))
        action[state_key] = value
    return action


def _option(element: Json, selected: str | Json) -> Json:
    """The option object Slack sends for a chosen value: the element's own, if it lists its options."""
    value = selected if isinstance(selected, str) else selected.get("value")
    options: list[Json] = [*element.get("options", [])]
    options += [option for group in element.get("option_groups", []) for option in group.get("options", [])]
    if not options:
        return _as_option(value) if isinstance(selected, str) else selected
    match = next((option for option in options if option.get("value") == value), None)
    if match is None:
        offered = [option.get("value") for option in options]
        raise ValueError(f"{element.get('action_id')!r} offers no option {value!r}; it offers {offered}")
    return match


def _as_option(value: str | None) -> Json:
    return {"text": {"type": "plain_text", "text": value or "", "emoji": True}, "value": value}


# --- view state ----------------------------------------------------------------------------------------------

# element type -> (key of the chosen value in view state, key of its initial value in the element)
_STATE_KEYS: dict[str, tuple[str, str]] = {
    "plain_text_input": ("value", "initial_value"),
    "email_text_input": ("value", "initial_value"),
    "url_text_input": ("value", "initial_value"),
    "number_input": ("value", "initial_value"),
    "rich_text_input": ("rich_text_value", "initial_value"),
    "static_select": ("selected_option", "initial_option"),
    "external_select": ("selected_option", "initial_option"),
    "radio_buttons": ("selected_option", "initial_option"),
    "multi_static_select": ("selected_options", "initial_options"),
    "multi_external_select": ("selected_options", "initial_options"),
    "checkboxes": ("selected_options", "initial_options"),
    "users_select": ("selected_user", "initial_user"),
    "multi_users_select": ("selected_users", "initial_users"),
    "conversations_select": ("selected_conversation", "initial_conversation"),
    "multi_conversations_select": ("selected_conversations", "initial_conversations"),
    "channels_select": ("selected_channel", "initial_channel"),
    "multi_channels_select": ("selected_channels", "initial_channels"),
    "datepicker": ("selected_date", "initial_date"),
    "timepicker": ("selected_time", "initial_time"),
    "datetimepicker": ("selected_date_time", "initial_date_time"),
}
_MANY = frozenset({"selected_options", "selected_users", "selected_conversations", "selected_channels"})


def initial_state(element: Json) -> Json:
    """An untouched input's state as Slack reports it: its initial value, or null / []."""
    kind = str(element.get("type"))
    state_key, initial_key = _STATE_KEYS.get(kind, ("value", "initial_value"))
    empty: Any = [] if state_key in _MANY else None
    return {"type": kind, state_key: element.get(initial_key, empty)}


def state_values(blocks: list[Json], values: Mapping[Any, Mapping[Any, Json]]) -> Json:
    """``view.state.values`` for a submission: every input of ``blocks``, overlaid with ``values``.

    Without input blocks (a view the fake never saw) ``values`` is taken as it is.
    """
    inputs = {str(b.get("block_id")): b["element"] for b in blocks if b.get("type") == "input" and "element" in b}
    if not inputs:
        return {block_id: dict(actions) for block_id, actions in values.items()}
    state = {block_id: {element["action_id"]: initial_state(element)} for block_id, element in inputs.items()}
    for block_id, actions in values.items():
        for action_id, value in actions.items():
            element = inputs.get(block_id)
            if element is None or element.get("action_id") != action_id:
                raise ValueError(f"the view has no input {block_id}/{action_id}; it has {_describe(inputs)}")
            if value.get("type") != element.get("type"):
                raise ValueError(f"input {block_id}/{action_id} is a {element.get('type')}, not {value.get('type')}")
            state[block_id][action_id] = _with_element_options(element, value)
    return state


def _describe(inputs: Mapping[str, Json]) -> list[str]:
    return [f"{block_id}/{element.get('action_id')}" for block_id, element in inputs.items()]


def _with_element_options(element: Json, value: Json) -> Json:
    """Chosen options as the element defines them (text and all), as Slack reports them."""
    result = dict(value)
    if isinstance(value.get("selected_option"), dict):
        result["selected_option"] = _option(element, value["selected_option"])
    if isinstance(value.get("selected_options"), list):
        result["selected_options"] = [_option(element, option) for option in value["selected_options"]]
    return result


# --- state value builders, for view_submission(values=...) --------------------------------------------------


def plain_value(text: str | None) -> Json:
    return {"type": "plain_text_input", "value": text}


def static_select(value: str | None, text: str | None = None) -> Json:
    option = None if value is None else {**_as_option(text or value), "value": value}
    return {"type": "static_select", "selected_option": option}


def radio_buttons(value: str | None) -> Json:
    return {"type": "radio_buttons", "selected_option": None if value is None else _as_option(value)}


def checkboxes(values: list[str]) -> Json:
    return {"type": "checkboxes", "selected_options": [_as_option(value) for value in values]}


def datepicker(date: str | None) -> Json:
    return {"type": "datepicker", "selected_date": date}


def timepicker(time_of_day: str | None) -> Json:
    return {"type": "timepicker", "selected_time": time_of_day}


def users_select(user_id: str | None) -> Json:
    return {"type": "users_select", "selected_user": user_id}


def multi_users_select(user_ids: list[str]) -> Json:
    return {"type": "multi_users_select", "selected_users": user_ids}


def conversations_select(conversation_id: str | None) -> Json:
    return {"type": "conversations_select", "selected_conversation": conversation_id}
