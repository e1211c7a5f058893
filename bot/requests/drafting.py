"""What the request modal offers while it is filled in: the departments, the chosen one's services, the chosen
service's fields; read from the org snapshot each time the modal opens or changes."""

from collections.abc import Sequence

from sqlmodel import Session

from bot.domain.services import Service
from bot.requests import form_input
from bot.requests import service as requests
from bot.requests.request_modal import Filled, RequestForm
from bot.slack.forms import StateValues
from storage import org_snapshot


def catalog(session: Session) -> dict[str, list[Service]]:
    """What each department offers now, by department id (departments that offer nothing are left out)."""
    org = org_snapshot.current(session)
    return {department_id: org.offered(department_id) for department_id in org.catalog}


def new_form(session: Session, user: str, text: str) -> RequestForm | None:
    """The modal ``/request TEXT`` opens: a leading department preselected, the rest as the description.

    None when there is no department to ask.
    """
    departments = requests.departments(session)
    if not departments:
        return None
    provider, description = form_input.split_prefill(text, dict(departments))
    return _form(session, user, departments, provider, None, Filled(description=description))


def updated_form(session: Session, user: str, values: StateValues) -> RequestForm:
    """The modal after a department or a service was chosen in it, with what was filled in so far."""
    departments = requests.departments(session)
    provider, service_id = form_input.chosen(values)
    offered = org_snapshot.current(session).offered(provider) if provider else []
    service = next((s for s in offered if s.id == service_id), None)
    return _form(session, user, departments, provider, service, form_input.filled(values, service))


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
