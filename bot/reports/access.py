"""Who may see which figures (issue 12): a department's people see how it serves others; its managers also see
how it is served; the org's admins see everything. Ratings of a department that keeps its feedback private
(``feedback_private``) are for its managers (and the admins) alone.
"""

from dataclasses import dataclass, replace

from bot.reports.figures import PairFigures, Report


@dataclass(frozen=True)
class Viewer:
    """A person asking for a report, as the org file knows them."""

    user: str
    admin: bool = False
    staff_of: frozenset[str] = frozenset()  # departments they work in (member or manager)
    manager_of: frozenset[str] = frozenset()

    def sees_as_provider(self, department: str) -> bool:
        return self.admin or department in self.staff_of or department in self.manager_of

    def sees_as_customer(self, department: str) -> bool:
        return self.admin or department in self.manager_of

    def sees_ratings_of(self, department: str, private: frozenset[str]) -> bool:
        return department not in private or self.admin or department in self.manager_of


def refusal(viewer: Viewer, department: str, name: str, *, as_customer: bool = False) -> str | None:
    """Why ``viewer`` may not see ``department``'s figures (None when they may): a sentence for them."""
    if as_customer and not viewer.sees_as_customer(department):
        return f"Only the managers of {name} and the Inhouse admins see how {name} is served by others."
    if not as_customer and not viewer.sees_as_provider(department):
        return (
            f"Only the people of {name} and the Inhouse admins see its report. "
            "Ask one of its managers, or type `/inhouse report` for your own department."
        )
    return None


def without_hidden_ratings(report: Report, viewer: Viewer, private: frozenset[str]) -> Report:
    """The report with the averages of ratings ``viewer`` may not see taken out (their counts stay)."""

    def shown(pair: PairFigures) -> PairFigures:
        if pair.provider in private and not viewer.sees_ratings_of(pair.provider, private):
            pair = replace(pair, rating_average=None)
        if pair.customer in private and not viewer.sees_ratings_of(pair.customer, private):
            pair = replace(pair, request_rating_average=None)
        return pair

    total = report.total
    if report.provider is not None and not viewer.sees_ratings_of(report.provider, private):
        total = replace(total, rating_average=None)
    if report.customer is not None and not viewer.sees_ratings_of(report.customer, private):
        total = replace(total, request_rating_average=None)
    return replace(report, pairs=[shown(pair) for pair in report.pairs], total=total)
