"""Filing a new request in two steps: the reads, then a writer's turn that holds only the writes.

On SQLite writers take turns, and every other writer waits while one holds the turn. So ``prepare_filing``
(the org, the agreement, the business-hours clocks) runs in a read-only scope, and ``file_request`` writes
the rows: the request, its CREATED event, the key of its card; ``bot.requests.outbound.filed`` then owes the
card and the requester's confirmation in the same turn, with one INSERT. An org file applied between the two
is caught: ``file_request`` prepares again with it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.agreements import clocks as sla_clocks
from bot.domain.lifecycle import Event, EventKind, State
from bot.errors import NotFound
from bot.requests.service import (
    RequestDraft,
    RequestSnapshot,
    apply_promise,
    card_key,
    event_row,
    filed_from,
    set_card_key,
    snapshot_of,
)
from storage import directory, org_snapshot, rows
from storage.models import Request
from storage.org_snapshot import OrgDepartment, OrgSnapshot


@dataclass(frozen=True)
class Filing:
    """A request ready to be written, and what it was prepared from."""

    draft: RequestDraft
    requester: str
    now: datetime
    org_version: str | None
    request: Request  # not in any session yet
    provider: OrgDepartment
    customer_name: str | None


def prepare_filing(
    session: Session, draft: RequestDraft, requester: str, now: datetime, *, view_id: str | None = None
) -> Filing:
    """``view_id``: the modal it comes from, if any; a request is filed once per modal."""
    org = org_snapshot.current(session)
    provider = _active(org, draft.provider_id)
    told = draft.requester_department_id
    customer = _active(org, told).id if told is not None else directory.home_department(session, requester)
    request = Request(
        provider_id=provider.id,
        requester_id=requester,
        requester_department_id=customer,
        priority=draft.priority,
        description=draft.description,
        needed_by=draft.needed_by,
        state=State.OPEN,
        created_at=now,
        updated_at=now,
        view_id=view_id,
        service_id=draft.service_id,
        answers=[answer.to_dict() for answer in draft.answers] or None,
        source_channel=draft.source.channel if draft.source else None,
        source_ts=draft.source.ts if draft.source else None,
        source_link=draft.source.link if draft.source else None,
    )
    apply_promise(session, request, provider, now)
    request.next_check_at = sla_clocks.first_check(request)
    customer_department = org.departments.get(customer) if customer is not None else None
    customer_name = customer_department.name if customer_department else None
    return Filing(draft, requester, now, org.version, request, provider, customer_name)


def file_request(session: Session, filing: Filing) -> RequestSnapshot | None:
    """Write the prepared request, its CREATED event and its card's key; NotFound if its department just left.

    None, and nothing written, when a request was filed from the same modal already (its view submitted twice).
    """
    view_id = filing.request.view_id
    if org_snapshot.current(session).version != filing.org_version:  # an org file was applied since the reads
        filing = prepare_filing(session, filing.draft, filing.requester, filing.now, view_id=view_id)
    request = filing.request
    if view_id is None:
        request.id = rows.insert_returning_id(session, request)
    else:
        try:
            with session.begin_nested():  # the view id is unique: a twin submission may have filed it first
                request.id = rows.insert_returning_id(session, request)
        except IntegrityError:
            if filed_from(session, view_id) is None:
                raise
            return None
    if filing.draft.requester_department_id is not None:
        directory.remember_home(session, request.requester_id, filing.draft.requester_department_id)
    created = Event(EventKind.CREATED, request.requester_id, request.created_at, provider=request.provider_id)
    row = event_row(request.id, created, department=request.provider_id, customer=request.requester_department_id)
    rows.insert_returning_id(session, row)
    request.card_key = card_key(request.id)  # its number is known only now
    set_card_key(session, request.id, request.card_key)
    service = org_snapshot.current(session).services.get(request.service_id or "")
    # a new request: no alerts, no ratings
    return snapshot_of(request, filing.provider, filing.customer_name, service_name=service.name if service else None)


def open_request(session: Session, draft: RequestDraft, requester: str, now: datetime) -> RequestSnapshot:
    """Prepare and file in one transaction (the CLI and tests; it owes Slack nothing)."""
    filed = file_request(session, prepare_filing(session, draft, requester, now))
    assert filed is not None  # filed from no modal: never a second time
    return filed


def _active(org: OrgSnapshot, department_id: str) -> OrgDepartment:
    department = org.active_department(department_id)
    if department is None:
        raise NotFound(f"There is no department {department_id!r}.")
    return department
