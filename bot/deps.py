"""Everything a handler or job needs, built once and passed down."""

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.clock import Clock
from bot.config import Settings
from bot.follow_ups import FollowUps
from bot.slack.sender import Sender
from storage.db import SessionScope


@dataclass(frozen=True)
class Deps:
    settings: Settings
    session_scope: SessionScope
    read_scope: SessionScope  # for reads that must not queue behind writers (see storage.db)
    clock: Clock
    slack: WebClient
    after_ack: FollowUps  # work done after Slack has its answer, behind the acks still to give
    outbox: Sender  # delivers every message owed to Slack; ``wake()`` it after a commit that owed one
