"""The service catalog: what a department offers, what the requester fills in for it, and the answers. Pure.

A service belongs to one department and has an id unique in the org file (reports group requests by it). Its
fields become inputs of the request modal; the limits below keep the modal and the card inside Slack's.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Final, Literal, get_args

FieldType = Literal["text", "long_text", "select", "date", "user", "number"]
FIELD_TYPES: Final[tuple[str, ...]] = get_args(FieldType)

MAX_SERVICES = 100  # per department: a static select offers at most 100 options
MAX_FIELDS = 20  # per service: with the form's own inputs, far below a modal's 100 blocks
MAX_OPTIONS = 100  # per select field, Slack's limit
OPTION_MAX = 75  # characters of an option's text, Slack's limit
LABEL_MAX = 100
DESCRIPTION_MAX = 1000
PROVIDES_MAX = 10  # lines of requester_provides
PROVIDES_LINE_MAX = 200
TEXT_ANSWER_MAX = 500
LONG_TEXT_ANSWER_MAX = 2000


@dataclass(frozen=True)
class Field:
    """One input the requester fills in for a service."""

    id: str
    label: str
    type: FieldType
    options: tuple[str, ...] = ()
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "options": list(self.options)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Field":
        return cls(
            id=data["id"],
            label=data["label"],
            type=data["type"],
            options=tuple(data.get("options") or ()),
            required=bool(data.get("required")),
        )


@dataclass(frozen=True)
class Service:
    id: str
    department: str
    name: str
    description: str = ""
    priority: str | None = None
    """The priority the request modal starts with; None: normal."""
    first_response: str | None = None
    """A target of its own (``4h``), overriding the department's agreement; None: the agreement's."""
    resolution: str | None = None
    fields: tuple[Field, ...] = ()
    requester_provides: tuple[str, ...] = ()

    def field(self, field_id: str) -> Field | None:
        return next((field for field in self.fields if field.id == field_id), None)


@dataclass(frozen=True)
class Answer:
    """What the requester gave for one field, kept with the request as it was asked.

    ``value`` is text: a user id for ``user``, an ISO date for ``date``, the chosen option's text for ``select``.
    """

    field_id: str
    label: str
    type: FieldType
    value: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Answer":
        return cls(field_id=data["field_id"], label=data["label"], type=data["type"], value=data["value"])
