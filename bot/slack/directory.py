"""Who and where, looked up in the Web API: a person by email, a user group by handle and its members, a channel by
name. Reads only; each answer is kept for the run (a person named in five places is looked up once).

The client's RateLimitErrorRetryHandler (bot.slack.client.directory_client) waits out a 429 for as long as its
Retry-After says, so a big org file takes as long as Slack's tiers allow (users.lookupByEmail is tier 3, about 50
a minute once a burst is spent; the lists are tier 2 and paged), and never fails for it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

CHANNELS_PAGE = 200  # Slack advises no more than 200 a page
NOT_FOUND = frozenset({"users_not_found", "user_not_found", "no_such_subteam"})
Progress = Callable[[int, int], None]  # (looked up so far, to look up)


class LookupFailed(Exception):
    """Slack refused a look-up for a reason that is not "no such one": its error (``missing_scope``, …) says why."""


@dataclass(frozen=True)
class Group:
    id: str
    handle: str
    name: str
    users: tuple[str, ...]


class SlackDirectory:
    """Look-ups in one workspace, each made at most once per instance."""

    def __init__(self, client: WebClient, progress: Progress | None = None) -> None:
        self._client = client
        self._progress = progress
        self._emails: dict[str, str | None] = {}
        self._groups: dict[str, Group] | None = None  # by handle, without their members
        self._members: dict[str, tuple[str, ...] | None] = {}  # group id -> its members (None: it is gone)
        self._channels: dict[str, str] | None = None  # name -> id
        self._planned = 0

    def expect(self, emails: int) -> None:
        """How many emails are to be looked up, for the progress line."""
        self._planned = emails

    def user_by_email(self, email: str) -> str | None:
        """The user id of whoever has this email in the workspace, None if nobody does."""
        key = email.lower()
        if key not in self._emails:
            self._emails[key] = self._lookup_email(key)
            if self._progress is not None:
                self._progress(len(self._emails), max(self._planned, len(self._emails)))
        return self._emails[key]

    def group(self, handle: str) -> Group | None:
        """The enabled user group ``@handle`` with its members, None if there is none."""
        listed = self._all_groups().get(handle.lower())
        members = self.members(listed.id) if listed is not None else None
        return Group(listed.id, listed.handle, listed.name, members) if listed and members is not None else None

    def members(self, group_id: str) -> tuple[str, ...] | None:
        """The members of the user group ``group_id``, None when it no longer exists (or was disabled)."""
        if group_id not in self._members:
            answer = self._call(lambda: self._client.usergroups_users_list(usergroup=group_id))
            self._members[group_id] = None if answer is None else tuple(str(u) for u in answer.get("users") or [])
        return self._members[group_id]

    def groups(self) -> dict[str, Group]:
        """Every enabled user group by handle (members not filled in)."""
        return dict(self._all_groups())

    def channel(self, name: str) -> str | None:
        """The id of the channel ``name`` (without #) the app can see: every public one, the private ones it is in."""
        if self._channels is None:
            self._channels = self._all_channels()
        return self._channels.get(name.lower())

    def _lookup_email(self, email: str) -> str | None:
        answer = self._call(lambda: self._client.users_lookupByEmail(email=email))
        return str(answer["user"]["id"]) if answer is not None else None

    def _all_groups(self) -> dict[str, Group]:
        if self._groups is None:
            answer = self._call(lambda: self._client.usergroups_list(include_disabled=False)) or {}
            self._groups = {
                str(group["handle"]).lower(): Group(str(group["id"]), str(group["handle"]), str(group["name"]), ())
                for group in answer.get("usergroups") or []
            }
        return self._groups

    def _all_channels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        cursor = None
        while True:
            page = self._call(partial(self._channel_page, cursor)) or {}
            for channel in page.get("channels") or []:
                found.setdefault(str(channel["name"]).lower(), str(channel["id"]))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return found

    def _channel_page(self, cursor: str | None) -> Any:
        return self._client.conversations_list(
            types="public_channel,private_channel", exclude_archived=True, limit=CHANNELS_PAGE, cursor=cursor
        )

    @staticmethod
    def _call(call: Callable[[], Any]) -> Any:
        """The method's answer; None for "no such one"; LookupFailed for any other refusal."""
        try:
            return call()
        except SlackApiError as error:
            reason = str(error.response.get("error") or f"HTTP {error.response.status_code}")
            if reason in NOT_FOUND:
                return None
            raise LookupFailed(reason) from error
