"""A local fake of the Slack Web API, over real HTTP, that answers the way Slack does.

The app under test builds ``WebClient(base_url=fake.base_url)``; the fake records every call, keeps the
messages, views and files it was sent, validates Block Kit with Slack's limits, insists on fresh trigger ids
and can be told to fail the next calls of a method.  Tests wait for the app's calls with ``wait_for``, because
the app acknowledges Slack first and calls the Web API from a background thread.

Files go up as slack_sdk's ``files_upload_v2`` sends them: ``files.getUploadURLExternal``, the bytes POSTed to
the upload URL it answers (on the fake itself, recorded as method ``upload_url``), then
``files.completeUploadExternal``; ``files`` holds what arrived, for tests to open.
"""

import base64
import contextlib
import copy
import functools
import hashlib
import json
import math
import mimetypes
import secrets
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tests.fakes import block_limits

TEAM_ID = "T0TEST"
TEAM_DOMAIN = "inhouse-test"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0INHOUSE"
DEFAULT_TOKEN = "xoxb-test"
TRIGGER_LIFETIME = 3.0  # seconds, as Slack documents
FIRST_TS_MICROS = 1_700_000_000_000_100

JSON_FIELDS = ("blocks", "view", "attachments", "metadata", "files")
UPLOAD_URL = "upload_url"  # what a POST to an upload URL is recorded as
IMAGE_TYPES = frozenset({"png", "jpg", "jpeg", "gif"})  # what an image block's slack_file may be, as Slack documents
USER_FIELDS = frozenset(
    {"name", "real_name", "tz", "tz_label", "tz_offset", "deleted", "is_bot", "is_admin", "is_owner", "locale"}
)

Json = dict[str, Any]
MethodHandler = Callable[[Json], Json]


@dataclass(frozen=True)
class Share:
    """A message that shared a file: where, and its ts."""

    channel: str
    ts: str


@dataclass(frozen=True)
class UploadedFile:
    """A file since files.getUploadURLExternal: its bytes once they arrived; completed, privately or in shares."""

    id: str
    name: str
    length: int
    upload_url: str
    title: str = ""
    content: bytes | None = None
    completed: bool = False
    shares: tuple[Share, ...] = ()

    @property
    def filetype(self) -> str:
        return self.name.rpartition(".")[2].lower() if "." in self.name else ""


@dataclass(frozen=True)
class Call:
    """One request the fake received: ``args`` merge query, form or JSON body, JSON-string fields decoded."""

    method: str
    args: Json
    headers: dict[str, str]
    status: int = 200
    response: Any = None
    failed: bool = False  # the answer was not ``ok``, injected or not
    path: str = ""
    at: float = 0.0  # when it arrived, on the fake's clock

    @property
    def error(self) -> str | None:
        return self.response.get("error") if isinstance(self.response, dict) else None

    def describe(self) -> str:
        return f"{self.method} (failed: {self.error or self.status})" if self.failed else self.method


class SlackError(Exception):
    """A method handler's way to answer ``{"ok": false, "error": ...}`` with HTTP 200."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class _Failure:
    error: str
    status: int
    retry_after: int | None


@dataclass(frozen=True)
class Pace:
    """Slack's pace for chat.postMessage in one conversation (a channel with its threads, or a DM): about
    ``per_second`` messages a second once a short ``burst`` is spent; a post over it is answered 429 with
    ``Retry-After`` (whole seconds), as Slack documents for posting messages."""

    per_second: float = 1.0
    burst: int = 3


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class _Trigger:
    issued_at: float
    user_id: str | None


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


class FakeSlack:
    """The Slack Web API at ``base_url``; use as a context manager or ``start()``/``stop()``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        now: Callable[[], float] = time.monotonic,
        latency: float = 0.0,
        post_pace: Pace | None = None,
    ) -> None:
        self.token = token
        self.latency = latency  # seconds each answer takes, as real Slack's 100 ms or more (benchmarks)
        self.post_pace = post_pace  # None: chat.postMessage is never rate limited (the tests' default)
        self._buckets: dict[str, _Bucket] = {}  # conversation -> the posts it has left (with post_pace)
        self._now = now
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._drops: dict[str, deque[bool]] = {}  # method -> drop the connection after handling the call?
        self._channels: dict[str, dict[str, Json]] = {}  # channel -> ts -> message, in posting order
        self._ephemerals: list[Json] = []
        self._views: dict[str, Json] = {}
        self._published: dict[str, Json] = {}
        self._view_owners: dict[str, str | None] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._issued: dict[str, float] = {}
        self._users: dict[str, Json] = {}
        self._group_dms: dict[tuple[str, ...], str] = {}
        self._files: dict[str, UploadedFile] = {}
        self._usergroups: dict[str, Json] = {}  # id -> the user group, its members as "users"
        self._conversations: dict[str, Json] = {}  # id -> what conversations.list says of a channel
        self._ts_micros = FIRST_TS_MICROS - 100  # the first message gets FIRST_TS_MICROS
        self._counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.internal_errors: list[str] = []
        self._handlers: dict[str, MethodHandler] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.delete": self._chat_delete,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "conversations.open": self._conversations_open,
            "users.info": self._users_info,
            "reactions.add": self._reactions_add,
            "users.conversations": self._users_conversations,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.getPermalink": self._chat_get_permalink,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
            "users.lookupByEmail": self._users_lookup_by_email,
            "usergroups.list": self._usergroups_list,
            "usergroups.users.list": self._usergroups_users_list,
            "conversations.list": self._conversations_list,
        }

    # --- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> Self:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self
        self._server = server
        # a short poll interval makes shutdown() quick; serve_forever only checks for it between polls
        serve = functools.partial(server.serve_forever, poll_interval=0.02)
        self._thread = threading.Thread(target=serve, name="fake-slack", daemon=True)
        self._thread.start()
        return self

    def stop(self, *, check: bool = True) -> None:
        """Shut the server down; with ``check``, fail if the fake itself crashed on a request."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if check and self.internal_errors:
            raise AssertionError("the fake Slack crashed:\n" + "\n".join(self.internal_errors))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.stop(check=error is None)

    @property
    def root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the fake Slack is not running: call start() or use it as a context manager")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}/api/"

    # --- what tests read ---------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Block until ``count`` calls of ``method`` (matching ``where``) were recorded; return the first ``count``.

        Failed calls count too; pass ``where=lambda call: not call.failed`` to wait for successes only.
        """

        def matching() -> list[Call]:
            return [c for c in self._calls if c.method == method and (where is None or where(c))]

        with self._changed:
            if not self._changed.wait_for(lambda: len(matching()) >= count, timeout):
                recorded = [call.describe() for call in self._calls]
                raise AssertionError(
                    f"expected {count} call(s) to {method} within {timeout}s, got {len(matching())}; "
                    f"recorded: {recorded}"
                )
            return matching()[:count]

    def reset(self) -> None:
        """Forget the recorded calls (messages, views and users stay)."""
        with self._lock:
            self._calls.clear()

    def messages(self, channel: str) -> list[Json]:
        """The channel's top-level messages, oldest first, as they are now (after updates and deletes)."""
        with self._lock:
            stored = self._channels.get(self._channel_id(channel), {}).values()
            return [copy.deepcopy(m) for m in stored if m.get("thread_ts") in (None, m["ts"])]

    def message(self, channel: str, ts: str) -> Json:
        """One message or thread reply as it is now; KeyError if it was never posted or was deleted."""
        with self._lock:
            stored = self._channels.get(self._channel_id(channel), {})
            if ts not in stored:
                raise KeyError(f"no message {ts} in {channel}; it has {list(stored)}")
            return copy.deepcopy(stored[ts])

    def replies(self, channel: str, thread_ts: str) -> list[Json]:
        """The replies in a thread, oldest first, without the parent message."""
        with self._lock:
            stored = self._channels.get(self._channel_id(channel), {}).values()
            return [copy.deepcopy(m) for m in stored if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts]

    def ephemerals(self, channel: str | None = None, user: str | None = None) -> list[Json]:
        with self._lock:
            return [
                copy.deepcopy(m)
                for m in self._ephemerals
                if channel in (None, m["channel"]) and user in (None, m["user"])
            ]

    def view(self, view_id: str) -> Json:
        with self._lock:
            return copy.deepcopy(self._views[view_id])

    def view_owner(self, view_id: str) -> str | None:
        """Whose view it is: the user of the trigger id that opened it, or of views.publish."""
        with self._lock:
            return self._view_owners.get(view_id)

    @property
    def views(self) -> dict[str, Json]:
        """Every modal and Home view by id, as last opened, pushed, updated or published."""
        with self._lock:
            return copy.deepcopy(self._views)

    @property
    def views_published(self) -> dict[str, Json]:
        """The latest Home tab view per user id."""
        with self._lock:
            return copy.deepcopy(self._published)

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Every file by id, as it is now: its bytes, title and the messages that shared it."""
        with self._lock:
            return dict(self._files)

    def dm_channel(self, user_id: str) -> str:
        """The id of the bot's DM with a user: stable, ``U0ALICE`` -> ``D0ALICE``."""
        return "D" + user_id[1:]

    # --- what tests arrange --------------------------------------------------------------------------------

    def new_trigger_id(self, user_id: str | None = None) -> str:
        """A trigger id as Slack puts in an interaction payload: usable once, for 3 seconds."""
        with self._lock:
            self._counter += 1
            trigger_id = f"{self._counter}.{FIRST_TS_MICROS // 10**6}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(issued_at=self._now(), user_id=user_id)
            self._issued[trigger_id] = self._triggers[trigger_id].issued_at  # kept after the trigger is spent
            return trigger_id

    def trigger_issued_at(self, trigger_id: str) -> float | None:
        """When the fake handed out ``trigger_id`` (the click or command it belongs to), on its clock."""
        with self._lock:
            return self._issued.get(trigger_id)

    def expire_trigger(self, trigger_id: str) -> None:
        with self._lock:
            self._triggers.pop(trigger_id, None)

    def fail_next(
        self, method: str, error: str = "ratelimited", status: int = 429, retry_after: int = 1, times: int = 1
    ) -> None:
        """Fail the next ``times`` calls of ``method``: 429 with ``Retry-After``, a 5xx, or 200 with an error."""
        with self._lock:
            failure = _Failure(error, status, retry_after if status == 429 else None)
            self._failures.setdefault(method, deque()).extend([failure] * times)

    def drop_next(self, method: str, *, after_handling: bool = False, times: int = 1) -> None:
        """Close the connection without an answer on the next ``times`` calls of ``method`` (a network error),
        before handling the call or, with ``after_handling``, after Slack did what it asked (the answer is lost)."""
        with self._lock:
            self._drops.setdefault(method, deque()).extend([after_handling] * times)

    def _take_drop(self, path: str) -> bool | None:
        method = _method_of(urlsplit(path).path) or ""
        with self._lock:
            queue = self._drops.get(method)
            return queue.popleft() if queue else None

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Shape what ``users.info`` answers: top-level fields (name, real_name, tz, ...) or profile fields."""
        with self._lock:
            user = self._users.setdefault(user_id, _default_user(user_id))
            for key, value in fields.items():
                (user if key in USER_FIELDS else user["profile"])[key] = value
            for key in ("real_name", "display_name"):
                if key in fields:
                    user["profile"][key] = user["profile"][f"{key}_normalized"] = fields[key]
            if "tz" in fields and "tz_offset" not in fields:
                user["tz_offset"], user["tz_label"] = _tz_offset_and_label(fields["tz"])

    def seed_message(self, channel: str, text: str = "", *, user: str = "U0ALICE", **fields: Any) -> str:
        """A message someone else posted, for the app to react to or reply under; returns its ts."""
        with self._lock:
            ts = self._next_ts()
            message = {"type": "message", "user": user, "text": text, "ts": ts, "team": TEAM_ID, **fields}
            self._store(self._channel_id(channel), message)
            return ts

    def add_user_group(self, handle: str, users: list[str], *, name: str = "", disabled: bool = False) -> str:
        """A user group (``@handle``) with these members; returns its id (S...)."""
        with self._lock:
            group_id = self._new_id("S")
            self._usergroups[group_id] = {
                "id": group_id,
                "team_id": TEAM_ID,
                "is_usergroup": True,
                "name": name or handle.title(),
                "description": "",
                "handle": handle,
                "is_external": False,
                "date_delete": 1_700_000_000 if disabled else 0,
                "users": list(users),
            }
            return group_id

    def set_user_group_members(self, group_id: str, users: list[str]) -> None:
        with self._lock:
            self._usergroups[group_id]["users"] = list(users)

    def add_channel(self, name: str, *, private: bool = False, archived: bool = False, member: bool = True) -> str:
        """A channel named ``name`` (without #); returns its id (C..., or G... for a private one)."""
        with self._lock:
            channel_id = self._new_id("G" if private else "C")
            self._conversations[channel_id] = {
                "id": channel_id,
                "name": name,
                "is_channel": not private,
                "is_group": private,
                "is_private": private,
                "is_archived": archived,
                "is_member": member,
                "is_im": False,
            }
            self._channels.setdefault(channel_id, {})
            return channel_id

    def register(self, method: str, handler: MethodHandler) -> None:
        """Answer a further method: ``handler(args)`` returns the body after ``ok`` or raises SlackError."""
        with self._lock:
            self._handlers[method] = handler

    def response_url(self) -> str:
        """A fresh ``response_url``; what the app POSTs there is recorded as method ``response_url``."""
        with self._lock:
            self._counter += 1
            return f"{self.root_url}/response/{TEAM_ID}/{self._counter}/{secrets.token_hex(8)}"

    # --- HTTP ----------------------------------------------------------------------------------------------

    def _handle_http(self, path: str, headers: dict[str, str], raw: bytes) -> _Reply:
        url = urlsplit(path)
        method = _method_of(url.path)
        if method is None:
            return _Reply(404, b"not found", content_type="text/plain")
        with self._lock:
            if method == UPLOAD_URL:  # the body is the file's bytes, not arguments
                args, reply, response = self._answer_upload(url.path, raw)
            else:
                args, reply, response = self._dispatch(method, url.query, headers, raw)
            failed = reply.status != 200 or not response.get("ok")
            self._calls.append(Call(method, args, headers, reply.status, response, failed, url.path, self._now()))
            self._changed.notify_all()
        return reply

    def _dispatch(self, method: str, query: str, headers: dict[str, str], raw: bytes) -> tuple[Json, _Reply, Json]:
        try:
            args = _parse_args(query, headers.get("content-type", ""), raw)
        except ValueError as error:  # a body Slack could not read either
            response: Json = {"ok": False, "error": "invalid_form_data", "detail": str(error)}
            return {}, _Reply(200, json.dumps(response).encode()), response
        try:
            if method == "response_url":
                return args, *self._answer_response_url(args)
            return args, *self._answer(method, args, headers)
        except Exception:  # a bug in the fake: answer 500 and fail the test when the fake stops
            self.internal_errors.append(traceback.format_exc())
            response = {"ok": False, "error": "fake_slack_crashed"}
            return args, _Reply(500, json.dumps(response).encode()), response

    def _answer(self, method: str, args: Json, headers: dict[str, str]) -> tuple[_Reply, Json]:
        token = _bearer_token(headers) or args.get("token")
        failure = self._take_failure(method) if token == self.token else None
        if not token:
            body: Json = {"ok": False, "error": "not_authed"}
        elif token != self.token:
            body = {"ok": False, "error": "invalid_auth"}
        elif failure is not None:
            body = {"ok": False, "error": failure.error}
            retry = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            return _Reply(failure.status, json.dumps(body).encode(), retry), body
        elif method == "chat.postMessage" and (wait := self._over_pace(args)) is not None:
            body = {"ok": False, "error": "ratelimited"}
            return _Reply(429, json.dumps(body).encode(), {"Retry-After": str(wait)}), body
        elif method not in self._handlers:
            body = {"ok": False, "error": "unknown_method", "req_method": method}
        else:
            try:
                body = {"ok": True, **self._handlers[method](args)}
            except SlackError as error:
                body = {"ok": False, "error": error.error, **error.extra}
        return _Reply(200, json.dumps(body).encode()), body

    def _answer_response_url(self, args: Json) -> tuple[_Reply, Json]:
        """Slack's response_url answers plain text: ``ok``, or a 400 such as ``invalid_blocks``."""
        if "blocks" in args and (block_limits.message_errors(args["blocks"]) or self._slack_file_errors(args)):
            return _Reply(400, b"invalid_blocks", content_type="text/plain"), {"ok": False, "error": "invalid_blocks"}
        if not args.get("text") and not args.get("blocks") and not args.get("delete_original"):
            return _Reply(400, b"no_text", content_type="text/plain"), {"ok": False, "error": "no_text"}
        return _Reply(200, b"ok", content_type="text/plain"), {"ok": True}

    def _answer_upload(self, path: str, raw: bytes) -> tuple[Json, _Reply, Json]:
        """A file's bytes POSTed to its upload URL: ``OK - LENGTH``, or a 404 for a URL not (or no longer) open."""
        file = next((f for f in self._files.values() if urlsplit(f.upload_url).path == path), None)
        args: Json = {"file_id": file.id if file else None, "length": len(raw)}
        failure = self._take_failure(UPLOAD_URL)
        if failure is not None:
            retry = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            reply = _Reply(failure.status, failure.error.encode(), retry, content_type="text/plain")
            return args, reply, {"ok": False, "error": failure.error}
        if file is None or file.completed:
            return args, _Reply(404, b"not found", content_type="text/plain"), {"ok": False, "error": "not_found"}
        self._files[file.id] = replace(file, content=raw)
        return args, _Reply(200, f"OK - {len(raw)}".encode(), content_type="text/plain"), {"ok": True}

    def _over_pace(self, args: Json) -> int | None:
        """With ``post_pace``: None if the conversation may have one more post now (it is counted), else the
        seconds to wait (Retry-After)."""
        pace, channel = self.post_pace, args.get("channel")
        if pace is None or not channel:
            return None
        now = self._now()
        bucket = self._buckets.setdefault(self._channel_id(str(channel)), _Bucket(float(pace.burst), now))
        bucket.tokens = min(float(pace.burst), bucket.tokens + (now - bucket.at) * pace.per_second)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return max(1, math.ceil((1 - bucket.tokens) / pace.per_second))

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        return queue.popleft() if queue else None

    # --- state helpers -------------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        self._ts_micros += 100
        return f"{self._ts_micros // 10**6}.{self._ts_micros % 10**6:06d}"

    def _channel_id(self, channel: str) -> str:
        """Posting to a user id posts to the bot's DM with that user."""
        return self.dm_channel(channel) if channel.startswith(("U", "W")) else channel

    def _store(self, channel: str, message: Json) -> None:
        messages = self._channels.setdefault(channel, {})
        messages[message["ts"]] = message
        thread_ts = message.get("thread_ts")
        parent = messages.get(thread_ts) if thread_ts and thread_ts != message["ts"] else None
        if parent is not None:
            parent["thread_ts"] = thread_ts
            parent["reply_count"] = parent.get("reply_count", 0) + 1
            parent["latest_reply"] = message["ts"]
            parent["reply_users"] = sorted({*parent.get("reply_users", []), message.get("user", BOT_USER_ID)})

    def _stored_message(self, args: Json, ts_key: str = "ts") -> tuple[str, Json]:
        _require(args, "channel", ts_key)
        channel = self._channel_id(str(args["channel"]))
        message = self._channels.get(channel, {}).get(str(args[ts_key]))
        if message is None:
            raise SlackError("message_not_found")
        return channel, message

    def _consume_trigger(self, trigger_id: str) -> _Trigger:
        trigger = self._triggers.pop(trigger_id, None)
        if trigger is None or self._now() - trigger.issued_at > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        return trigger

    # --- methods ---------------------------------------------------------------------------------------------

    def _auth_test(self, args: Json) -> Json:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Inhouse Test",
            "user": "inhouse",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: Json) -> Json:
        _require(args, "channel")
        _check_message_content(args)
        self._check_slack_files(args)
        channel = self._channel_id(str(args["channel"]))
        message = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": args.get("text") or "",
            "ts": self._next_ts(),
            **_message_content(args),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        self._store(channel, message)
        return {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _chat_update(self, args: Json) -> Json:
        channel, message = self._stored_message(args)
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_update_message")
        _check_message_content(args, require_content=False)
        self._check_slack_files(args)
        message.update(_message_content(args))
        if "text" in args:
            message["text"] = args["text"] or ""
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": copy.deepcopy(message)}

    def _chat_post_ephemeral(self, args: Json) -> Json:
        _require(args, "channel", "user")
        _check_message_content(args)
        self._check_slack_files(args)
        ephemeral = {
            "channel": self._channel_id(str(args["channel"])),
            "user": args["user"],
            "text": args.get("text") or "",
            "message_ts": self._next_ts(),
            **_message_content(args),
        }
        if args.get("thread_ts"):
            ephemeral["thread_ts"] = args["thread_ts"]
        self._ephemerals.append(ephemeral)
        return {"message_ts": ephemeral["message_ts"]}

    def _chat_delete(self, args: Json) -> Json:
        channel, message = self._stored_message(args)
        if message.get("bot_id") != BOT_ID:
            raise SlackError("cant_delete_message")
        del self._channels[channel][message["ts"]]
        return {"channel": channel, "ts": message["ts"]}

    def _views_open(self, args: Json) -> Json:
        return self._open_view(args, pushed=False)

    def _views_push(self, args: Json) -> Json:
        return self._open_view(args, pushed=True)

    def _open_view(self, args: Json, *, pushed: bool) -> Json:
        trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
        if not trigger_id:
            raise _invalid_arguments(["[ERROR] missing required field: trigger_id"])
        _require(args, "view")
        _check_view(args["view"], "modal")
        trigger = self._consume_trigger(str(trigger_id))
        previous = self._latest_modal(trigger.user_id) if pushed else None
        view_id = self._new_id("V")
        root_view_id = previous["root_view_id"] if previous else view_id
        view = self._full_view(args["view"], view_id, root_view_id, previous["id"] if previous else None)
        self._views[view_id] = view
        self._view_owners[view_id] = trigger.user_id
        return {"view": copy.deepcopy(view)}

    def _latest_modal(self, user_id: str | None) -> Json | None:
        owned = [v for v in self._views.values() if v["type"] == "modal" and self._view_owners[v["id"]] == user_id]
        return owned[-1] if user_id and owned else None

    def _views_update(self, args: Json) -> Json:
        if not args.get("view_id") and not args.get("external_id"):
            raise _invalid_arguments(["[ERROR] missing required field: view_id or external_id"])
        _require(args, "view")
        current = self._find_view(args)
        _check_view(args["view"], current["type"])
        if args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = self._full_view(args["view"], current["id"], current["root_view_id"], current["previous_view_id"])
        view["external_id"] = view["external_id"] or current["external_id"]
        self._views[view["id"]] = view
        owner = self._view_owners.get(view["id"])
        if view["type"] == "home" and owner:
            self._published[owner] = view
        return {"view": copy.deepcopy(view)}

    def _find_view(self, args: Json) -> Json:
        if args.get("view_id"):
            view = self._views.get(str(args["view_id"]))
        else:
            view = next((v for v in self._views.values() if v["external_id"] == args["external_id"]), None)
        if view is None:
            raise SlackError("not_found")
        return view

    def _views_publish(self, args: Json) -> Json:
        _require(args, "user_id", "view")
        _check_view(args["view"], "home")
        user_id = str(args["user_id"])
        current = self._published.get(user_id)
        if current is not None and args.get("hash") and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view_id = current["id"] if current is not None else self._new_id("V")
        view = self._full_view(args["view"], view_id, root_view_id=view_id, previous_view_id=None)
        self._views[view_id] = self._published[user_id] = view
        self._view_owners[view_id] = user_id
        return {"view": copy.deepcopy(view)}

    def _new_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter:010d}"

    def _full_view(self, view: Json, view_id: str, root_view_id: str, previous_view_id: str | None) -> Json:
        """The view object Slack answers with: the one sent, plus ids, an empty state and a fresh hash."""
        return {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": view["type"],
            "blocks": _with_block_ids(view.get("blocks", [])),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{FIRST_TS_MICROS // 10**6}.{self._new_id('h')}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": previous_view_id,
            "root_view_id": root_view_id,
            "app_id": APP_ID,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }

    def _conversations_open(self, args: Json) -> Json:
        if args.get("channel"):
            return {"channel": {"id": args["channel"]}}
        _require(args, "users")
        users = args["users"] if isinstance(args["users"], list) else str(args["users"]).split(",")
        users = sorted({user.strip() for user in users if user.strip()} - {BOT_USER_ID})
        if not users:
            raise SlackError("users_list_not_supplied")
        if len(users) == 1:
            channel = self.dm_channel(users[0])
        else:
            channel = self._group_dms.setdefault(tuple(users), self._new_id("G"))
        self._channels.setdefault(channel, {})  # the conversation exists from now on, empty, as in Slack
        return {"channel": {"id": channel}}

    def _users_info(self, args: Json) -> Json:
        _require(args, "user")
        user_id = str(args["user"])
        if user_id not in self._users and not user_id.startswith(("U", "W")):
            raise SlackError("user_not_found")
        return {"user": copy.deepcopy(self._users.get(user_id) or _default_user(user_id))}

    def _reactions_add(self, args: Json) -> Json:
        _require(args, "name")
        _, message = self._stored_message(args, ts_key="timestamp")
        name = str(args["name"]).strip(":")
        reactions: list[Json] = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if BOT_USER_ID in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(BOT_USER_ID)
        reaction["count"] += 1
        return {}

    def _users_conversations(self, args: Json) -> Json:
        """The bot's conversations of the asked ``types``: its DMs (im), group DMs (mpim), channels it posted in."""
        wanted = [kind.strip() for kind in str(args.get("types") or "public_channel").split(",")]
        prefixes = tuple(CONVERSATION_PREFIXES[kind] for kind in wanted if kind in CONVERSATION_PREFIXES)
        channels = [_conversation(channel) for channel in self._channels if prefixes and channel.startswith(prefixes)]
        page, next_cursor = _page(channels, args)
        return {"channels": page, "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_history(self, args: Json) -> Json:
        """Top-level messages, newest first; metadata only with ``include_all_metadata``, as Slack does."""
        _require(args, "channel")
        channel = self._channel_id(str(args["channel"]))
        if channel not in self._channels:
            raise SlackError("channel_not_found")
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        stored = reversed(self._channels[channel].values())
        messages = [
            _history_message(m, with_metadata)
            for m in stored
            if m.get("thread_ts") in (None, m["ts"]) and _not_after_latest(m, args)
        ]
        page, next_cursor = _page(messages, args)
        return {"messages": page, "has_more": bool(next_cursor), "response_metadata": {"next_cursor": next_cursor}}

    def _conversations_replies(self, args: Json) -> Json:
        """A thread, parent first, oldest to newest; metadata only with ``include_all_metadata``."""
        _require(args, "channel", "ts")
        channel = self._channel_id(str(args["channel"]))
        if channel not in self._channels:
            raise SlackError("channel_not_found")
        thread_ts = str(args["ts"])
        if thread_ts not in self._channels[channel]:
            raise SlackError("thread_not_found")
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        stored = self._channels[channel].values()
        thread = [
            _history_message(m, with_metadata)
            for m in stored
            if thread_ts in (m["ts"], m.get("thread_ts")) and _not_after_latest(m, args)
        ]
        page, next_cursor = _page(thread, args)
        return {"messages": page, "has_more": bool(next_cursor), "response_metadata": {"next_cursor": next_cursor}}

    def _chat_get_permalink(self, args: Json) -> Json:
        """A message's link in the workspace, a reply's with its thread, as Slack answers it."""
        _require(args, "channel", "message_ts")
        channel = self._channel_id(str(args["channel"]))
        if channel not in self._channels:
            raise SlackError("channel_not_found")
        message = self._channels[channel].get(str(args["message_ts"]))
        if message is None:
            raise SlackError("message_not_found")
        link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{message['ts'].replace('.', '')}"
        thread_ts = message.get("thread_ts")
        if thread_ts and thread_ts != message["ts"]:
            link += f"?thread_ts={thread_ts}&cid={channel}"
        return {"channel": channel, "permalink": link}

    def _users_lookup_by_email(self, args: Json) -> Json:
        """The user with this email in their profile (as set_user gives it), else users_not_found, as Slack says."""
        _require(args, "email")
        email = str(args["email"]).strip().lower()
        for user in self._users.values():
            if str(user["profile"].get("email", "")).lower() == email and not user["deleted"]:
                return {"user": copy.deepcopy(user)}
        raise SlackError("users_not_found")

    def _usergroups_list(self, args: Json) -> Json:
        """The workspace's user groups, the disabled ones only with ``include_disabled``; members with
        ``include_users``; not paginated (Slack's is not)."""
        include_disabled = str(args.get("include_disabled", "")).lower() in ("1", "true")
        include_users = str(args.get("include_users", "")).lower() in ("1", "true")
        groups = []
        for group in self._usergroups.values():
            if group["date_delete"] and not include_disabled:
                continue
            shown = {key: value for key, value in group.items() if key != "users"}
            shown["user_count"] = len(group["users"])
            if include_users:
                shown["users"] = list(group["users"])
            groups.append(copy.deepcopy(shown))
        return {"usergroups": groups}

    def _usergroups_users_list(self, args: Json) -> Json:
        _require(args, "usergroup")
        group = self._usergroups.get(str(args["usergroup"]))
        include_disabled = str(args.get("include_disabled", "")).lower() in ("1", "true")
        if group is None or (group["date_delete"] and not include_disabled):
            raise SlackError("no_such_subteam")
        return {"users": list(group["users"])}

    def _conversations_list(self, args: Json) -> Json:
        """Channels of ``types`` (public_channel by default; private_channel only those the bot is in, as Slack
        shows them to a bot), without the archived ones with ``exclude_archived``; paginated with ``cursor``."""
        wanted = {kind.strip() for kind in str(args.get("types") or "public_channel").split(",")}
        exclude_archived = str(args.get("exclude_archived", "")).lower() in ("1", "true")
        channels = [
            copy.deepcopy(channel)
            for channel in self._conversations.values()
            if ("private_channel" if channel["is_private"] else "public_channel") in wanted
            and (channel["is_member"] or not channel["is_private"])
            and not (exclude_archived and channel["is_archived"])
        ]
        page, next_cursor = _page(channels, args)
        return {"channels": page, "response_metadata": {"next_cursor": next_cursor}}

    def _files_get_upload_url_external(self, args: Json) -> Json:
        """A new file's id and the URL its bytes go to; ``length`` 0 is missing_argument, as Slack documents."""
        _require(args, "filename", "length")
        try:
            length = int(str(args["length"]))
        except ValueError:
            raise _invalid_arguments(["[ERROR] length must be an integer [json-pointer:/length]"]) from None
        if length == 0:
            raise SlackError("missing_argument")
        if length < 0:
            raise _invalid_arguments(["[ERROR] length must be positive [json-pointer:/length]"])
        file_id = self._new_id("F")
        upload_url = f"{self.root_url}/upload/v1/{file_id}/{secrets.token_hex(8)}"
        self._files[file_id] = UploadedFile(file_id, str(args["filename"]), length, upload_url)
        return {"upload_url": upload_url, "file_id": file_id}

    def _files_complete_upload_external(self, args: Json) -> Json:
        """Complete each of ``files`` (once: Slack allows no second time), privately or shared in ``channel_id``
        (or ``channels``) as one message with ``initial_comment``, in the thread of ``thread_ts``.

        A file id it never gave out, or one already completed, is file_not_found; a file whose bytes never
        arrived is file_upload_not_found (the fake's name for it: Slack documents none).
        """
        _require(args, "files")
        named = args["files"]
        if not isinstance(named, list) or not named or not all(isinstance(f, dict) and f.get("id") for f in named):
            raise _invalid_arguments(["[ERROR] files must be a list of objects with an id [json-pointer:/files]"])
        completed: list[UploadedFile] = []
        for entry in named:
            file = self._files.get(str(entry["id"]))
            if file is None or file.completed:
                raise SlackError("file_not_found")
            if file.content is None:
                raise SlackError("file_upload_not_found")
            completed.append(replace(file, title=str(entry.get("title") or file.name), completed=True))
        targets = [args["channel_id"]] if args.get("channel_id") else str(args.get("channels") or "").split(",")
        shares = tuple(self._share(str(target).strip(), completed, args) for target in targets if str(target).strip())
        for file in completed:
            self._files[file.id] = replace(file, shares=shares)
        return {"files": [_file_object(file) for file in completed]}

    def _share(self, channel: str, files: list[UploadedFile], args: Json) -> Share:
        """The message that shares ``files`` in ``channel`` (a user id: the bot's DM with them)."""
        ts = self._next_ts()
        message: Json = {
            "type": "message",
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": TEAM_ID,
            "text": str(args.get("initial_comment") or ""),
            "ts": ts,
            "upload": True,
            "display_as_bot": False,
            "files": [_file_object(file) for file in files],
        }
        if args.get("thread_ts"):
            message["thread_ts"] = str(args["thread_ts"])
        channel_id = self._channel_id(channel)
        self._store(channel_id, message)
        return Share(channel_id, ts)

    def _check_slack_files(self, args: Json) -> None:
        errors = self._slack_file_errors(args)
        if errors:
            messages = [f"[ERROR] {error}" for error in errors]
            raise SlackError("invalid_blocks", errors=errors, response_metadata={"messages": messages})

    def _slack_file_errors(self, args: Json) -> list[str]:
        """An image's ``slack_file`` must be a png, jpg or gif the bot uploaded and completed, as Slack says."""
        return [
            f"invalid slack file [json-pointer:{pointer}]"
            for pointer, reference in _slack_files(args.get("blocks"), "/blocks")
            if not self._is_usable_image(reference)
        ]

    def _is_usable_image(self, reference: Json) -> bool:
        if ("id" in reference) == ("url" in reference):  # one of them, as Slack documents
            return False
        for file in self._files.values():
            shown = _file_object(file)
            if reference.get("id") == file.id or reference.get("url") in (shown["url_private"], shown["permalink"]):
                return file.completed and file.filetype in IMAGE_TYPES
        return False


CONVERSATION_PREFIXES = {"im": "D", "mpim": "G", "public_channel": "C"}


def _file_object(file: UploadedFile) -> Json:
    """A file as Slack's answers and messages show it (the fields Inhouse may read)."""
    return {
        "id": file.id,
        "name": file.name,
        "title": file.title or file.name,
        "mimetype": mimetypes.guess_type(file.name)[0] or "application/octet-stream",
        "filetype": file.filetype,
        "size": len(file.content or b""),
        "user": BOT_USER_ID,
        "url_private": f"https://files.slack.com/files-pri/{TEAM_ID}-{file.id}/{file.name}",
        "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{file.id}/{file.name}",
    }


def _slack_files(value: Any, pointer: str) -> Iterator[tuple[str, Json]]:
    """Every ``slack_file`` object in blocks, with its JSON pointer."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "slack_file" and isinstance(item, dict):
                yield f"{pointer}/{key}", item
            else:
                yield from _slack_files(item, f"{pointer}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _slack_files(item, f"{pointer}/{index}")


def _conversation(channel_id: str) -> Json:
    if channel_id.startswith("D"):
        return {"id": channel_id, "is_im": True, "user": "U" + channel_id[1:], "is_user_deleted": False}
    return {"id": channel_id, "name": channel_id.lower(), "is_im": False, "is_member": True}


def _history_message(message: Json, with_metadata: bool) -> Json:
    shown = copy.deepcopy(message)
    if not with_metadata:
        shown.pop("metadata", None)
    return shown


def _not_after_latest(message: Json, args: Json) -> bool:
    """Whether a message is at or before ``latest`` (before it, unless ``inclusive``), as the history methods filter.

    ``oldest`` is not applied: the fake hands out ts from 2023 on, while tests run their clocks in 2026.
    """
    latest = args.get("latest")
    if not latest:
        return True
    inclusive = str(args.get("inclusive", "")).lower() in ("1", "true")
    ts, bound = Decimal(message["ts"]), Decimal(str(latest))
    return ts <= bound if inclusive else ts < bound


def _page(items: list[Json], args: Json) -> tuple[list[Json], str]:
    """One page of ``items`` from ``cursor``, at most ``limit`` long, and the next page's cursor ("" at the end)."""
    try:
        start = int(base64.b64decode(str(args["cursor"])).decode().removeprefix("offset:")) if args.get("cursor") else 0
        limit = int(args.get("limit") or 100)
    except ValueError:
        raise SlackError("invalid_cursor") from None
    end = start + max(1, min(limit, 1000))
    next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
    return items[start:end], next_cursor


# --- request parsing ------------------------------------------------------------------------------------------


def _parse_args(query: str, content_type: str, raw: bytes) -> Json:
    """The call's arguments the way Slack reads them: query string, then form, JSON or multipart body."""
    args: Json = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json" and raw:
        body = json.loads(raw)
        if not isinstance(body, dict):
            raise ValueError("a JSON body must be an object")
        args.update(body)
    elif media_type == "multipart/form-data":
        args.update(_multipart_fields(content_type, raw))
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for key in JSON_FIELDS:
        if isinstance(args.get(key), str):
            # left as a string when it is no JSON: the method answers invalid_blocks_format / invalid_arguments
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args


def _multipart_fields(content_type: str, raw: bytes) -> Iterator[tuple[str, Any]]:
    message = BytesParser(policy=policy.HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    for part in message.walk():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            yield name, payload if part.get_filename() else payload.decode("utf-8")


def _method_of(path: str) -> str | None:
    """The Web API method a request's path names; ``response_url`` and ``upload_url`` for those URLs."""
    if path.startswith("/api/"):
        return path.removeprefix("/api/")
    if path.startswith("/response/"):
        return "response_url"
    if path.startswith("/upload/"):
        return UPLOAD_URL
    return None


def _bearer_token(headers: dict[str, str]) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme == "Bearer" else None


# --- answers ------------------------------------------------------------------------------------------------------


def _require(args: Json, *names: str) -> None:
    missing = [name for name in names if args.get(name) in (None, "")]
    if missing:
        raise _invalid_arguments([f"[ERROR] missing required field: {name}" for name in missing])


def _invalid_arguments(messages: list[str]) -> SlackError:
    return SlackError("invalid_arguments", response_metadata={"messages": messages})


def _check_message_content(args: Json, *, require_content: bool = True) -> None:
    blocks = args.get("blocks")
    if isinstance(blocks, str):
        raise SlackError("invalid_blocks_format")
    if blocks is not None:
        errors = block_limits.message_errors(blocks)
        if errors:
            messages = [f"[ERROR] {error}" for error in errors]
            raise SlackError("invalid_blocks", errors=errors, response_metadata={"messages": messages})
    if require_content and not args.get("text") and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if len(str(args.get("text") or "")) > block_limits.MESSAGE_TEXT_LENGTH:
        raise SlackError("msg_too_long")


def _message_content(args: Json) -> Json:
    content: Json = {key: args[key] for key in ("attachments", "metadata") if args.get(key) is not None}
    if args.get("blocks") is not None:
        content["blocks"] = _with_block_ids(args["blocks"])
    return content


def _with_block_ids(blocks: list[Json]) -> list[Json]:
    """Slack gives every block without a block_id a generated one; so does the fake (deterministically)."""
    result = copy.deepcopy(blocks)
    for index, block in enumerate(result):
        if "block_id" not in block:
            digest = hashlib.sha1(f"{index}:{json.dumps(block, sort_keys=True)}".encode()).hexdigest()
            block["block_id"] = digest[:5]
    return result


def _check_view(view: Any, expected_type: str) -> None:
    if isinstance(view, str):
        raise _invalid_arguments(["[ERROR] failed to parse view JSON [json-pointer:/view]"])
    errors = block_limits.view_errors(view, expected_type=expected_type)
    if errors:
        raise _invalid_arguments(errors)


def _default_user(user_id: str) -> Json:
    name = "inhouse" if user_id == BOT_USER_ID else user_id.lower()
    real_name = name.removeprefix("u0").title()
    offset, label = _tz_offset_and_label("Europe/Berlin")
    return {
        "id": user_id,
        "team_id": TEAM_ID,
        "name": name,
        "deleted": False,
        "real_name": real_name,
        "tz": "Europe/Berlin",
        "tz_label": label,
        "tz_offset": offset,
        "is_admin": False,
        "is_owner": False,
        "is_bot": user_id == BOT_USER_ID,
        "is_app_user": False,
        "updated": FIRST_TS_MICROS // 10**6,
        "profile": {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "email": f"{name}@example.com",
            "image_48": f"https://avatars.example.com/{user_id}_48.png",
            "image_72": f"https://avatars.example.com/{user_id}_72.png",
            "team": TEAM_ID,
        },
    }


def _tz_offset_and_label(tz: str) -> tuple[int, str]:
    now = datetime.now(UTC).astimezone(ZoneInfo(tz))
    offset = now.utcoffset()
    return (int(offset.total_seconds()) if offset else 0), now.tzname() or tz


# --- the server -----------------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops connections in a burst of calls (each slack_sdk call opens one),
    # and their senders retry a second later; Slack's front end takes them all.
    request_queue_size = 128
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        drop = self.server.fake._take_drop(self.path)
        if drop is False:
            self.close_connection = True
            return
        reply = self.server.fake._handle_http(self.path, headers, raw)
        if drop:
            self.close_connection = True
            return
        if self.server.fake.latency:
            time.sleep(self.server.fake.latency)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        pass
