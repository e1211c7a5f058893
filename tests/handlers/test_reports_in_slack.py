"""Reports in Slack: ``/inhouse report`` to the asker's DM (figures, chart, CSV), who may see what, a manager's
App Home at a glance with its Full report button, and each department's monthly report in its channel: all
with the same figures as ``inhouse report`` for the same period."""

import csv
import io
from datetime import timedelta
from typing import Any

import pytest

from bot.domain.lifecycle import EventKind
from bot.ids import Action
from bot.jobs import scheduled as jobs
from bot.org.apply import apply_org
from bot.org.model import OrgFileError, load_org_text
from bot.reports import export, service
from bot.requests import service as requests
from storage import outbox
from tests.fakes.slack_api import Call
from tests.handlers.harness import Harness
from tests.orgs import TEST_ORG

Json = dict[str, Any]
PNG = b"\x89PNG\r\n\x1a\n"


def inhouse_report(inhouse: Harness, text: str, user: str) -> str:
    """Type ``/inhouse report TEXT``; the private answer."""
    answered = len(inhouse.slack.calls_to("response_url"))
    response = inhouse.signer.command("/inhouse", f"report {text}", user_id=user).send()
    assert (response.status, response.body) == (200, "")
    inhouse.wait_quiet()
    answer: Call = inhouse.slack.calls_to("response_url")[answered]
    assert answer.args["response_type"] == "ephemeral"
    return str(answer.args["text"])


def some_history(inhouse: Harness) -> None:
    """Three requests from Sales to IT: one acknowledged and resolved, one acknowledged, one untouched."""
    first, second, _third = (inhouse.file_request("U0SAM", description=f"Laptop {n}") for n in range(3))
    inhouse.clock.advance(minutes=30)
    for card in (first, second):
        inhouse.click(card, Action.ACKNOWLEDGE, "U0ALICE")
    inhouse.wait_quiet()
    inhouse.clock.advance(hours=2)
    with inhouse.session_scope() as session:
        requests.resolve(session, first.number, "U0ALICE", "New laptop", inhouse.clock())
    inhouse.clock.advance(hours=1)


def report_in_dm(inhouse: Harness, user: str) -> tuple[Json, Json]:
    """The report message in ``user``'s DM and the CSV file shared in its thread."""
    inhouse.deliver_later(1)
    [message] = [m for m in inhouse.dms_to(user) if "service report" in m["text"]]
    [share] = inhouse.slack.replies(inhouse.slack.dm_channel(user), message["ts"])
    return message, share


def csv_rows(inhouse: Harness, share: Json) -> list[dict[str, str]]:
    [shared] = share["files"]
    content = inhouse.slack.files[shared["id"]].content
    assert content is not None
    return list(csv.DictReader(io.StringIO(content.decode())))


def test_a_member_gets_their_departments_report_in_their_dm_with_a_chart_and_the_csv(inhouse: Harness) -> None:
    some_history(inhouse)

    answer = inhouse_report(inhouse, "", "U0ALICE")
    message, share = report_in_dm(inhouse, "U0ALICE")

    assert answer.startswith("The report of IT Support is on its way to your DMs")
    header, period, figures, image = message["blocks"][:4]
    assert header["text"]["text"] == "IT Support: service report"
    assert period["elements"][0]["text"].endswith("· business hours")
    requests_field = figures["fields"][0]["text"]
    assert requests_field.startswith("*Requests*\n3 filed · 1 resolved\n2 open, oldest #2")
    assert image["type"] == "image"
    chart = inhouse.slack.files[image["slack_file"]["id"]]
    assert chart.content is not None
    assert chart.content.startswith(PNG)
    rows = csv_rows(inhouse, share)
    assert [(row["provider"], row["customer"], row["filed"], row["resolved"], row["open"]) for row in rows] == [
        ("it", "sales", "3", "1", "2")
    ]


def test_slack_and_the_command_line_show_the_same_figures_for_the_same_period(inhouse: Harness) -> None:
    some_history(inhouse)

    inhouse_report(inhouse, "it 7d", "U0ITMGR")
    _message, share = report_in_dm(inhouse, "U0ITMGR")

    with inhouse.session_scope() as session:
        period = service.last_days(service.org_zone(session), inhouse.clock(), 7)
        built = service.build(session, period, inhouse.clock(), provider="it")
    from_cli = list(csv.DictReader(io.StringIO(export.as_csv(built))))
    assert csv_rows(inhouse, share) == from_cli
    assert from_cli[0]["first_response_met"] == "2"


def test_people_outside_a_department_are_told_whom_to_ask_and_nothing_is_owed(inhouse: Harness) -> None:
    answer = inhouse_report(inhouse, "it", "U0SAM")

    assert answer.startswith("Only the people of IT Support and the Inhouse admins see its report.")
    with inhouse.session_scope() as session:
        assert outbox.by_status(session, "pending") == []


def test_an_unknown_department_is_answered_with_the_departments_there_are(inhouse: Harness) -> None:
    answer = inhouse_report(inhouse, "<!here> 30d", "U0ALICE")

    assert answer.startswith("There is no department “&lt;!here&gt;”. Departments: `it` (IT Support)")


def test_two_periods_are_one_too_many(inhouse: Harness) -> None:
    answer = inhouse_report(inhouse, "it 7d 90d", "U0ALICE")

    assert answer.startswith("Give one period at most (7d, 30d, 90d, quarter).")


def test_a_manager_sees_the_department_at_a_glance_and_gets_the_full_report_from_home(inhouse: Harness) -> None:
    some_history(inhouse)

    inhouse.signer.app_home_opened("U0ITMGR").send()
    [published] = inhouse.slack.wait_for("views.publish")
    view = published.response["view"]
    header, fields, _period, actions = view["blocks"][:4]
    assert header["text"]["text"] == "IT Support at a glance"
    assert fields["fields"][2]["text"].startswith("*Backlog*\n2 open, oldest #2")
    assert actions["elements"][0]["action_id"] == Action.FULL_REPORT

    inhouse.signer.block_action(Action.FULL_REPORT, "it", user_id="U0ITMGR", channel_id=None, view=view).send()
    message, _share = report_in_dm(inhouse, "U0ITMGR")
    assert message["blocks"][0]["text"]["text"] == "IT Support: service report"


def test_a_member_sees_no_glance_of_the_department(inhouse: Harness) -> None:
    inhouse.signer.app_home_opened("U0ALICE").send()
    [published] = inhouse.slack.wait_for("views.publish")

    assert "at a glance" not in str(published.args["view"])


def test_each_department_gets_last_months_report_in_its_channel_once(inhouse: Harness) -> None:
    some_history(inhouse)  # in November
    with inhouse.session_scope() as session:
        requests.act(session, 2, EventKind.PAUSED, "U0ALICE", inhouse.clock())
    inhouse.clock.set(inhouse.clock().replace(month=12, day=1, hour=8) + timedelta(minutes=1))  # Tue 1 Dec 09:01

    assert jobs.periodic_reports(inhouse.running.deps, inhouse.clock()) == 3  # it, hr, sales
    assert jobs.periodic_reports(inhouse.running.deps, inhouse.clock()) == 0
    inhouse.deliver_later(1)

    [posted] = [m for m in inhouse.slack.messages("C0IT") if "service report" in m["text"]]
    assert posted["text"] == "IT Support: service report, 1 Nov to 30 Nov 2026"
    assert posted["blocks"][2]["fields"][0]["text"].startswith("*Requests*\n3 filed · 1 resolved")


def test_the_org_file_can_make_a_departments_report_weekly_or_turn_it_off(inhouse: Harness) -> None:
    org = TEST_ORG.replace('timezone = "Europe/Berlin"', 'timezone = "Europe/Berlin"\nreports = "off"', 1)
    org = org.replace('name = "IT Support"', 'name = "IT Support"\nreports = "weekly"', 1)
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(org))
    inhouse.clock.set(inhouse.clock().replace(month=12, day=2, hour=8))  # Wednesday 2 Dec, 09:00 in Berlin

    assert jobs.periodic_reports(inhouse.running.deps, inhouse.clock()) == 1
    inhouse.deliver_later(1)

    [posted] = [m for m in inhouse.slack.messages("C0IT") if "service report" in m["text"]]
    assert posted["text"] == "IT Support: service report, 23 Nov to 29 Nov 2026"
    assert not [m for m in inhouse.slack.messages("C0HR") if "service report" in m["text"]]


def test_a_report_schedule_the_org_file_does_not_know_is_an_error_naming_its_line() -> None:
    with pytest.raises(OrgFileError, match=r"acme.toml:4: departments.it.reports: 'daily' is not a report schedule"):
        load_org_text('[organization]\ntimezone = "UTC"\n[departments.it]\nreports = "daily"\n', "acme.toml")
