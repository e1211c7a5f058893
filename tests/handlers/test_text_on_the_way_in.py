"""Text people send loses NUL and other control characters on its way in, on both databases."""

from sqlmodel import select

from storage.models import Request
from tests.handlers.harness import Harness


def test_a_nul_byte_in_a_description_is_dropped_and_the_request_is_filed(inhouse: Harness) -> None:
    inhouse.file_request("U0SAM", description="Printer\x00 on\x07 fire\r\n\tthird floor\x1b[31m")
    with inhouse.session_scope() as session:
        (request,) = session.exec(select(Request)).all()
    assert request.description == "Printer on fire\n\tthird floor[31m"


def test_a_slash_commands_text_is_cleaned_before_it_prefills_the_modal(inhouse: Harness) -> None:
    modal = inhouse.open_request_modal("U0SAM", "it VPN\x00 down")
    description = next(b for b in modal.args["view"]["blocks"] if b.get("block_id") == "description")
    assert description["element"]["initial_value"] == "VPN down"
