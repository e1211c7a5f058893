"""The org file's ``[[services]]`` as the catalog in the database: part of applying the org file."""

from sqlmodel import Session, col, select

from bot.org.model import OrgConfig
from storage.service_models import Service


def apply_services(session: Session, org: OrgConfig) -> int:
    """Upsert each service; one that left the file is deactivated (requests filed under it keep it)."""
    for position, spec in enumerate(org.services):
        session.merge(
            Service(
                id=spec.id,
                department_id=spec.department,
                position=position,
                name=spec.name,
                description=spec.description,
                priority=spec.priority,
                first_response=str(spec.first_response) if spec.first_response else None,
                resolution=str(spec.resolution) if spec.resolution else None,
                fields=[field.to_dict() for field in spec.fields],
                requester_provides=list(spec.requester_provides),
                active=True,
            )
        )
    keep = {spec.id for spec in org.services}
    for gone in session.exec(select(Service).where(col(Service.id).not_in(keep), col(Service.active))):
        gone.active = False
        session.add(gone)
    session.flush()
    return len(org.services)
