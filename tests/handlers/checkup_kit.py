"""Running the check-up the way people and the scheduler do, for the check-up tests.

The check-up org adds a check-up to the test org: Mondays at 09:00 Berlin on the office calendar (5 working days),
and IT's retro with Sales on Mondays at 10:00; anonymity_min is 2. Opened Monday 2026-11-23 09:00 Berlin
(08:00 UTC), it nudges a working day before it closes, Thursday 26 at 17:00, and closes at the end of the fifth
working day, Friday 27 at 17:00 (16:00 UTC). The pair's retro opens next on Monday 30 at 10:00.
"""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select

from bot.checkups.tick import CheckupTick, checkup_tick
from bot.ids import Action, BlockId, Callback
from bot.org.apply import apply_org
from bot.org.model import load_org_text
from storage.checkup_models import CheckupAnswer, CheckupResponse, CheckupResult, CheckupSeed
from tests.fakes.signing import AppResponse, checkboxes, plain_value
from tests.handlers.harness import Harness, Json
from tests.handlers.retro_kit import PAIR_RETRO, RETRO_ORG, utc

CHECKUP = """
[[checkups]]
cron = "0 9 * * mon"
calendar = "office"
"""
CHECKUP_ORG = RETRO_ORG.split("[[retros]]")[0] + PAIR_RETRO + CHECKUP
OPENS, NUDGES, CLOSES = utc(2026, 11, 23, 8), utc(2026, 11, 26, 16), utc(2026, 11, 27, 16)
NEXT_RETRO = utc(2026, 11, 30, 9)
STAFF = ["U0ALICE", "U0BOB", "U0HANNA", "U0HRMGR", "U0ITMGR", "U0SALESMGR", "U0SAM"]


def use_checkup_org(inhouse: Harness, text: str = CHECKUP_ORG) -> None:
    with inhouse.session_scope() as session:
        apply_org(session, load_org_text(text, "checkup-org.toml"))


def tick(inhouse: Harness, at: datetime) -> CheckupTick:
    """One check-up tick at ``at`` (the clock is set there first), after the app's pending work."""
    inhouse.wait_quiet()
    inhouse.clock.set(at)
    return checkup_tick(inhouse.running.deps, at)


def checkup_dms(inhouse: Harness, user: str, heading: str = "Check-up: who depends on whom?") -> list[Json]:
    return [m for m in inhouse.dms_to(user) if m["text"].startswith(heading)]


def nudges(inhouse: Harness, user: str) -> list[Json]:
    return checkup_dms(inhouse, user, "A reminder: the check-up closes soon.")


def click(inhouse: Harness, user: str, dm: Json) -> AppResponse:
    channel = inhouse.slack.dm_channel(user)
    return inhouse.signer.block_action(
        Action.CHECKUP_OPEN, user_id=user, channel_id=channel, message_ts=dm["ts"]
    ).send()


def open_form(inhouse: Harness, user: str) -> Json:
    """Click the button of ``user``'s check-up DM; the modal Slack was asked to open."""
    opened = len(inhouse.slack.calls_to("views.open"))
    (dm,) = checkup_dms(inhouse, user)
    assert click(inhouse, user, dm).status == 200
    view: Json = inhouse.slack.wait_for("views.open", count=opened + 1)[-1].response["view"]
    return view


def departments_in(view: Json) -> list[str]:
    about = f"{BlockId.CHECKUP_ABOUT}:"
    return [b["block_id"].removeprefix(about) for b in view["blocks"] if b.get("block_id", "").startswith(about)]


def ticked(view: Json, department: str) -> list[str]:
    [block] = [b for b in view["blocks"] if b.get("block_id") == f"{BlockId.CHECKUP_ABOUT}:{department}"]
    return [option["value"] for option in block["element"].get("initial_options", [])]


def answer(
    inhouse: Harness,
    user: str,
    ticks: Mapping[str, Sequence[str]],
    obstacles: Mapping[str, str] | None = None,
) -> AppResponse:
    """Open the form from the DM and send it with these statements ticked (and these obstacles written)."""
    view = open_form(inhouse, user)
    values: dict[Any, Any] = {}
    for department, questions in ticks.items():
        values[f"{BlockId.CHECKUP_ABOUT}:{department}"] = {Action.CHECKUP_QUESTIONS: checkboxes(list(questions))}
    for department, text in (obstacles or {}).items():
        values[f"{BlockId.CHECKUP_OBSTACLE}:{department}"] = {Action.CHECKUP_OBSTACLE: plain_value(text)}
    response = inhouse.signer.view_submission(Callback.CHECKUP, values, user_id=user, view_id=view["id"]).send()
    inhouse.wait_quiet()
    return response


def results(inhouse: Harness) -> dict[tuple[str, str, str], tuple[float, int]]:
    with inhouse.session_scope() as session:
        rows = session.exec(select(CheckupResult))
        return {(r.department_id, r.about_id, r.question): (r.share, r.respondents) for r in rows}


def people_rows(inhouse: Harness) -> list[Any]:
    """Every row that names someone who answered."""
    with inhouse.session_scope() as session:
        return [*session.exec(select(CheckupResponse)), *session.exec(select(CheckupAnswer))]


def seeds(inhouse: Harness) -> list[tuple[str, str, str, str, int | None]]:
    with inhouse.session_scope() as session:
        rows = session.exec(select(CheckupSeed).order_by(col(CheckupSeed.id)))
        return [(r.department_id, r.about_id, r.provider_id, r.text, r.retro_id) for r in rows]
