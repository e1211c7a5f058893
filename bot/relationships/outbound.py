"""The map owed to someone's DM (``/inhouse map``).

The map is rendered when the sender sends it (its figures and its picture are slow work: never before an ack), as
of the instant it was asked, so a retry shows the same map: the picture is uploaded privately and shown through an
image block, with the findings that concern the asker's departments.
"""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.errors import NotFound
from bot.relationships import blocks, chart, seen
from bot.relationships.service import DEFAULT_DAYS, build_map
from bot.slack import files
from bot.slack import outbox as owed
from bot.slack.outbox import POST, Owed
from bot.slack.sender import Call, Kinds, slack
from storage.models import Outbox

MAP = "relationship_map"
USAGE = "`/inhouse map [7d|30d|90d|180d|365d]`, e.g. `/inhouse map 30d`"
WINDOWS = ("7d", "30d", "90d", "180d", "365d")


def days_of(words: list[str]) -> int:
    """The period after ``map``: none (90 days) or one of WINDOWS; NotFound with the usage otherwise."""
    if not words:
        return DEFAULT_DAYS
    if len(words) == 1 and words[0].lower() in WINDOWS:
        return int(words[0].lower().removesuffix("d"))
    raise NotFound(f"Give one period at most ({', '.join(WINDOWS)}). Try {USAGE}.")


def ask(session: Session, user: str, days: int, now: datetime, *, key: str) -> None:
    """Owe ``user`` the map in their DM, as of ``now``."""
    payload = {"at": now.isoformat(), "days": days, "viewer": user}
    owed.owe(session, [Owed(f"map:{key}", user, kind=MAP, payload=payload, lane=f"map:{key}")], now)


ON_ITS_WAY = "The map is on its way to your DMs with Inhouse: who serves whom, and what concerns your department."


def render_map(session: Session, rows: Sequence[Outbox], _now: datetime) -> Call:
    (row,) = rows
    at, days, viewer = datetime.fromisoformat(row.payload["at"]), int(row.payload["days"]), str(row.payload["viewer"])
    built = build_map(session, at, days)
    picture = files.upload(slack(), filename="map.png", content=chart.map_chart(built), title="Who serves whom")
    departments = seen.departments_of(session, viewer)
    message = blocks.map_message(built, picture, seen.seen_by(session, built, viewer, departments), departments)
    return Call(POST, {"channel": row.recipient, **message.as_kwargs()})


KINDS = Kinds(renderers={MAP: render_map})
