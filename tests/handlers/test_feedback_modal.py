# ruff: noqa: F811  (the fixture keyed, imported from feedback_kit, is an argument)
"""/feedback: the modal, its prefill and its validation."""

from sqlmodel import select

from bot.ids import BlockId, Callback
from storage.feedback_models import Feedback
from tests.handlers.feedback_kit import give_feedback, keyed, open_feedback_modal, submit_feedback  # noqa: F401
from tests.handlers.harness import Harness, Json


def _blocks(view: Json) -> dict[str, Json]:
    return {block["block_id"]: block for block in view["blocks"]}


def _stored(inhouse: Harness) -> list[Feedback]:
    with inhouse.session_scope() as session:
        return list(session.exec(select(Feedback)))


def test_feedback_opens_a_modal_for_department_or_request_rating_texts_and_anonymity(keyed: Harness) -> None:
    inhouse = keyed
    view = open_feedback_modal(inhouse, "U0SAM").args["view"]
    blocks = _blocks(view)
    assert view["callback_id"] == Callback.FEEDBACK
    assert list(blocks) == [
        BlockId.DEPARTMENT,
        BlockId.FEEDBACK_REQUEST,
        BlockId.RATING,
        BlockId.WENT_WELL,
        BlockId.COULD_BE_BETTER,
        BlockId.ANONYMOUS,
    ]
    assert [o["value"] for o in blocks[BlockId.DEPARTMENT]["element"]["options"]] == ["it", "hr", "sales"]
    assert [o["value"] for o in blocks[BlockId.RATING]["element"]["options"]] == ["1", "2", "3", "4", "5"]
    assert blocks[BlockId.ANONYMOUS]["element"]["options"][0]["text"]["text"] == "Send anonymously"
    assert blocks[BlockId.ANONYMOUS]["element"]["options"][0]["description"]["text"] == (
        "No name, no request number; their managers can still reply to you."
    )
    assert all(block["optional"] for block in view["blocks"])


def test_feedback_with_a_department_preselects_it(inhouse: Harness) -> None:
    blocks = _blocks(open_feedback_modal(inhouse, "U0SAM", "it").args["view"])
    assert blocks[BlockId.DEPARTMENT]["element"]["initial_option"]["value"] == "it"
    assert "initial_value" not in blocks[BlockId.FEEDBACK_REQUEST]["element"]


def test_feedback_with_a_department_name_preselects_it(inhouse: Harness) -> None:
    blocks = _blocks(open_feedback_modal(inhouse, "U0SAM", "Sales").args["view"])
    assert blocks[BlockId.DEPARTMENT]["element"]["initial_option"]["value"] == "sales"


def test_feedback_with_a_request_number_prefills_it_and_its_department(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    blocks = _blocks(open_feedback_modal(inhouse, "U0SAM", f"#{card.number}").args["view"])
    assert blocks[BlockId.FEEDBACK_REQUEST]["element"]["initial_value"] == f"#{card.number}"
    assert blocks[BlockId.DEPARTMENT]["element"]["initial_option"]["value"] == "it"


def test_blank_feedback_gets_a_field_error_and_stores_nothing(inhouse: Harness) -> None:
    modal = open_feedback_modal(inhouse, "U0SAM", "it")
    response = submit_feedback(inhouse, "U0SAM", modal, rating=None, went_well="  ", could_be_better=None)
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.RATING: "Give a rating, or say what went well or what could be better."},
    }
    assert _stored(inhouse) == []


def test_feedback_to_nobody_gets_a_field_error(inhouse: Harness) -> None:
    response = submit_feedback(inhouse, "U0SAM", open_feedback_modal(inhouse, "U0SAM"), department=None)
    assert response.json() == {
        "response_action": "errors",
        "errors": {BlockId.DEPARTMENT: "Choose a department, or give a request number below."},
    }


def test_a_request_number_that_is_no_number_gets_a_field_error(inhouse: Harness) -> None:
    response = submit_feedback(inhouse, "U0SAM", open_feedback_modal(inhouse, "U0SAM"), request="the laptop one")
    assert response.json()["errors"] == {BlockId.FEEDBACK_REQUEST: "Give a request number, like #42."}


def test_an_unknown_request_gets_a_field_error(inhouse: Harness) -> None:
    response = submit_feedback(inhouse, "U0SAM", open_feedback_modal(inhouse, "U0SAM"), department=None, request="#99")
    assert response.json()["errors"] == {BlockId.FEEDBACK_REQUEST: "There is no request #99."}
    assert _stored(inhouse) == []


def test_a_request_number_sets_the_department(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    row = give_feedback(inhouse, "U0SAM", department=None, request=f"#{card.number}")
    assert (row.to_department_id, row.request_id, row.from_department_id) == ("it", card.number, "sales")


def test_a_request_and_another_department_get_a_field_error(inhouse: Harness) -> None:
    card = inhouse.file_request("U0SAM")
    modal = open_feedback_modal(inhouse, "U0SAM")
    response = submit_feedback(inhouse, "U0SAM", modal, department="hr", request=str(card.number))
    assert response.json()["errors"] == {
        BlockId.DEPARTMENT: f"Request #{card.number} went to another department: choose that one, or no department."
    }


def test_signed_feedback_is_stored_with_its_author_and_instant(inhouse: Harness) -> None:
    row = give_feedback(inhouse, "U0SAM", rating="5", went_well="Fast", could_be_better="Nothing")
    assert row.model_dump(exclude={"id"}) == {
        "to_department_id": "it",
        "from_department_id": "sales",
        "request_id": None,
        "rating": 5,
        "went_well": "Fast",
        "could_be_better": "Nothing",
        "anonymous": False,
        "author_id": "U0SAM",
        "created_at": inhouse.clock(),
        "created_on": inhouse.clock().date(),
        "notice_channel": "C0IT",
        "reply_link": None,
        "replied_view": None,
    }
