"""A random but seeded history of requests, made through the real services with a clock that only moves forward.

People of several departments (and one whose department nobody knows) file requests to IT and HR, which have
agreements, and to Facilities, which has none and works on another continent's calendar. Requests are
acknowledged, taken over, answered in the card's thread, paused on the requester and resumed, resolved (some
while waiting), reopened, transferred, and rated both ways. The SLA sweep runs after the changes of each step
of the clock (minutes to hours), and at the end: so targets also pass unseen before a change, as they do
between two sweeps in production.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.domain.feedback import Direction
from bot.domain.lifecycle import EventKind, State
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.ratings import service as ratings
from bot.requests import filing
from bot.requests import service as requests
from bot.requests.service import RequestDraft, RequestSnapshot
from bot.sla.sweep import sweep
from storage.db import SessionScope
from storage.models import Request

# tests/orgs.py's org, with a department that has no agreement (on its own calendar, in New York), a customer-only
# department, an agreement for one customer, and more people to rate (two raters show an average).
ORG = """
[organization]
timezone = "Europe/Berlin"
anonymity_min = 2

[calendars.office]
days = "mon-fri"
hours = "09:00-17:00"
holidays = "DE"

[calendars.workshop]
timezone = "America/New_York"
days = "mon-sat"
hours = ["07:00-11:30", "12:30-18:00"]
holidays = "US"

[departments.it]
name = "IT Support"
channel = "C0IT"
managers = ["U0ITMGR"]
members = ["U0ALICE", "U0BOB"]
calendar = "office"

[departments.hr]
name = "People & Culture"
channel = "C0HR"
managers = ["U0HRMGR"]
members = ["U0HANNA"]
calendar = "office"

[departments.facilities]
name = "Facilities"
channel = "C0FAC"
managers = ["U0FACMGR"]
members = ["U0FRED", "U0FAY"]
calendar = "workshop"

[departments.sales]
name = "Sales"
channel = "C0SALES"
managers = ["U0SALESMGR"]
members = ["U0SAM", "U0SARA", "U0SVEN"]
calendar = "office"

[departments.finance]
name = "Finance"
channel = "C0FIN"
managers = ["U0FINMGR"]
members = ["U0FIONA"]
calendar = "office"

[[agreements]]
provider = "it"
customer = "*"
first_response = "4h"
resolution = "2d"

[[agreements]]
provider = "it"
customer = "*"
priority = "urgent"
first_response = "30m"
resolution = "4h"

[[agreements]]
provider = "hr"
customer = "*"
first_response = "1d"
resolution = "5d"

[[agreements]]
provider = "hr"
customer = "sales"
first_response = "2h"
resolution = "1d"
"""

STAFF = {
    "it": ("U0ITMGR", "U0ALICE", "U0BOB"),
    "hr": ("U0HRMGR", "U0HANNA"),
    "facilities": ("U0FACMGR", "U0FRED", "U0FAY"),
}
CHANNELS = {"it": "C0IT", "hr": "C0HR", "facilities": "C0FAC"}
PROVIDERS = tuple(STAFF)
STRANGER = "U0STRANGER"  # in no department of the org file, and never says which is theirs
GUEST = "U0GUEST"  # in no department either, but says Finance when filing
# Who files, and the department they file from (None: unknown); one provider's people file to the others.
REQUESTERS: dict[str, str | None] = {
    "U0SAM": "sales", "U0SARA": "sales", "U0SVEN": "sales", "U0SALESMGR": "sales",
    "U0FIONA": "finance", "U0FINMGR": "finance", GUEST: "finance",
    "U0ALICE": "it", "U0HANNA": "hr", "U0FRED": "facilities", STRANGER: None,
}  # fmt: skip
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")

START = datetime(2026, 10, 5, 6, 0, tzinfo=UTC)  # Monday 08:00 in Berlin; Berlin and New York leave DST on the way
END = datetime(2026, 11, 27, 14, 37, tzinfo=UTC)  # Friday, the day after Thanksgiving (closed in New York)


@dataclass
class Tracked:
    """What the history knows of a request, from what the services answered."""

    number: int
    requester: str
    provider: str
    state: State
    responded: bool = False  # a first response in the current provider's turn
    card: tuple[str, str] | None = None
    rated_by: str | None = None  # the department that resolved it first: it rates the request
    resolved_at: datetime | None = None


class History:
    def __init__(self, session_scope: SessionScope, seed: int) -> None:
        self.session_scope = session_scope
        self.rng = random.Random(seed)
        self.requests: list[Tracked] = []
        self.cards = 0
        self.swept = START  # the last sweep
        self.unseen: Counter[str] = Counter()  # clocks stopped after their target passed, before a sweep saw it

    def run(self) -> datetime:
        """Make the history; the instant it ends, when the reports are asked for."""
        with self.session_scope() as session:
            apply_org(session, load_org_text(ORG, "org.toml"))
        now = START
        while (now := now + self._step()) < END:
            with self.session_scope() as session:
                touched: set[int] = set()  # one change per request at an instant
                for _ in range(self.rng.choice((0, 1, 1, 1, 2, 2, 3))):
                    self._change(session, now, touched)
                if self.rng.random() < 0.5:  # late, as a sweep is: targets pass between two, and things happen
                    sweep(session, now)
                    self.swept = now
        with self.session_scope() as session:
            sweep(session, END)
        return END

    def _step(self) -> timedelta:
        """Minutes to hours: bursts of work, and quiet stretches that let targets pass."""
        low, high = self.rng.choice(((1, 20), (1, 20), (20, 120), (20, 120), (120, 600)))
        return timedelta(minutes=self.rng.randint(low, high))

    def _change(self, session: Session, now: datetime, touched: set[int]) -> None:
        candidates = [
            tracked
            for tracked in self.requests
            if tracked.number not in touched
            and (tracked.resolved_at is None or now - tracked.resolved_at < timedelta(days=7))
        ]
        if not candidates or self.rng.random() < 0.3:
            tracked = self._file(session, now)
        else:  # mostly the latest requests, which get done in time; the others whenever someone gets to them
            tracked = self.rng.choice(candidates[-6:] if self.rng.random() < 0.6 else candidates)
            self._work(session, tracked, now)
        touched.add(tracked.number)

    def _file(self, session: Session, now: datetime) -> Tracked:
        requester = self.rng.choice(sorted(REQUESTERS))
        provider = self.rng.choice([p for p in PROVIDERS if p != REQUESTERS[requester]])
        told = "finance" if requester == GUEST else None
        draft = RequestDraft(provider, self.rng.choice(PRIORITIES), "Please help", requester_department_id=told)
        filed = filing.open_request(session, draft, requester, now)
        tracked = Tracked(filed.number, requester, provider, filed.state)
        self._post_card(session, tracked, filed)
        self.requests.append(tracked)
        return tracked

    def _post_card(self, session: Session, tracked: Tracked, snapshot: RequestSnapshot) -> None:
        """What the sender does once the card is posted: its channel and ts recorded on the request."""
        assert snapshot.card_key is not None
        self.cards += 1
        tracked.card = (CHANNELS[tracked.provider], f"1790000000.{self.cards:06d}")
        requests.attach_card(session, tracked.number, snapshot.card_key, *tracked.card)

    def _work(self, session: Session, tracked: Tracked, now: datetime) -> None:
        staff = self.rng.choice(STAFF[tracked.provider])
        choices = {
            State.OPEN: ["acknowledge"] * 3 + ["take", "reply", "pause", "resolve", "transfer"],
            State.ACKNOWLEDGED: ["pause", "resolve", "resolve", "resolve", "transfer", "take"],
            State.WAITING: ["resume", "resume", "resolve", "transfer"],
            State.RESOLVED: ["reopen", "rate", "rate", "rate", "rate"],
        }[tracked.state]
        match self.rng.choice(choices):
            case "acknowledge":
                changed = requests.act(session, tracked.number, EventKind.ACKNOWLEDGED, staff, now)
            case "take":
                changed = requests.act(session, tracked.number, EventKind.ASSIGNED, staff, now)
            case "pause":
                self._note_unseen(session, tracked, "pause", now)
                changed = requests.act(session, tracked.number, EventKind.PAUSED, staff, now)
            case "resume":
                changed = requests.act(session, tracked.number, EventKind.RESUMED, staff, now)
            case "reopen":
                changed = requests.act(session, tracked.number, EventKind.REOPENED, staff, now)
            case "reply":
                changed = self._reply(session, tracked, staff, now)
            case "resolve":
                changed = requests.resolve(session, tracked.number, staff, "Done", now)
                ratings.ask_after_resolve(session, tracked.number, now)  # as the resolve handler does
                tracked.rated_by = tracked.rated_by or tracked.provider
                tracked.resolved_at = now
            case "transfer":
                to = self.rng.choice([p for p in PROVIDERS if p != tracked.provider])
                self._note_unseen(session, tracked, "transfer", now)
                changed = requests.transfer(session, tracked.number, staff, to, now)
                tracked.provider = to
                self._post_card(session, tracked, changed)
            case _:
                self._rate(session, tracked, now)
                return
        tracked.responded = changed.first_response_at is not None
        tracked.state = changed.state
        if tracked.state is not State.RESOLVED:
            tracked.resolved_at = None

    def _note_unseen(self, session: Session, tracked: Tracked, change: str, now: datetime) -> None:
        """Count a pause or a transfer that stops a clock whose target passed since the last sweep."""
        request = session.get(Request, tracked.number)
        assert request is not None
        if request.state == State.WAITING:
            return
        dues = [request.resolution_due]
        if change == "transfer" and request.first_response_at is None:
            dues.append(request.first_response_due)
        if any(due is not None and self.swept < due <= now for due in dues):
            self.unseen[f"a target passed unseen by the sweep before a {change}"] += 1

    def _reply(self, session: Session, tracked: Tracked, staff: str, now: datetime) -> RequestSnapshot:
        assert tracked.card is not None
        if tracked.responded:  # only a first reply is an event
            return requests.act(session, tracked.number, EventKind.ASSIGNED, staff, now)
        replied = requests.record_reply(session, *tracked.card, staff, now)
        assert replied is not None
        return replied

    def _rate(self, session: Session, tracked: Tracked, now: datetime) -> None:
        score = self.rng.randint(1, 5)
        if self.rng.random() < 0.5:
            ratings.rate(session, tracked.number, Direction.CUSTOMER_TO_PROVIDER, tracked.requester, score, now)
        else:
            assert tracked.rated_by is not None
            rater = self.rng.choice(STAFF[tracked.rated_by])
            ratings.rate(session, tracked.number, Direction.PROVIDER_TO_CUSTOMER, rater, score, now)
