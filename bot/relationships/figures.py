"""What the map holds: departments, edges provider -> customer with what each side declared and what flowed, and
the findings to act on. Pure shapes, read by the text, the JSON, the DOT, the picture and Slack."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Kind = Literal["no_agreement", "undeclared", "no_traffic", "one_sided", "strained"]
KINDS: tuple[Kind, ...] = ("strained", "no_agreement", "one_sided", "no_traffic", "undeclared")  # most urgent first


@dataclass(frozen=True)
class Department:
    id: str
    name: str
    people: int
    """Its members and managers."""


@dataclass(frozen=True)
class Edge:
    """``provider`` serves ``customer``: what each side declared in the last check-up, what flowed in the period."""

    provider: str
    customer: str
    requests: int = 0
    first_response_attainment: float | None = None
    resolution_attainment: float | None = None
    rating_average: float | None = None
    """The customer's rating of the provider (None below anonymity_min raters)."""
    request_rating_average: float | None = None
    """The provider's rating of the customer's requests, likewise."""
    declared_by_provider: float | None = None
    """The share of the provider's respondents who said the customer depends on them (None: nobody answered)."""
    declared_by_customer: float | None = None
    """The share of the customer's respondents who said they depend on the provider."""
    complaints: float | None = None
    """The share of the provider's respondents who said the customer complains about their work."""
    agreement: bool = False
    p80_first_response_minutes: float | None = None
    p80_resolution_minutes: float | None = None

    def row(self) -> dict[str, Any]:
        """The JSON's edge, as issue 13 gives it."""
        return {
            "provider": self.provider,
            "customer": self.customer,
            "requests": self.requests,
            "first_response_attainment": _rounded(self.first_response_attainment, 4),
            "resolution_attainment": _rounded(self.resolution_attainment, 4),
            "rating_average": _rounded(self.rating_average, 2),
            "declared_by_provider": _rounded(self.declared_by_provider, 4),
            "declared_by_customer": _rounded(self.declared_by_customer, 4),
            "agreement": self.agreement,
        }


def _rounded(value: float | None, places: int) -> float | None:
    return round(value, places) if value is not None else None


@dataclass(frozen=True)
class Finding:
    kind: Kind
    provider: str
    customer: str
    reason: str
    proposal: Mapping[str, Any] | None = None
    """no_agreement: the targets and the [[agreements]] entry to paste; strained: the pair retro to add, if none."""

    def row(self) -> dict[str, Any]:
        proposal = dict(self.proposal) if self.proposal is not None else None
        return {
            "kind": self.kind,
            "provider": self.provider,
            "customer": self.customer,
            "reason": self.reason,
            "proposal": proposal,
        }

    def concerns(self, departments: frozenset[str]) -> bool:
        return self.provider in departments or self.customer in departments


@dataclass(frozen=True)
class Context:
    """What findings are judged against, besides the edges."""

    days: int
    names: Mapping[str, str]
    day_minutes: Mapping[str, int]
    """Each provider's working day, in minutes: what a proposed ``d`` is worth."""
    channels: Mapping[str, str]
    pair_retros: frozenset[frozenset[str]]
    """The pairs with a retro scheduled."""
    checkup: bool
    """Whether a check-up has closed: without one nothing is declared, and nothing is said about declarations."""


@dataclass(frozen=True)
class RelationshipMap:
    start: datetime
    end: datetime
    days: int
    departments: Sequence[Department]
    edges: Sequence[Edge]
    findings: Sequence[Finding] = ()
    checkup_closed: datetime | None = None
    """When the check-up whose answers are declared here closed (None: no check-up yet)."""
    context: Context | None = None

    def name(self, department: str) -> str:
        return self.context.names.get(department, department) if self.context is not None else department

    def as_json(self) -> dict[str, Any]:
        return {
            "departments": [{"id": d.id, "name": d.name, "people": d.people} for d in self.departments],
            "edges": [edge.row() for edge in self.edges],
            "findings": [finding.row() for finding in self.findings],
        }
