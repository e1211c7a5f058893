from datetime import date
from typing import Any

from bot.ids import Action, BlockId
from bot.requests.form_input import parse_request, split_prefill
from bot.requests.service import RequestDraft
from bot.slack.forms import Errors

TODAY = date(2026, 11, 23)


def state(
    department: str | None = "it",
    priority: str | None = "high",
    description: str | None = "Laptop won't boot",
    needed_by: str | None = None,
    home: str | None = None,
    ask_home: bool = False,
) -> dict[str, Any]:
    def selected(value: str | None) -> dict[str, Any]:
        return {"type": "static_select", "selected_option": {"value": value} if value else None}

    values: dict[str, Any] = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: selected(department)},
        BlockId.PRIORITY: {Action.PRIORITY: selected(priority)},
        BlockId.DESCRIPTION: {Action.DESCRIPTION: {"type": "plain_text_input", "value": description}},
        BlockId.NEEDED_BY: {Action.NEEDED_BY: {"type": "datepicker", "selected_date": needed_by}},
    }
    if ask_home:
        values[BlockId.REQUESTER_DEPARTMENT] = {Action.REQUESTER_DEPARTMENT: selected(home)}
    return values


def test_a_complete_form_becomes_a_draft() -> None:
    assert parse_request(state(needed_by="2026-12-01"), today=TODAY) == RequestDraft(
        provider_id="it", priority="high", description="Laptop won't boot", needed_by=date(2026, 12, 1)
    )


def test_a_blank_description_is_a_field_error() -> None:
    result = parse_request(state(description="   \n "), today=TODAY)
    assert isinstance(result, Errors)
    assert set(result.by_block) == {BlockId.DESCRIPTION}


def test_a_missing_description_is_a_field_error() -> None:
    result = parse_request(state(description=None), today=TODAY)
    assert isinstance(result, Errors)
    assert BlockId.DESCRIPTION in result.by_block


def test_no_department_chosen_is_a_field_error() -> None:
    result = parse_request(state(department=None), today=TODAY)
    assert isinstance(result, Errors)
    assert set(result.by_block) == {BlockId.DEPARTMENT}


def test_a_needed_by_date_in_the_past_is_a_field_error() -> None:
    result = parse_request(state(needed_by="2026-11-01"), today=TODAY)
    assert isinstance(result, Errors)
    assert set(result.by_block) == {BlockId.NEEDED_BY}


def test_when_asked_the_requesters_own_department_is_required() -> None:
    result = parse_request(state(ask_home=True), today=TODAY)
    assert isinstance(result, Errors)
    assert set(result.by_block) == {BlockId.REQUESTER_DEPARTMENT}


def test_the_requesters_own_department_is_kept_in_the_draft() -> None:
    result = parse_request(state(ask_home=True, home="sales"), today=TODAY)
    assert isinstance(result, RequestDraft)
    assert result.requester_department_id == "sales"


def test_prefill_takes_a_leading_department_id() -> None:
    assert split_prefill("it laptop won't boot", {"it": "IT Support"}) == ("it", "laptop won't boot")


def test_prefill_matches_department_ids_case_insensitively() -> None:
    assert split_prefill("IT", {"it": "IT Support"}) == ("it", "")


def test_prefill_without_a_department_is_all_description() -> None:
    assert split_prefill("  laptop won't boot ", {"it": "IT Support"}) == (None, "laptop won't boot")
