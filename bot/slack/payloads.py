"""Reading what Slack sends, without trusting its shape: every reader returns a value or ``Malformed``.

Slack signs what it sends, but a signed payload can still be odd (a client bug, a replayed or crafted
request from someone holding the signing secret's output), and the listeners read ids out of it that lead to
rows in the database and to people in Slack. So nothing is indexed blindly: a reader checks the type and
the shape of what it reads (a user id looks like one, a number is a positive integer the database can hold)
and says what was wrong otherwise. No KeyError, ValueError or TypeError leaves this module.

``Malformed.reason`` names the part that was wrong, never its value: it goes to the log, and values carry
user text.
"""

import json
import re
from dataclasses import dataclass
from typing import Any, TypeGuard

from bot.slack.forms import StateValues

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
"""A Slack user id: what ``<@…>`` may wrap. Anything else is shown as text, never as a mention."""
_DIGITS = re.compile(r"^[0-9]{1,10}$")
_TS = re.compile(r"^[0-9]{1,12}\.[0-9]{1,9}$")
_VIEW_ID = re.compile(r"^V[A-Z0-9]{2,62}$")
_ID_LIKE = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
MAX_NUMBER = 2**31 - 1  # every id Inhouse hands out (a request's number, a retro's) is a positive 32-bit integer


@dataclass(frozen=True)
class Malformed:
    """What could not be read, for the log: a part of the payload, never what it held."""

    reason: str


@dataclass(frozen=True)
class Click:
    """A click on a button or a choice in a select, with what the listeners read from it."""

    user: str
    action_id: str
    value: str | None
    action_ts: str | None
    trigger_id: str | None
    channel: str | None
    message_ts: str | None


@dataclass(frozen=True)
class Submission:
    """A modal's submission: who, which view, its state and its metadata (a string, maybe empty)."""

    user: str
    view_id: str
    values: StateValues
    private_metadata: str


def is_user_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and USER_ID.fullmatch(value) is not None


def _dict(value: object) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def user_of(body: dict[str, Any]) -> str | Malformed:
    """``body.user.id`` of an interaction (``user_id`` of a command), if it is a user id."""
    user = _dict(body.get("user"))
    found = user.get("id") if user is not None else body.get("user_id")
    return found if is_user_id(found) else Malformed("the user is missing or is not a user id")


def number(value: object) -> int | Malformed:
    """``"42"`` -> 42: a positive integer the database can hold, written in digits and nothing else."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return Malformed("a number is missing or is not one")
    parsed = int(value)
    if not 0 < parsed <= MAX_NUMBER:
        return Malformed("a number is out of range")
    return parsed


def click(body: dict[str, Any]) -> Click | Malformed:
    """The first action of a ``block_actions`` payload and who clicked it."""
    user = user_of(body)
    if isinstance(user, Malformed):
        return user
    actions = body.get("actions")
    action = _dict(actions[0]) if isinstance(actions, list) and actions else None
    if action is None or _str(action.get("action_id")) is None:
        return Malformed("the action is missing")
    value = action.get("value")
    if value is not None and not isinstance(value, str):
        return Malformed("the action's value is not text")
    channel = _dict(body.get("channel")) or {}
    message = _dict(body.get("message")) or {}
    return Click(
        user=user,
        action_id=action["action_id"],
        value=value,
        action_ts=_str(action.get("action_ts")),
        trigger_id=_str(body.get("trigger_id")),
        channel=_str(channel.get("id")),
        message_ts=_str(message.get("ts")),
    )


def clicked_number(body: dict[str, Any]) -> tuple[Click, int] | Malformed:
    """A click on a button whose value is the number of what it is about (a request, a retro, an item)."""
    read = click(body)
    if isinstance(read, Malformed):
        return read
    value = number(read.value)
    return value if isinstance(value, Malformed) else (read, value)


def selected_value(body: dict[str, Any]) -> tuple[Click, str] | Malformed:
    """A choice in a select: the chosen option's value."""
    read = click(body)
    if isinstance(read, Malformed):
        return read
    actions = body["actions"]  # click() checked it is a list whose first item is a dict
    option = _dict(actions[0].get("selected_option"))
    value = _str(option.get("value")) if option is not None else None
    return (read, value) if value else Malformed("the selected option is missing")


@dataclass(frozen=True)
class ViewChoice:
    """A choice made inside an open modal (a select with ``dispatch_action``): who, in which view, and its state."""

    user: str
    action_id: str
    callback_id: str
    view_id: str
    view_hash: str
    values: StateValues
    private_metadata: str


def view_choice(body: dict[str, Any]) -> ViewChoice | Malformed:
    """A ``block_actions`` payload from a modal: the view it came from, with the state of its inputs."""
    read = click(body)
    if isinstance(read, Malformed):
        return read
    view = _dict(body.get("view"))
    if view is None:
        return Malformed("the view is missing")
    as_submission = submission(body, view)
    if isinstance(as_submission, Malformed):
        return as_submission
    callback_id, view_hash = _str(view.get("callback_id")), _str(view.get("hash"))
    if callback_id is None or view_hash is None:
        return Malformed("the view's callback_id or hash is missing")
    return ViewChoice(
        user=read.user,
        action_id=read.action_id,
        callback_id=callback_id,
        view_id=as_submission.view_id,
        view_hash=view_hash,
        values=as_submission.values,
        private_metadata=as_submission.private_metadata,
    )


@dataclass(frozen=True)
class MessageShortcut:
    """A message shortcut: who used it, on which message (as Slack shows it), and the workspace's domain."""

    user: str
    callback_id: str
    trigger_id: str
    channel: str
    message: dict[str, Any]
    team_domain: str


def message_shortcut(body: dict[str, Any]) -> MessageShortcut | Malformed:
    user = user_of(body)
    if isinstance(user, Malformed):
        return user
    trigger_id, callback_id = _str(body.get("trigger_id")), _str(body.get("callback_id"))
    if trigger_id is None or callback_id is None:
        return Malformed("the trigger or the callback_id is missing")
    channel = (_dict(body.get("channel")) or {}).get("id")
    if not isinstance(channel, str) or _ID_LIKE.fullmatch(channel) is None:
        return Malformed("the message's channel is missing")
    message = _dict(body.get("message"))
    if message is None or not isinstance(message.get("ts"), str) or _TS.fullmatch(message["ts"]) is None:
        return Malformed("the message or its ts is missing")
    domain = (_dict(body.get("team")) or {}).get("domain")
    return MessageShortcut(user, callback_id, trigger_id, channel, message, domain if isinstance(domain, str) else "")


@dataclass(frozen=True)
class Reaction:
    """Someone reacted with ``emoji`` to the message at ``ts`` in ``channel``."""

    user: str
    emoji: str
    channel: str
    ts: str


def reaction(event: dict[str, Any]) -> Reaction | None:
    """A ``reaction_added`` event on a message; None for one on a file, or one that cannot be read."""
    item = _dict(event.get("item")) or {}
    user, emoji = event_user(event), _str(event.get("reaction"))
    channel, ts = item.get("channel"), item.get("ts")
    if item.get("type") != "message" or user is None or emoji is None:
        return None
    if not isinstance(channel, str) or _ID_LIKE.fullmatch(channel) is None:
        return None
    if not isinstance(ts, str) or _TS.fullmatch(ts) is None:
        return None
    return Reaction(user, emoji, channel, ts)


def message_at(read: Click) -> tuple[str, str] | Malformed:
    """Where the clicked message is: (channel, ts)."""
    if read.channel is None or _ID_LIKE.fullmatch(read.channel) is None:
        return Malformed("the clicked message's channel is missing")
    if read.message_ts is None or _TS.fullmatch(read.message_ts) is None:
        return Malformed("the clicked message's ts is missing")
    return read.channel, read.message_ts


def submission(body: dict[str, Any], view: object) -> Submission | Malformed:
    """A ``view_submission``: who, the view's id, its state's values and its private_metadata."""
    user = user_of(body)
    if isinstance(user, Malformed):
        return user
    shown = _dict(view)
    if shown is None:
        return Malformed("the view is missing")
    view_id = _str(shown.get("id"))
    if view_id is None or _VIEW_ID.fullmatch(view_id) is None:
        return Malformed("the view's id is missing")
    state = _dict(shown.get("state"))
    values = _dict(state.get("values")) if state is not None else None
    if values is None:
        return Malformed("the view's state is missing")
    metadata = shown.get("private_metadata", "")
    if not isinstance(metadata, str):
        return Malformed("the view's private_metadata is not text")
    return Submission(user=user, view_id=view_id, values=values, private_metadata=metadata)


def metadata_number(read: Submission) -> int | Malformed:
    """The number a modal about one thing carries in its private_metadata (a request's, for one)."""
    return number(read.private_metadata)


def metadata_object(read: Submission) -> dict[str, Any] | Malformed:
    """The JSON object a modal carries in its private_metadata."""
    try:
        parsed = json.loads(read.private_metadata)
    except (ValueError, RecursionError):
        return Malformed("the view's private_metadata is not JSON")
    return parsed if isinstance(parsed, dict) else Malformed("the view's private_metadata is not an object")


def metadata_field_number(read: Submission, field: str) -> int | Malformed:
    """``{"retro": 12, …}`` -> 12 for ``field="retro"``."""
    parsed = metadata_object(read)
    if isinstance(parsed, Malformed):
        return parsed
    value = parsed.get(field)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return Malformed(f"the view's private_metadata has no {field}")
    return number(str(value))


def metadata_field_text(read: Submission, field: str) -> str | Malformed:
    """``{"kind": "went_well", …}`` -> "went_well" for ``field="kind"``: a short id, not free text."""
    parsed = metadata_object(read)
    if isinstance(parsed, Malformed):
        return parsed
    value = parsed.get(field)
    if not isinstance(value, str) or _ID_LIKE.fullmatch(value) is None:
        return Malformed(f"the view's private_metadata has no {field}")
    return value


def event_user(event: dict[str, Any]) -> str | None:
    """An event's ``user``, if it is a user id (a bot's events and odd ones have none)."""
    user = event.get("user")
    return user if is_user_id(user) else None


def event_text(event: dict[str, Any], field: str) -> str | None:
    """A short id-like field of an event (a channel, a ts), if it is one."""
    value = event.get(field)
    return value if isinstance(value, str) and _ID_LIKE.fullmatch(value) else None


def envelope_problem(body: object) -> Malformed | None:
    """What is wrong with the parts of a payload Bolt itself reads to route it, if anything.

    Bolt indexes ``actions[0].action_id``, ``view.callback_id``, ``event.type`` and a few others without
    checking them; a payload where they have the wrong type would fail inside Bolt, before any listener.
    """
    if not isinstance(body, dict):
        return Malformed("the payload is not an object")
    if "type" in body and not isinstance(body["type"], str):
        return Malformed("the payload's type is not text")
    for field in ("user", "channel", "team", "enterprise", "message", "container"):
        if body.get(field) is not None and not isinstance(body[field], dict | str):
            return Malformed(f"{field} is neither an object nor text")
    kind = body.get("type")
    if kind == "block_actions" and "actions" in body:
        actions = body["actions"]
        if not isinstance(actions, list) or not actions:
            return Malformed("actions is empty or not a list")
        if not all(isinstance(action, dict) and isinstance(action.get("action_id"), str) for action in actions):
            return Malformed("an action has no action_id")
    if kind in ("view_submission", "view_closed") and "view" in body:
        view = body["view"]
        if not isinstance(view, dict) or not isinstance(view.get("callback_id"), str):
            return Malformed("the view has no callback_id")
        if not isinstance(view.get("type", ""), str):
            return Malformed("the view's type is not text")
    if "event" in body:
        event = body["event"]
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return Malformed("the event has no type")
        for field in ("user", "channel", "item", "message", "previous_message", "assistant_thread"):
            if event.get(field) is not None and not isinstance(event[field], dict | str):
                return Malformed(f"the event's {field} is neither an object nor text")
    for field in ("authorizations", "response_urls"):
        if field in body:
            items = body[field]
            if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
                return Malformed(f"{field} is not a list of objects")
    if "command" in body and not isinstance(body["command"], str):
        return Malformed("the command is not text")
    return None
