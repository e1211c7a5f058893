from bot.domain.lifecycle import State
from bot.ids import Action
from bot.requests.card import request_card
from tests.factories import make_snapshot


def _buttons(state: State) -> list[str]:
    blocks = request_card(make_snapshot(state=state)).as_kwargs()["blocks"]
    return [element["action_id"] for element in blocks[-1]["elements"] if element["type"] == "button"]


def test_an_open_card_offers_acknowledge_pause_transfer_resolve() -> None:
    assert _buttons(State.OPEN) == [Action.ACKNOWLEDGE, Action.PAUSE, Action.TRANSFER, Action.RESOLVE]


def test_a_waiting_card_offers_resume_instead_of_pause() -> None:
    assert _buttons(State.WAITING) == [Action.RESUME, Action.TRANSFER, Action.RESOLVE]


def test_a_resolved_card_only_offers_reopen() -> None:
    assert _buttons(State.RESOLVED) == [Action.REOPEN]


def test_every_button_carries_the_request_number() -> None:
    blocks = request_card(make_snapshot(number=7)).as_kwargs()["blocks"]
    assert {element["value"] for element in blocks[-1]["elements"] if element["type"] == "button"} == {"7"}


def test_the_card_names_requester_department_and_priority() -> None:
    blocks = request_card(make_snapshot(priority="urgent")).as_kwargs()["blocks"]
    assert blocks[0]["text"]["text"] == "*#42* · Urgent priority · from <@U0SAM> (Sales)"


def test_the_card_shows_due_times_in_the_readers_time_zone() -> None:
    request = make_snapshot()
    context = request_card(request).as_kwargs()["blocks"][-2]["elements"][0]["text"]
    assert request.first_response_due is not None
    stamp = int(request.first_response_due.timestamp())
    expected = f"First response due <!date^{stamp}^{{date_short_pretty}} at {{time}}|2026-11-23 13:00 UTC>"
    assert context.startswith(expected)


def test_a_very_long_description_stays_within_slacks_section_limit() -> None:
    blocks = request_card(make_snapshot(description="&" * 5000)).as_kwargs()["blocks"]
    assert len(blocks[1]["text"]["text"]) <= 3000


def test_an_open_card_offers_the_priority_with_the_current_one_chosen() -> None:
    blocks = request_card(make_snapshot(number=7, priority="high")).as_kwargs()["blocks"]
    select = blocks[-1]["elements"][-1]
    assert select["action_id"] == Action.CHANGE_PRIORITY
    assert select["initial_option"]["value"] == "7:high"
    assert [o["value"] for o in select["options"]] == ["7:low", "7:normal", "7:high", "7:urgent"]


def test_a_waiting_card_says_the_clock_is_paused() -> None:
    context = request_card(make_snapshot(state=State.WAITING)).as_kwargs()["blocks"][-2]["elements"][0]["text"]
    assert context == "The agreement's clock is paused while waiting on the requester"
