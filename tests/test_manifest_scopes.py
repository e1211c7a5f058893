"""manifest.yml asks for exactly the scopes the code uses: each Web API method the code calls (found by reading it,
as tests/test_one_way_out.py does), each event it subscribes to, and its commands and shortcuts, mapped to the scopes
Slack's documentation gives for them."""

import ast
import re
from pathlib import Path

from slack_sdk import WebClient

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "manifest.yml"

METHOD_SCOPES: dict[str, set[str]] = {
    # chat:write.public: posting in a public channel the app was not invited to (a retro's, say)
    "chat_postMessage": {"chat:write", "chat:write.public"},
    "chat_update": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_getPermalink": set(),
    "conversations_open": {"im:write"},
    # a retried post looks for itself in the channel (public or private) or the DM it went to
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_replies": {"channels:history", "groups:history", "im:history"},
    "conversations_list": {"channels:read", "groups:read"},  # public channels, and the private ones it is in
    "files_getUploadURLExternal": {"files:write"},
    "files_completeUploadExternal": {"files:write"},
    "usergroups_list": {"usergroups:read"},
    "usergroups_users_list": {"usergroups:read"},
    # users:read.email "must be requested at the same time as users:read" (Slack's page for the scope)
    "users_lookupByEmail": {"users:read.email", "users:read"},
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),
    "auth_test": set(),
}
EVENT_SCOPES = {
    "app_home_opened": set(),
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "reaction_added": {"reactions:read"},
}
# api_call sends what an outbox row names by its method's name ("chat.postMessage"): those names are counted
API_METHODS = {name for name in dir(WebClient) if not name.startswith("_") and "_" in name} - {"api_call"}


def _methods_called() -> set[str]:
    """Every WebClient method the code names: as an attribute (client.chat_update) or as a string ("chat.update")."""
    found = set()
    for top in ("bot", "handlers"):
        for file in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in API_METHODS:
                    found.add(node.attr)
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    named = node.value.replace(".", "_")
                    if re.fullmatch(r"[a-z]+\.[a-zA-Z.]+", node.value) and named in API_METHODS:
                        found.add(named)
    return found


def _manifest_list(key: str) -> set[str]:
    """The items of a YAML list under ``key:`` in the manifest (no YAML parser in the dependencies)."""
    lines = MANIFEST.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.strip() == f"{key}:")
    indent = len(lines[start]) - len(lines[start].lstrip())
    items = set()
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        if line.strip().startswith("- "):
            items.add(line.strip()[2:])
    return items


def test_the_manifest_asks_for_exactly_the_scopes_the_code_uses() -> None:
    called = _methods_called()
    unknown = called - METHOD_SCOPES.keys()
    assert not unknown, f"add the scopes of {sorted(unknown)} to METHOD_SCOPES (and the manifest)"
    needed = {"commands"}  # /request, /feedback, /inhouse and the message shortcut
    needed |= {scope for method in called for scope in METHOD_SCOPES[method]}
    needed |= {scope for event in _manifest_list("bot_events") for scope in EVENT_SCOPES[event]}
    assert _manifest_list("bot") == needed


def test_the_scan_finds_the_methods_the_directory_and_intake_call() -> None:
    assert {"users_lookupByEmail", "usergroups_users_list", "conversations_list", "chat_getPermalink"} <= (
        _methods_called()
    )
