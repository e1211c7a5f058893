from datetime import date
from typing import Any

import pytest

from bot.ids import Action, BlockId
from bot.requests.form_input import Prefill, parse_note, parse_request, parse_transfer, split_prefill
from bot.requests.service import RequestDraft
from bot.slack import payloads
from bot.slack.forms import Errors
from bot.slack.payloads import Malformed

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
    assert split_prefill("it laptop won't boot", {"it": "IT Support"}) == Prefill("it", None, "laptop won't boot")


def test_prefill_matches_department_ids_case_insensitively() -> None:
    assert split_prefill("IT", {"it": "IT Support"}) == Prefill("it")


def test_prefill_takes_a_leading_service_id_with_its_department() -> None:
    assert split_prefill("laptop for Ana", {"it": "IT Support"}, {"laptop": "it"}) == Prefill("it", "laptop", "for Ana")


def test_prefill_without_a_department_names_the_unknown_one() -> None:
    assert split_prefill("  laptop won't boot ", {"it": "IT Support"}) == Prefill(
        unknown="laptop", description="won't boot"
    )


def test_prefill_of_help_asks_for_help() -> None:
    assert split_prefill("help", {"it": "IT Support"}) == Prefill(help=True)
    assert split_prefill("", {"it": "IT Support"}) == Prefill()


def test_inputs_of_the_wrong_type_read_as_empty_and_get_the_ordinary_field_errors() -> None:
    values: dict[str, Any] = {
        BlockId.DEPARTMENT: {Action.DEPARTMENT: {"selected_option": "it"}},
        BlockId.PRIORITY: {Action.PRIORITY: {"selected_option": {"value": 3}}},
        BlockId.DESCRIPTION: {Action.DESCRIPTION: {"value": 5}},
        BlockId.NEEDED_BY: {Action.NEEDED_BY: {"selected_date": 20261201}},
    }
    result = parse_request(values, today=TODAY)
    assert result == Errors(
        {
            BlockId.DEPARTMENT: "Choose the department you are asking.",
            BlockId.DESCRIPTION: "Say what you need: the description can't be blank.",
            BlockId.NEEDED_BY: "Pick a date from the calendar.",
        }
    )
    assert isinstance(parse_request({"description": "x", "department": []}, today=TODAY), Errors)  # type: ignore[dict-item]


def test_a_description_over_the_maximum_says_the_limit_and_the_length() -> None:
    assert parse_request(state(description="é" * 2001), today=TODAY) == Errors(
        {BlockId.DESCRIPTION: "Keep it under 2,000 characters: this has 2,001."}
    )
    assert isinstance(parse_request(state(description="é" * 2000), today=TODAY), RequestDraft)


def test_notes_over_the_maximum_are_refused_whether_required_or_not() -> None:
    long_note: dict[str, Any] = {BlockId.NOTE: {Action.NOTE: {"value": "n" * 1500}}}
    error = Errors({BlockId.NOTE: "Keep it under 1,000 characters: this has 1,500."})
    assert parse_note(long_note, required=True) == error
    assert parse_note(long_note, required=False) == error
    assert parse_transfer({**long_note, **state(department="hr")}) == error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        ("2147483647", 2147483647),
        *[(text, None) for text in ("2147483648", "0", "-1", "1" * 23, "", " 1", "1.5", "١٢", "+1")],
        *[(value, None) for value in (12, None, True)],
    ],
)
def test_a_number_in_a_payload_is_digits_the_database_can_hold(value: object, expected: int | None) -> None:
    read = payloads.number(value)
    assert (None if isinstance(read, Malformed) else read) == expected


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        ('{"retro": 12, "kind": "went_well"}', 12),
        ('{"retro": "12"}', 12),
        *[(text, None) for text in ('{"retro": true}', '{"retro": 1e3}', "[12]", "12", "", "{", "[" * 5000)],
    ],
)
def test_a_retro_modals_metadata_names_a_retro_by_number(metadata: str, expected: int | None) -> None:
    submission = payloads.Submission(user="U0ALICE", view_id="V0ONE", values={}, private_metadata=metadata)
    read = payloads.metadata_field_number(submission, "retro")
    assert (None if isinstance(read, Malformed) else read) == expected


@pytest.mark.parametrize(
    ("user", "ok"),
    [
        ("U0ALICE", True),
        ("W012AB", True),
        *[(user, False) for user in ("U1> <!channel", "u0alice", "U0", "C0IT", "U0ALICE\n", 5, None)],
    ],
)
def test_a_user_id_has_slacks_shape(user: object, ok: bool) -> None:
    assert payloads.is_user_id(user) is ok
