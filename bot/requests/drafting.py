"""What the request modal offers while it is filled in: the departments, the chosen one's services, the chosen
service's fields; read from the org snapshot each time the modal opens or changes. And what ``/request TEXT``
answers instead of a form: the catalog, for help, a department that does not exist, or a newcomer."""

from collections.abc import Sequence
from dataclasses import replace

from sqlmodel import Session

from bot.domain.services import Service
from bot.requests import form_input
from bot.requests import service as requests
from bot.requests.catalog_message import catalog_message
from bot.requests.request_modal import Filled, RequestForm
from bot.requests.service import Source
from bot.slack.forms import StateValues
from bot.slack.message import Message
from bot.slack.messages import ChannelMessage
from storage import org_snapshot


def catalog(session: Session) -> dict[str, list[Service]]:
    """What each department offers now, by department id (departments that offer nothing are left out)."""
    org = org_snapshot.current(session)
    return {department_id: org.offered(department_id) for department_id in org.catalog}


def for_command(session: Session, user: str, text: str) -> RequestForm | Message | None:
    """What ``/request TEXT`` opens: the form with a leading department (or service) chosen and the rest as the
    description; or the catalog for ``help``, a department that does not exist, or a bare ``/request`` from someone
    whose department Inhouse does not know. None when there is no department to ask."""
    departments = requests.departments(session)
    if not departments:
        return None
    offered = catalog(session)
    services = {service.id: department for department, listed in offered.items() for service in listed}
    asked = form_input.split_prefill(text, dict(departments), services)
    newcomer = not text.strip() and not requests.knows_home(session, user)
    if asked.help or asked.unknown is not None or newcomer:
        return catalog_message(departments, offered, unknown=asked.unknown, newcomer=newcomer)
    service = org_snapshot.current(session).services.get(asked.service) if asked.service else None
    return _form(session, user, departments, asked.provider, service, Filled(description=asked.description))


def from_message(session: Session, user: str, message: ChannelMessage, source: Source) -> RequestForm | None:
    """The modal for a message turned into a request: its text, a link to it, from its author (or, for a bot's
    message, from the person turning it). None when there is no department to ask."""
    departments = requests.departments(session)
    if not departments:
        return None
    form = _form(session, user, departments, None, None, Filled(description=message.text))
    return _with_source(form, source, message.author or user)


def updated_form(
    session: Session, user: str, values: StateValues, source: Source | None, requester: str | None
) -> RequestForm:
    """The modal after a department or a service was chosen in it, with what was filled in so far."""
    departments = requests.departments(session)
    provider, service_id = form_input.chosen(values)
    offered = org_snapshot.current(session).offered(provider) if provider else []
    service = next((s for s in offered if s.id == service_id), None)
    form = _form(session, user, departments, provider, service, form_input.filled(values, service))
    return _with_source(form, source, requester) if source is not None else form


def _with_source(form: RequestForm, source: Source, requester: str | None) -> RequestForm:
    """From a message, the modal asks whom the request is from instead of the filer's own department."""
    return replace(form, ask_home_department=False, source=source, requester=requester)


def _form(
    session: Session,
    user: str,
    departments: Sequence[tuple[str, str]],
    provider: str | None,
    service: Service | None,
    filled: Filled,
) -> RequestForm:
    known = provider is not None and any(department_id == provider for department_id, _ in departments)
    return RequestForm(
        departments=departments,
        provider=provider if known else None,
        services=org_snapshot.current(session).offered(provider) if provider and known else (),
        service=service,
        ask_home_department=not requests.knows_home(session, user),
        filled=filled,
    )
