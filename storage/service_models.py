"""The service catalog as last applied from the org file: what each department offers.

A service that leaves the file is deactivated, not deleted: requests filed under it keep it.
"""

from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from bot.domain import services


class Service(SQLModel, table=True):
    __tablename__ = "service"

    id: str = Field(primary_key=True, max_length=64)
    department_id: str = Field(foreign_key="department.id", max_length=64)
    position: int  # its place in the org file: the order the request modal offers it in
    name: str = Field(max_length=200)
    description: str = ""
    priority: str | None = Field(default=None, max_length=16)  # the modal's starting priority
    first_response: str | None = Field(default=None, max_length=16)  # overrides the department's agreement
    resolution: str | None = Field(default=None, max_length=16)
    fields: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    requester_provides: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    active: bool = True

    def spec(self) -> services.Service:
        return services.Service(
            id=self.id,
            department=self.department_id,
            name=self.name,
            description=self.description,
            priority=self.priority,
            first_response=self.first_response,
            resolution=self.resolution,
            fields=tuple(services.Field.from_dict(field) for field in self.fields),
            requester_provides=tuple(self.requester_provides),
        )
