"""``/inhouse``: help by default, naming the org file's admins to ask, and a polite answer to an unknown word."""

from typing import Any

import pytest

from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage import outbox
from tests.fakes.slack_api import Call
from tests.handlers.harness import Harness
from tests.orgs import TEST_ORG


def inhouse_command(inhouse: Harness, text: str, user: str = "U0SAM") -> Call:
    """Type ``/inhouse TEXT``; the one private answer it got."""
    response = inhouse.signer.command("/inhouse", text, user_id=user).send()
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()
    [answer] = inhouse.slack.calls_to("response_url")
    assert (answer.args["response_type"], answer.args["replace_original"]) == ("ephemeral", False)
    return answer


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [block["text"]["text"] if "text" in block else block["elements"][0]["text"] for block in blocks]


@pytest.mark.parametrize("text", ["help", "", "  HELP  me "])
def test_help_says_what_inhouse_does_its_commands_and_whom_to_ask(inhouse: Harness, text: str) -> None:
    answer = inhouse_command(inhouse, text)

    what, commands, ask = texts(answer.args["blocks"])
    assert what.startswith("*Inhouse* runs the service between departments")
    assert [line.split("`")[1] for line in commands.splitlines() if line.startswith("•")] == [
        "/request [department] [what you need]",
        "/feedback [department or #request]",
        "/inhouse report [department] [7d|30d|90d|quarter]",
        "/inhouse map [7d|30d|90d|180d|365d]",
        "/inhouse help",
    ]
    assert ask == "Questions, or a department missing? Ask your Inhouse admin."
    assert answer.args["text"] == "Inhouse: /request, /feedback, /inhouse report, /inhouse map, /inhouse help"
    assert "Turn into request" not in str(answer.args)


def test_help_names_the_admins_of_the_org_file(inhouse: Harness) -> None:
    with_admins = TEST_ORG.replace(
        'timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nadmins = ["U0CTO", "U0COO"]', 1
    )
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(with_admins))

    answer = inhouse_command(inhouse, "help")

    assert texts(answer.args["blocks"])[-1] == "Questions, or a department missing? Ask <@U0CTO>, <@U0COO>."


def test_an_unknown_subcommand_is_answered_with_what_there_is(inhouse: Harness) -> None:
    answer = inhouse_command(inhouse, "<!channel> please")

    assert answer.args["text"] == (
        "Inhouse has no “/inhouse &lt;!channel&gt;”. Try `/inhouse help`, `/inhouse report`, `/inhouse map`."
    )
    assert "blocks" not in answer.args


def test_help_owes_slack_nothing(inhouse: Harness) -> None:
    inhouse.slack.reset()  # the app's auth.test at start

    inhouse_command(inhouse, "help")

    assert [call.method for call in inhouse.slack.calls] == ["response_url"]
    with inhouse.session_scope() as session:
        assert [outbox.by_status(session, status) for status in ("pending", "sent", "dead")] == [[], [], []]
