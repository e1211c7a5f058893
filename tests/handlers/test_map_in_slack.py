"""The map in Slack: ``/inhouse map`` puts the picture and the findings that concern the asker's department in their
DM; a manager's App Home lists the department's findings; and the picture in Slack is the one ``inhouse map --format
png`` draws, of the map ``--format json`` gives.

Sales files two requests with IT; IT resolves them and Sam rates IT's service 2 of 5 (anonymity_min is 1 here):
IT -> Sales is strained, and no pair retro is scheduled.
"""

import json
from pathlib import Path
from typing import Any

from bot.domain.feedback import Direction
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from bot.ratings import service as ratings
from bot.relationships.chart import map_chart
from bot.relationships.service import build_map
from bot.requests import service as requests
from tests.fakes.slack_api import Call
from tests.handlers.harness import Harness
from tests.handlers.test_retro_cli import Inhouse, run  # noqa: F401  (the fixture)
from tests.orgs import TEST_ORG

Json = dict[str, Any]
ORG = TEST_ORG.replace('timezone = "Europe/Berlin"\n', 'timezone = "Europe/Berlin"\nanonymity_min = 1\n', 1)


def strained(inhouse: Harness) -> None:
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(ORG, "org.toml"))
    for _ in range(2):
        card = inhouse.file_request("U0SAM")
        inhouse.clock.advance(minutes=30)
        with inhouse.session_scope() as session:
            requests.resolve(session, card.number, "U0ALICE", "Done", inhouse.clock())
            ratings.ask_after_resolve(session, card.number, inhouse.clock())
            ratings.rate(session, card.number, Direction.CUSTOMER_TO_PROVIDER, "U0SAM", 2, inhouse.clock())
    inhouse.deliver_later(5)


def inhouse_map(inhouse: Harness, user: str, text: str = "") -> str:
    answered = len(inhouse.slack.calls_to("response_url"))
    response = inhouse.signer.command("/inhouse", f"map {text}", user_id=user).send()
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()
    answer: Call = inhouse.slack.calls_to("response_url")[answered]
    return str(answer.args["text"])


def map_in_dm(inhouse: Harness, user: str) -> Json:
    inhouse.deliver_later(1)
    [message] = [m for m in inhouse.dms_to(user) if m["text"].startswith("Who serves whom")]
    return message


def sections(message: Json) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def test_the_map_goes_to_the_askers_dm_with_the_findings_of_their_department(inhouse: Harness) -> None:
    strained(inhouse)

    answer = inhouse_map(inhouse, "U0ALICE")
    message = map_in_dm(inhouse, "U0ALICE")

    assert answer.startswith("The map is on its way to your DMs with Inhouse")
    header, period, image = message["blocks"][:3]
    assert header["text"]["text"] == "Who serves whom"
    assert period["elements"][0]["text"] == (
        "Requests of the last 90 days · no check-up has closed yet, so nothing is declared"
    )
    assert image["type"] == "image"
    head, finding = sections(message)
    assert head == "*What concerns IT Support* (1)"
    assert finding.startswith(
        "*Strained*: IT Support → Sales\nSales rates IT Support's service 2.0 of 5; no pair retro is scheduled: add one"
    )
    assert '```[[retros]]\ndepartments = ["it", "sales"]' in finding


def test_someone_whose_department_has_nothing_to_act_on_is_told_so(inhouse: Harness) -> None:
    strained(inhouse)

    inhouse_map(inhouse, "U0HANNA", "30d")

    assert sections(map_in_dm(inhouse, "U0HANNA")) == [
        "Nothing to act on between People &amp; Culture and the other departments."
    ]


def test_a_period_that_is_not_offered_is_answered_with_the_usage(inhouse: Harness) -> None:
    assert inhouse_map(inhouse, "U0ALICE", "12d").startswith("Give one period at most (7d, 30d, 90d, 180d, 365d).")


def test_the_slack_picture_is_the_png_and_the_json_of_the_command_line(
    inhouse: Harness,
    run: Inhouse,  # noqa: F811
    tmp_path: Path,
) -> None:
    strained(inhouse)
    inhouse_map(inhouse, "U0ALICE")
    message = map_in_dm(inhouse, "U0ALICE")
    in_slack = inhouse.slack.files[message["blocks"][2]["slack_file"]["id"]].content

    at = inhouse.clock().isoformat()
    as_json = run("map", "--format", "json", "--at", at)
    as_png = run("map", "--format", "png", "--output", "map.png", "--at", at)

    assert as_json.returncode == 0, as_json.stderr
    assert as_png.returncode == 0, as_png.stderr
    with inhouse.session_scope() as session:
        drawn = build_map(session, inhouse.clock())
    assert json.loads(as_json.stdout) == drawn.as_json()
    assert json.loads(as_json.stdout)["edges"][0]["provider"] == "it"
    assert in_slack == map_chart(drawn)
    assert (tmp_path / "map.png").read_bytes() == in_slack


def test_a_managers_home_lists_the_departments_findings(inhouse: Harness) -> None:
    strained(inhouse)

    inhouse.signer.app_home_opened("U0ITMGR").send()
    [published] = inhouse.slack.wait_for("views.publish")
    blocks = published.response["view"]["blocks"]
    texts = [b["text"]["text"] for b in blocks if b["type"] in ("header", "section") and "text" in b]

    at = texts.index("IT Support: relationships to act on")
    assert texts[at + 1].startswith("*Strained*: IT Support → Sales\nSales rates IT Support's service 2.0 of 5")


def test_a_member_sees_no_findings_on_home(inhouse: Harness) -> None:
    strained(inhouse)

    inhouse.signer.app_home_opened("U0ALICE").send()
    [published] = inhouse.slack.wait_for("views.publish")

    assert "relationships to act on" not in str(published.args["view"])
