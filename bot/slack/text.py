"""Text helpers shared by every builder: the one escaping function, dates, mentions."""

import re
from datetime import date, datetime
from typing import Any

_MRKDWN_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})

PRIORITY_LABELS = {"low": "Low", "normal": "Normal", "high": "High", "urgent": "Urgent"}


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean(text: str) -> str:
    """What people typed, without NUL and the other control characters (newline and tab stay).

    PostgreSQL refuses NUL in text, SQLite keeps it; neither shows any of them to anyone.
    """
    return _CONTROL.sub("", text)


def clean_all(value: Any) -> Any:
    """``clean`` every string inside a form's state (dicts and lists), in place where it can."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = clean_all(item)
    elif isinstance(value, list):
        value[:] = [clean_all(item) for item in value]
    return value


def escape(text: str) -> str:
    """User text made inert in mrkdwn: no ``<!channel>``, no hidden links, no mentions."""
    return text.translate(_MRKDWN_ESCAPES)


_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")


def user(user_id: str) -> str:
    """A mention of the user; anything that is no user id (Inhouse itself, as an actor) as escaped text."""
    return f"<@{user_id}>" if _USER_ID.fullmatch(user_id) else escape(user_id)


def channel(channel_id: str) -> str:
    return f"<#{channel_id}>"


def when(instant: datetime) -> str:
    """An instant shown in each reader's own time zone, with a UTC fallback for old clients."""
    fallback = instant.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(instant.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def day(value: date) -> str:
    return value.strftime("%a %d %b %Y")


def request_ref(number: int) -> str:
    return f"#{number}"


def escaped(text: str, limit: int) -> str:
    """``escape(text)`` cut to at most ``limit`` characters without splitting an entity."""
    pieces: list[str] = []
    length = 0
    for char in text:
        piece = char.translate(_MRKDWN_ESCAPES)
        if length + len(piece) > limit - 1:
            return "".join(pieces) + "…"
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces)


def span(minutes: float) -> str:
    """A length of business time for people: ``45m``, ``2h 5m``, ``3d 1h`` (a day is 24 hours here)."""
    total = max(0, round(minutes))
    days, rest = divmod(total, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{mins}m" if mins or not total else ""]
    return " ".join(part for part in parts if part)


def permalink(channel_id: str, ts: str) -> str:
    return f"https://slack.com/archives/{channel_id}/p{ts.replace('.', '')}"
