"""The check-up's modal within Slack's limits at any size of org, its answers read back, and the retro's seed."""

from datetime import UTC, datetime

import pytest

from bot.checkups import blocks, form_input
from bot.checkups.service import Form
from bot.domain.checkups import ASKED
from bot.ids import Action, BlockId
from bot.retros.prompt_blocks import checkup_seed
from bot.slack.forms import Errors
from storage.checkups import Answer
from tests.fakes import block_limits

CLOSES = datetime(2026, 11, 27, 16, tzinfo=UTC)


def form(departments: int, answers: dict[str, Answer] | None = None) -> Form:
    others = [(f"d{n:02d}", f"Department <{n}> & co") for n in range(departments)]
    return Form(checkup_id=7, closes_at=CLOSES, departments=others, answers=answers or {})


def test_twenty_departments_fit_a_modal_with_a_checkbox_group_each() -> None:
    view = blocks.modal(form(19)).to_dict()

    assert block_limits.view_errors(view, expected_type="modal") == []
    assert len(view["blocks"]) == 1 + 2 * 19
    assert all(len(question.text) <= 75 for question in ASKED)  # an option's text


@pytest.mark.parametrize("departments", [49, 50, 120])
def test_past_what_a_modal_takes_the_rest_are_left_out_and_the_form_says_so(departments: int) -> None:
    view = blocks.modal(form(departments)).to_dict()

    assert block_limits.view_errors(view, expected_type="modal") == []
    shown = [b for b in view["blocks"] if b.get("block_id", "").startswith(f"{BlockId.CHECKUP_ABOUT}:")]
    assert len(shown) == min(departments, blocks.MAX_DEPARTMENTS)
    if departments > blocks.MAX_DEPARTMENTS:
        assert view["blocks"][-1]["elements"][0]["text"].startswith(f"{departments - blocks.MAX_DEPARTMENTS} more")


def test_earlier_answers_are_ticked_and_written_in_again() -> None:
    view = blocks.modal(form(2, {"d01": Answer(("rely", "we_depend"), "Slow")})).to_dict()

    _, _, _, checks, obstacle = view["blocks"]
    assert [o["value"] for o in checks["element"]["initial_options"]] == ["rely", "we_depend"]
    assert obstacle["element"]["initial_value"] == "Slow"
    assert "initial_options" not in view["blocks"][1]["element"]


def state(ticks: dict[str, list[str]], obstacles: dict[str, str | None]) -> dict[str, dict[str, dict[str, object]]]:
    values: dict[str, dict[str, dict[str, object]]] = {}
    for department, ticked in ticks.items():
        options = [{"value": value} for value in ticked]
        values[f"{BlockId.CHECKUP_ABOUT}:{department}"] = {Action.CHECKUP_QUESTIONS: {"selected_options": options}}
    for department, text in obstacles.items():
        values[f"{BlockId.CHECKUP_OBSTACLE}:{department}"] = {Action.CHECKUP_OBSTACLE: {"value": text}}
    return values


def test_answers_are_read_per_department_known_statements_only_in_the_forms_order() -> None:
    values = state({"it": ["we_depend", "rely", "nonsense"], "hr": []}, {"it": "  Slow  ", "hr": None})

    assert form_input.parse(values) == {"it": Answer(("rely", "we_depend"), "Slow"), "hr": Answer((), None)}


def test_a_too_long_obstacle_is_a_field_error() -> None:
    values = state({"it": []}, {"it": "x" * (blocks.OBSTACLE_MAX + 1)})

    assert form_input.parse(values) == Errors(
        {f"{BlockId.CHECKUP_OBSTACLE}:it": "Keep it under 1,000 characters: this has 1,001."}
    )


def test_a_seed_in_a_retro_is_escaped_and_fits_a_section() -> None:
    seed = {"from": "<Sales>", "about": "IT & co", "texts": ["<!channel> help", *(["y" * 900] * 10)]}

    text = checkup_seed(seed)

    assert text.startswith(
        "*From the check-up: what gets in the way, say 11 people of &lt;Sales&gt; about IT &amp; co*"
    )
    assert "• &lt;!channel&gt; help" in text
    assert len(text) <= 3000
    assert text.endswith("more")
