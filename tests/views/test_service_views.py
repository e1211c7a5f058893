"""The catalog's views at their limits: the biggest service the org file allows fits the modal, the most answers
fit the card, and what people wrote is escaped."""

from bot.domain import services
from bot.domain.agreements import targets_for
from bot.domain.services import Answer, Field, Service
from bot.requests.card import request_card
from bot.requests.catalog_message import catalog_message
from bot.requests.request_modal import Filled, RequestForm, request_modal
from tests.factories import make_snapshot
from tests.fakes import block_limits

LONGEST = "&" * services.OPTION_MAX


def _biggest_service() -> Service:
    fields = tuple(
        Field(f"f{n}", "L" * services.LABEL_MAX, "select", tuple(f"{n}{LONGEST}"[:75] for n in range(100)), True)
        for n in range(services.MAX_FIELDS)
    )
    return Service(
        id="s" * 64,
        department="d" * 64,
        name="N" * 200,
        description="<&>" * (services.DESCRIPTION_MAX // 3),
        fields=fields,
        requester_provides=tuple("&" * services.PROVIDES_LINE_MAX for _ in range(services.PROVIDES_MAX)),
    )


def test_the_biggest_service_fits_one_modal() -> None:
    service = _biggest_service()
    departments = [(f"d{n}", "D" * 200) for n in range(100)]
    form = RequestForm(
        departments=departments,
        provider="d" * 64,
        services=[service] * services.MAX_SERVICES,
        service=service,
        ask_home_department=True,
        filled=Filled(description="x" * 5000, answers={"f0": "99"}),
    )
    view = request_modal(form).to_dict()
    assert block_limits.view_errors(view, expected_type="modal") == []


def test_the_most_answers_fit_the_cards_section() -> None:
    answers = tuple(
        Answer(f"f{n}", "&" * services.LABEL_MAX, "long_text", "<" * services.LONG_TEXT_ANSWER_MAX)
        for n in range(services.MAX_FIELDS)
    )
    blocks = request_card(make_snapshot(description="&" * 5000, answers=answers, service_name="<b>")).as_kwargs()
    assert block_limits.message_errors(blocks["blocks"]) == []
    assert "&lt;b&gt;" in blocks["blocks"][0]["text"]["text"]


def test_an_answer_naming_someone_who_is_no_user_is_shown_as_text() -> None:
    answers = (Answer("for", "For", "user", "<!here>"),)
    text = request_card(make_snapshot(answers=answers)).as_kwargs()["blocks"][1]["text"]["text"]
    assert text.endswith("*For:* &lt;!here&gt;")


def test_a_services_own_targets_come_first_and_the_agreement_fills_in_the_rest() -> None:
    agreement = Service("a", "it", "A", first_response="4h", resolution="2d")
    assert targets_for(Service("s", "it", "S", resolution="5d"), agreement) == ("4h", "5d")
    assert targets_for(Service("s", "it", "S", first_response="1h", resolution="1d"), None) == ("1h", "1d")
    assert targets_for(None, agreement) == ("4h", "2d")
    assert targets_for(Service("s", "it", "S", resolution="5d"), None) is None


def test_the_catalog_answer_of_a_big_company_fits_one_message() -> None:
    departments = [(f"d{n}", "&" * 200) for n in range(100)]
    offered = {department: [_biggest_service()] * services.MAX_SERVICES for department, _ in departments}
    message = catalog_message(departments, offered, unknown="<!channel>" * 20)
    blocks = message.as_kwargs()["blocks"]
    assert block_limits.message_errors(blocks) == []
    assert blocks[-1]["elements"][0]["text"].endswith("52 more departments are in the form.")
    assert "&lt;!channel&gt;" in blocks[0]["text"]["text"]
