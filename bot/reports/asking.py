"""Asking for a report in Slack: ``/inhouse report [department] [7d|30d|90d|quarter]`` and App Home's button.

What is asked is checked and owed at once (a few reads and one INSERT); the figures, the chart and the CSV
are made when the sender delivers the report to the person's DM.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.errors import NotAllowed, NotFound
from bot.reports import access, outbound, service
from bot.reports.figures import Period
from bot.slack import outbox as owed
from bot.slack.message import Message
from bot.slack.text import escape
from storage import directory, org_snapshot

WINDOWS = ("7d", "30d", "90d", "quarter")
USAGE = "`/inhouse report [department] [7d|30d|90d|quarter]`, e.g. `/inhouse report it 90d`"


@dataclass(frozen=True)
class Wanted:
    department: str | None  # as typed: an id or a name; None for the asker's own
    window: str = "30d"


def parse(words: list[str]) -> Wanted:
    """The words after ``report``: a window anywhere, the rest a department; NotFound when they make no sense."""
    windows = [word for word in words if word.lower() in WINDOWS]
    if len(windows) > 1:
        raise NotFound(f"Give one period at most ({', '.join(WINDOWS)}). Try {USAGE}.")
    rest = " ".join(word for word in words if word.lower() not in WINDOWS).strip()
    return Wanted(rest or None, windows[0].lower() if windows else "30d")


def period(session: Session, window: str, now: datetime) -> Period:
    zone = service.org_zone(session)
    if window == "quarter":
        return service.quarter(zone, now)
    return service.last_days(zone, now, int(window.removesuffix("d")))


def ask(session: Session, user: str, wanted: Wanted, now: datetime, *, key: str) -> str:
    """Owe ``user`` the report they asked for, in their DM; the department's name. NotFound or NotAllowed
    (with a sentence for them) when there is no such department or they may not see it.
    """
    department = _department(session, user, wanted.department)
    name = org_snapshot.current(session).departments[department].name
    viewer = service.viewer(session, user)
    refusal = access.refusal(viewer, department, name)
    if refusal is not None:
        raise NotAllowed(refusal)
    customer_side = department if viewer.sees_as_customer(department) else None
    asked = outbound.Asked(period(session, wanted.window, now), department, customer_side=customer_side, viewer=user)
    owed.owe(session, outbound.report(key, user, asked), now)
    return name


def on_its_way(name: str) -> str:
    return f"The report of {escape(name)} is on its way to your DMs with Inhouse: figures, a chart and a CSV."


def ask_from_home(session: Session, user: str, department: str, now: datetime, *, key: str) -> None:
    """App Home's button: like ``ask``; a refusal (the department left the org file) goes to the person's DM,
    since a Home tab has no way to answer a click privately.
    """
    try:
        ask(session, user, Wanted(department), now, key=key)
    except (NotFound, NotAllowed) as refusal:
        owed.owe(session, [owed.post(f"report:{key}:refused", user, Message(text=str(refusal)))], now)


def _department(session: Session, user: str, typed: str | None) -> str:
    org = org_snapshot.current(session)
    if typed is None:
        home = directory.home_department(session, user)
        if home is None:
            raise NotFound(f"Inhouse does not know your department: name one, as in {USAGE}.")
        return home
    wanted = typed.lower().lstrip("#")
    for department in org.departments.values():
        if department.active and wanted in (department.id.lower(), department.name.lower()):
            return department.id
    known = ", ".join(f"`{escape(d.id)}` ({escape(d.name)})" for d in org.departments.values() if d.active)
    raise NotFound(f"There is no department “{escape(typed)}”. Departments: {known}.")
