"""When a request is resolved, both sides rate: the requester the service, the provider the request."""

from bot.ids import Action, BlockId, Callback
from tests.fakes.signing import plain_value
from tests.handlers.feedback_kit import click_in, ratings, resolve, submit_view
from tests.handlers.harness import Card, Harness, Json

SERVICE = "customer_to_provider"
REQUEST = "provider_to_customer"


def _buttons(message: Json) -> list[tuple[str, str | None]]:
    (actions,) = [block for block in message["blocks"] if block.get("block_id") == BlockId.RATING_ACTIONS]
    return [(element["action_id"], element.get("style")) for element in actions["elements"]]


def _requester_prompt(inhouse: Harness) -> Json:
    return inhouse.dms_to("U0SAM")[-1]


def _provider_prompt(inhouse: Harness, card: Card) -> Json:
    return inhouse.slack.replies(card.channel, card.ts)[-1]


def _card_ratings(inhouse: Harness, card: Card) -> str:
    (section,) = [b for b in inhouse.card_message(card)["blocks"] if "rating of" in b.get("text", {}).get("text", "")]
    text: str = section["text"]["text"]
    return text


def _resolved(inhouse: Harness) -> Card:
    card = inhouse.file_request("U0SAM")
    resolve(inhouse, card, "U0ALICE")
    return card


def test_resolving_asks_the_requester_to_rate_the_service_in_one_click(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    prompt = _requester_prompt(inhouse)
    assert prompt["blocks"][0]["text"]["text"] == (
        f"*#{card.number}* is resolved. How did *IT Support* do? One click rates it (1 poor, 5 excellent)."
    )
    assert _buttons(prompt) == [*((f"rate_service_{n}", None) for n in range(1, 6)), (Action.RATING_COMMENT, None)]
    assert ratings(inhouse, card.number) == [(SERVICE, None, None, None), (REQUEST, None, None, None)]


def test_resolving_asks_the_resolver_to_rate_the_request_in_the_cards_thread(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    prompt = _provider_prompt(inhouse, card)
    assert prompt["blocks"][0]["text"]["text"] == (
        f"<@U0ALICE>, how was request *#{card.number}* from <@U0SAM>? Was it clear, complete, and did it come "
        "with enough lead time? One click rates it (1 poor, 5 excellent)."
    )
    assert _buttons(prompt) == [(f"rate_request_{n}", None) for n in range(1, 6)]


def test_a_rating_shows_on_the_prompt_and_on_the_card(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    inhouse.clock.advance(hours=1)
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_4", "U0SAM")
    prompt = _requester_prompt(inhouse)
    assert prompt["blocks"][0]["text"]["text"] == (
        f"You rated *IT Support* ★★★★☆ 4/5 for *#{card.number}*. Click another number to change it."
    )
    assert ("rate_service_4", "primary") in _buttons(prompt)
    assert _card_ratings(inhouse, card) == "*Requester's rating of the service:* ★★★★☆ 4/5"
    assert ratings(inhouse, card.number)[0] == (SERVICE, 4, "U0SAM", None)


def test_a_second_click_changes_the_rating_it_does_not_add_one(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_2", "U0SAM")
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_5", "U0SAM")
    click_in(inhouse, card.channel, _provider_prompt(inhouse, card), "rate_request_3", "U0ALICE")
    click_in(inhouse, card.channel, _provider_prompt(inhouse, card), "rate_request_4", "U0ALICE")
    assert ratings(inhouse, card.number) == [(SERVICE, 5, "U0SAM", None), (REQUEST, 4, "U0ALICE", None)]
    assert _card_ratings(inhouse, card) == (
        "*Requester's rating of the service:* ★★★★★ 5/5\n*Provider's rating of the request:* ★★★★☆ 4/5"
    )
    assert _provider_prompt(inhouse, card)["blocks"][0]["text"]["text"] == (
        f"<@U0ALICE> rated request *#{card.number}* ★★★★☆ 4/5. Click another number to change it."
    )


def test_reopening_and_resolving_again_does_not_ask_again_and_keeps_the_ratings(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_3", "U0SAM")
    prompts = len(inhouse.slack.calls_to("chat.postMessage"))
    inhouse.click(card, Action.REOPEN, "U0BOB")
    inhouse.wait_quiet()
    resolve(inhouse, card, "U0BOB", note="Really fixed now")
    posted = [call.args["text"] for call in inhouse.slack.calls_to("chat.postMessage")[prompts:]]
    assert not [text for text in posted if "One click rates it" in text]
    assert ratings(inhouse, card.number) == [(SERVICE, 3, "U0SAM", None), (REQUEST, None, None, None)]
    assert _card_ratings(inhouse, card) == "*Requester's rating of the service:* ★★★☆☆ 3/5"


def test_only_the_requester_rates_the_service(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    click = click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_1", "U0BOB")
    assert inhouse.private_answers(click) == [f"Only the person who filed #{card.number} rates the service they got."]
    assert ratings(inhouse, card.number)[0] == (SERVICE, None, None, None)


def test_only_the_providers_people_rate_the_request(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    click = click_in(inhouse, card.channel, _provider_prompt(inhouse, card), "rate_request_1", "U0SAM")
    assert inhouse.private_answers(click) == [f"Only members and managers of IT Support rate request #{card.number}."]
    click_in(inhouse, card.channel, _provider_prompt(inhouse, card), "rate_request_5", "U0BOB")
    assert ratings(inhouse, card.number)[1] == (REQUEST, 5, "U0BOB", None)


def test_the_requester_may_add_a_comment_that_shows_on_the_card_escaped(inhouse: Harness) -> None:
    card = _resolved(inhouse)
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), "rate_service_5", "U0SAM")
    click_in(inhouse, "D0SAM", _requester_prompt(inhouse), Action.RATING_COMMENT, "U0SAM")
    view = inhouse.slack.calls_to("views.open")[-1].args["view"]
    assert (view["callback_id"], view["private_metadata"]) == (Callback.RATING_COMMENT, str(card.number))
    values = {BlockId.COMMENT: {Action.COMMENT: plain_value("Great <b>work</b> & fast")}}
    assert submit_view(inhouse, "U0SAM", Callback.RATING_COMMENT, values).body == ""
    inhouse.wait_quiet()
    assert _card_ratings(inhouse, card) == (
        "*Requester's rating of the service:* ★★★★★ 5/5\n>Great &lt;b&gt;work&lt;/b&gt; &amp; fast"
    )
    assert ratings(inhouse, card.number)[0] == (SERVICE, 5, "U0SAM", "Great <b>work</b> & fast")


def test_a_request_whose_card_slack_refused_asks_the_resolver_by_dm(inhouse: Harness) -> None:
    inhouse.slack.fail_next("chat.postMessage", error="not_in_channel", status=200)
    modal = inhouse.open_request_modal("U0SAM")
    assert inhouse.submit_request_modal("U0SAM", modal).body == ""
    inhouse.wait_quiet()
    button = {"type": "button", "action_id": Action.RESOLVE, "value": "1", "text": {"type": "plain_text", "text": "R"}}
    never_posted = {"ts": "1.000001", "blocks": [{"type": "actions", "elements": [button]}]}
    inhouse.signer.block_action(Action.RESOLVE, "1", user_id="U0ALICE", channel_id="C0IT", message=never_posted).send()
    inhouse.slack.wait_for("views.open", count=2)
    submit_view(inhouse, "U0ALICE", Callback.RESOLVE, {BlockId.NOTE: {Action.NOTE: plain_value("done")}})
    inhouse.wait_quiet()
    assert inhouse.dms_to("U0ALICE")[-1]["text"].startswith("<@U0ALICE>, how was request #1 from <@U0SAM>?")
