import json

import pytest

from bot.domain.lifecycle import EventKind, State
from bot.requests.card import filed_confirmation, history_note, request_card, requester_update
from bot.requests.home import home_view
from bot.slack.text import escape, escaped
from tests.factories import make_snapshot

HOSTILE = "<!channel> see <https://evil.example|your bank> & <@U0CEO>"


def test_escape_makes_mentions_and_links_inert() -> None:
    assert escape(HOSTILE) == ("&lt;!channel&gt; see &lt;https://evil.example|your bank&gt; &amp; &lt;@U0CEO&gt;")


def test_escaped_never_cuts_an_entity_in_half() -> None:
    assert escaped("&&&", 10) == "&amp;…"


@pytest.mark.parametrize(
    "render",
    [
        lambda r: request_card(r).as_kwargs(),
        lambda r: filed_confirmation(r).as_kwargs(),
        lambda r: requester_update(r, EventKind.RESOLVED, "U0ALICE", HOSTILE).as_kwargs(),
        lambda r: history_note(EventKind.RESOLVED, "U0ALICE", HOSTILE).as_kwargs(),
        lambda r: home_view([r], [("IT", [r])]).to_dict(),
    ],
    ids=["card", "confirmation", "requester-update", "history-note", "home"],
)
def test_user_text_never_reaches_slack_unescaped(render: object) -> None:
    request = make_snapshot(description=HOSTILE, state=State.RESOLVED, resolution_note=HOSTILE)
    payload = json.dumps(render(request))  # type: ignore[operator]
    assert "<!channel>" not in payload
    assert "<https://evil.example" not in payload
    assert "<@U0CEO>" not in payload
    assert "&lt;!channel&gt;" in payload
