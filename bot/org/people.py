"""What a change of who works where owes: people who left a department can no longer work its requests, so the
open ones still assigned to them are flagged to its managers; a department that leaves the org file hands its open
requests on (``--transfer-open-to``), or the change is refused.
"""

from collections.abc import Mapping
from datetime import datetime

from slack_sdk.models.blocks import SectionBlock
from sqlmodel import Session, col, select

from bot.requests import outbound
from bot.requests import service as requests
from bot.slack.message import Message
from bot.slack.outbox import owe, post
from bot.slack.text import escape, request_ref, user
from storage import directory
from storage.models import Department, Membership

Staff = dict[str, frozenset[str]]  # department id -> its managers and members


class OpenRequestsLeft(Exception):
    """Departments would leave with open requests: nothing was applied."""

    def __init__(self, left: Mapping[str, list[int]]) -> None:
        self.left = dict(left)
        named = "; ".join(
            f"{department} has {len(numbers)} open ({', '.join(request_ref(n) for n in numbers[:10])}"
            f"{', …' if len(numbers) > 10 else ''})"
            for department, numbers in left.items()
        )
        super().__init__(
            f"The org file no longer has departments with open requests: {named}. Nothing was applied. "
            "Move them with --transfer-open-to DEPT, or keep those departments until their requests are resolved."
        )


def staff(session: Session) -> Staff:
    found: dict[str, set[str]] = {}
    for department_id, user_id in session.exec(select(Membership.department_id, Membership.user_id)):
        found.setdefault(department_id, set()).add(user_id)
    return {department_id: frozenset(users) for department_id, users in found.items()}


def open_in_leaving(session: Session, keep: set[str]) -> dict[str, list[int]]:
    """The open requests of the active departments not in ``keep``, by department."""
    leaving = session.exec(select(Department.id).where(col(Department.active), col(Department.id).not_in(keep)))
    found = {department: [r.number for r in requests.open_queue(session, department)] for department in leaving}
    return {department: numbers for department, numbers in found.items() if numbers}


def hand_on(session: Session, left: Mapping[str, list[int]], to_department: str, now: datetime) -> int:
    """Transfer each open request of the departments that left to ``to_department``, as Inhouse; how many."""
    for department, numbers in left.items():
        note = f"{department} left the org file"
        for number in numbers:
            old = requests.get(session, number)
            new = requests.move_away(session, number, to_department, now, note)
            outbound.transferred(session, old, new, requests.INHOUSE, note, now)
    return sum(len(numbers) for numbers in left.values())


def flag_leavers(session: Session, before: Staff, after: Staff, now: datetime, why: str) -> dict[str, set[str]]:
    """Who left each department between ``before`` and ``after``; each manager hears of the open requests still
    assigned to them (a DM through the outbox). ``why``: what changed, for the message (``the org file``)."""
    left = {d: set(users - after.get(d, frozenset())) for d, users in before.items()}
    left = {department: users for department, users in left.items() if users}
    for department_id, users in left.items():
        assigned = [r for r in requests.open_queue(session, department_id) if r.assignee_id in users]
        if not assigned:
            continue
        name = assigned[0].provider_name
        managers = directory.managers_of(session, department_id)
        for person in sorted({r.assignee_id for r in assigned if r.assignee_id}):
            mine = [r.number for r in assigned if r.assignee_id == person]
            message = _left_with_requests(person, name, mine, why)
            stamp = now.strftime("%Y%m%dT%H%M%S")
            owe(session, [post(f"left:{department_id}:{person}:{stamp}:{m}", m, message) for m in managers], now)
    return left


def _left_with_requests(person: str, department: str, numbers: list[int], why: str) -> Message:
    refs = ", ".join(f"*{request_ref(number)}*" for number in numbers)
    text = (
        f"{user(person)} is no longer in *{escape(department)}* ({escape(why)}), so they can no longer work its "
        f"requests. Still assigned to them: {refs}. Take them over, or hand them on, from their cards."
    )
    fallback = f"{escape(department)}: requests assigned to someone who left"
    return Message(text=fallback, blocks=[SectionBlock(text=text)])
