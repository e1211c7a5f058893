"""One way out: nothing in bot/ or handlers/ sends Slack a message but the outbox sender.

A change that owes Slack a message writes an outbox row in its own transaction, and bot/slack/sender.py delivers
it (/tmp/plan/outbox_api.md). A direct chat.postMessage somewhere else is a message that can be lost when the
process dies after the commit, or sent twice when a retry comes. So this test reads the code (with ``ast``, nothing
is imported or run) and lists every way out it finds elsewhere:

- any ``<anything>.chat_*`` method of a Web API client (postMessage, update, postEphemeral, delete, scheduleMessage,
  meMessage...), but ``chat_getPermalink``, which only reads;
- any ``<anything>.files_*`` (files.upload_v2 and the rest) and ``<anything>.api_call`` (any method by name);
- ``views_open``, ``views_push`` and ``views_update``: a modal opens with its trigger, in bot/slack/modals.py only;
- ``WebhookClient(...)`` (a post to a response_url by hand; answer a click with Bolt's ``respond`` instead);
- Bolt's ``say(...)``, which is a chat.postMessage;
- ``getattr(client, "chat_postMessage")`` and the like.

Allowed: bot/slack/sender.py (the outbox sender), bot/slack/files.py (the uploads a renderer makes while the sender
renders), bot/slack/modals.py (``views.*`` with a trigger), and, in any file, ``views_publish``: the App Home is
published directly when the user opens it (a view, not a message; the next publish replaces it, so there is nothing
to lose or to send twice).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("bot", "handlers")

ALLOWED_FILES = {
    "bot/slack/sender.py": "the outbox sender",
    "bot/slack/modals.py": "opening, pushing and updating a modal with its trigger",
    # files.* for a renderer, with the sender's client while it renders: an upload is part of sending a row
    "bot/slack/files.py": "uploads made while the outbox sender renders a row",
}
ALLOWED_ANYWHERE = {
    "views_publish": "the App Home, published when it is opened",
    "chat_getPermalink": "a read",
}
WATCHED_PREFIXES = ("chat_", "files_")
WATCHED_NAMES = frozenset({"api_call", "views_open", "views_push", "views_update"})
WEBHOOK_CLIENTS = frozenset({"WebhookClient", "AsyncWebhookClient"})


@dataclass(frozen=True, order=True)
class WayOut:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _watched(name: str) -> bool:
    if name in ALLOWED_ANYWHERE:
        return False
    return name.startswith(WATCHED_PREFIXES) or name in WATCHED_NAMES


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def ways_out(source: str, path: str) -> list[WayOut]:
    """Every use of a Slack sender in one module's source."""
    found: list[WayOut] = []
    for node in ast.walk(ast.parse(source, filename=path)):
        if isinstance(node, ast.Attribute) and _watched(node.attr):
            # A call (client.chat_postMessage(...)) or a reference passed around (send = client.chat_update).
            found.append(WayOut(path, node.lineno, node.attr))
        elif isinstance(node, ast.Call):
            name = _called_name(node.func)
            if name in WEBHOOK_CLIENTS:
                found.append(WayOut(path, node.lineno, f"{name}(...): a response_url posted to by hand"))
            elif name == "say":
                found.append(WayOut(path, node.lineno, "say(...): Bolt's chat_postMessage"))
            elif (
                name == "getattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and isinstance(node.args[1].value, str)
                and _watched(node.args[1].value)
            ):
                found.append(WayOut(path, node.lineno, f"getattr(..., {node.args[1].value!r})"))
    return sorted(found)


def scan() -> list[WayOut]:
    found: list[WayOut] = []
    for top in SCANNED:
        for file in sorted((ROOT / top).rglob("*.py")):
            path = file.relative_to(ROOT).as_posix()
            if path not in ALLOWED_FILES:
                found.extend(ways_out(file.read_text(encoding="utf-8"), path))
    return sorted(found)


def test_only_the_sender_and_the_modals_call_slack_senders() -> None:
    found = scan()
    assert not found, "Slack called directly (owe an outbox row instead, see bot/slack/outbox.py):\n" + "\n".join(
        str(way) for way in found
    )


def test_the_scan_sees_every_way_out() -> None:
    source = """
client.chat_postMessage(channel="C1", text="x")
deps.slack.chat_update(channel="C1", ts="1.2", text="x")
self.client.chat_postEphemeral(channel="C1", user="U1", text="x")
client.chat_delete(channel="C1", ts="1.2")
client.chat_scheduleMessage(channel="C1", post_at=1, text="x")
client.files_upload_v2(channel="C1", content="x")
client.api_call("chat.postMessage", json={})
client.views_open(trigger_id="t", view={})
send = client.chat_update
WebhookClient(url).send(text="x")
say("x")
getattr(client, "chat_postMessage")(channel="C1")
client.views_publish(user_id="U1", view={})
client.chat_getPermalink(channel="C1", message_ts="1.2")
respond(text="x", response_type="ephemeral", replace_original=False)
"""
    assert [(way.line, way.what.split("(")[0]) for way in ways_out(source, "example.py")] == [
        (2, "chat_postMessage"),
        (3, "chat_update"),
        (4, "chat_postEphemeral"),
        (5, "chat_delete"),
        (6, "chat_scheduleMessage"),
        (7, "files_upload_v2"),
        (8, "api_call"),
        (9, "views_open"),
        (10, "chat_update"),
        (11, "WebhookClient"),
        (12, "say"),
        (13, "getattr"),
    ]


def test_the_allowed_files_exist() -> None:
    # An allowance for a file that moved would let its replacement through unseen.
    assert [path for path in ALLOWED_FILES if not (ROOT / path).is_file()] == []
