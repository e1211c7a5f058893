"""A manager's App Home: each department they manage, with what to act on in its relationships."""

from datetime import datetime

from slack_sdk.models.blocks import Block
from sqlmodel import Session

from bot.relationships import blocks, seen
from bot.relationships.service import build_map
from storage import directory


def home_blocks(session: Session, user: str, now: datetime) -> list[Block]:
    """For a manager's App Home: each managed department's findings (nothing for anyone else)."""
    managed = directory.managed_by(session, user)
    if not managed:
        return []
    built = build_map(session, now)
    return [
        block
        for department in managed
        if department in {d.id for d in built.departments}
        for block in blocks.home_blocks(built, department, seen.seen_by(session, built, user, [department]))
    ]
