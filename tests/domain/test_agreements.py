from dataclasses import dataclass

import pytest

from bot.domain.agreements import best_match


@dataclass(frozen=True)
class Terms:
    customer: str
    priority: str
    name: str


CANDIDATES = [
    Terms("*", "*", "catch-all"),
    Terms("*", "urgent", "any urgent"),
    Terms("sales", "*", "sales"),
    Terms("sales", "urgent", "sales urgent"),
]


@pytest.mark.parametrize(
    ("customer", "priority", "expected"),
    [
        ("sales", "urgent", "sales urgent"),
        ("sales", "low", "sales"),
        ("hr", "urgent", "any urgent"),
        ("hr", "normal", "catch-all"),
        (None, "urgent", "any urgent"),
    ],
)
def test_the_most_specific_agreement_wins(customer: str | None, priority: str, expected: str) -> None:
    match = best_match(CANDIDATES, customer, priority)
    assert match is not None
    assert match.name == expected


def test_no_agreement_applies_when_nothing_matches() -> None:
    assert best_match([Terms("sales", "*", "sales")], "hr", "normal") is None
