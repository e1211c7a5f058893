"""The check-up end to end in Slack: the DMs, the modal, answering and changing, one nudge, the close that keeps
only shares, the seed in the pair's next retro; and the fan-out that holds back nothing else."""

from sqlmodel import col, select

from bot.ids import BlockId
from storage.checkup_models import Checkup
from storage.models import Outbox
from storage.retro_models import Retro
from tests.handlers.checkup_kit import (
    CLOSES,
    NEXT_RETRO,
    NUDGES,
    OPENS,
    STAFF,
    answer,
    checkup_dms,
    click,
    departments_in,
    nudges,
    open_form,
    people_rows,
    results,
    seeds,
    tick,
    ticked,
    use_checkup_org,
)
from tests.handlers.harness import Harness
from tests.handlers.retro_kit import prompts, texts
from tests.handlers.retro_kit import tick as retro_tick


def opened(inhouse: Harness) -> None:
    use_checkup_org(inhouse)
    retro_tick(inhouse, OPENS)  # the pair's retro schedule starts counting (its first retro is next Monday)
    assert tick(inhouse, OPENS).opened == 1
    inhouse.deliver_later(len(STAFF))


def test_everyone_in_a_department_gets_one_dm_with_a_button(inhouse: Harness) -> None:
    opened(inhouse)

    for user in STAFF:
        (dm,) = checkup_dms(inhouse, user)
        [button] = dm["blocks"][-1]["elements"]
        assert (button["text"]["text"], button["action_id"]) == ("Answer the check-up", "checkup_open")
    assert checkup_dms(inhouse, "U0CTO") == []  # escalate_to is nobody's member or manager
    assert tick(inhouse, OPENS).opened == 0  # once per period


def test_the_modal_asks_about_the_other_departments_those_you_work_with_first(inhouse: Harness) -> None:
    use_checkup_org(inhouse)
    inhouse.clock.set(OPENS.replace(day=20))
    inhouse.file_request("U0SAM")  # Sales asks IT: for IT, Sales comes before People & Culture
    tick(inhouse, OPENS)
    inhouse.deliver_later(len(STAFF))

    view = open_form(inhouse, "U0ALICE")

    assert departments_in(view) == ["sales", "hr"]
    [sales] = [b for b in view["blocks"] if b.get("block_id") == f"{BlockId.CHECKUP_ABOUT}:sales"]
    assert sales["label"]["text"] == "Sales"
    assert [o["text"]["text"] for o in sales["element"]["options"]] == [
        "Their work and success depend on ours",
        "They rely on our work to do their job",
        "We supply something they need",
        "We have knowledge or skills they lack",
        "Their effectiveness depends on ours",
        "They complain about our work",
        "We depend on their work: we are their customer",
    ]
    assert departments_in(open_form(inhouse, "U0HANNA")) == ["it", "sales"]


def test_answers_can_be_changed_while_it_is_open_and_the_form_shows_them(inhouse: Harness) -> None:
    opened(inhouse)

    first = answer(inhouse, "U0ALICE", {"sales": ["success", "complaints"]}, {"sales": "Tickets by phone"})
    assert first.json()["response_action"] == "update"
    assert first.json()["view"]["blocks"][0]["text"]["text"].startswith("Thank you: your answers are in.")
    view = open_form(inhouse, "U0ALICE")
    assert ticked(view, "sales") == ["success", "complaints"]
    [obstacle] = [b for b in view["blocks"] if b.get("block_id") == f"{BlockId.CHECKUP_OBSTACLE}:sales"]
    assert obstacle["element"]["initial_value"] == "Tickets by phone"

    answer(inhouse, "U0ALICE", {"sales": ["success"]})

    assert ticked(open_form(inhouse, "U0ALICE"), "sales") == ["success"]
    assert len(people_rows(inhouse)) == 2  # one response, one answer: the first answers were replaced


def test_one_nudge_goes_a_working_day_before_the_close_to_those_who_have_not_answered(inhouse: Harness) -> None:
    opened(inhouse)
    answer(inhouse, "U0ALICE", {"sales": ["success"]})

    assert tick(inhouse, NUDGES.replace(hour=15)).nudged == 0
    assert tick(inhouse, NUDGES).nudged == len(STAFF) - 1
    assert tick(inhouse, NUDGES.replace(hour=20)).nudged == 0
    inhouse.deliver_later(len(STAFF))

    assert nudges(inhouse, "U0ALICE") == []
    for user in STAFF[1:]:
        (nudge,) = nudges(inhouse, user)
        assert nudge["blocks"][-1]["elements"][0]["action_id"] == "checkup_open"


def test_the_close_keeps_shares_per_pair_and_question_and_forgets_who_said_what(inhouse: Harness) -> None:
    opened(inhouse)
    answer(inhouse, "U0ALICE", {"sales": ["success", "rely", "complaints"]}, {"sales": "They call instead of filing"})
    answer(inhouse, "U0ALICE", {"sales": ["success", "rely"]}, {"sales": "They call instead of filing"})
    answer(inhouse, "U0BOB", {"sales": ["success"], "hr": ["we_depend"]}, {"sales": "Requests without details"})
    answer(inhouse, "U0SAM", {"it": ["we_depend"]}, {"it": "Slow answers"})
    tick(inhouse, NUDGES)

    assert tick(inhouse, CLOSES).closed == 1

    shares = results(inhouse)
    assert shares[("it", "sales", "success")] == (1.0, 2)
    assert shares[("it", "sales", "rely")] == (0.5, 2)
    assert shares[("it", "sales", "complaints")] == (0.0, 2)
    assert shares[("it", "sales", "customer")] == (1.0, 2)
    assert shares[("it", "hr", "we_depend")] == (0.5, 2)
    assert shares[("sales", "it", "we_depend")] == (1.0, 1)
    assert ("hr", "it", "success") not in shares  # nobody of HR answered
    assert people_rows(inhouse) == []
    with inhouse.session_scope() as session:
        assert list(session.exec(select(Outbox).where(col(Outbox.key).contains(":nudge:")))) == []
        (checkup,) = session.exec(select(Checkup))
        assert checkup.closed_at == CLOSES
    # Two of IT wrote about Sales (anonymity_min is 2): kept without names, in sorted order; Sam alone: not kept.
    # No requests between them: the one written about counts as the provider.
    assert seeds(inhouse) == [
        ("it", "sales", "sales", "Requests without details", None),
        ("it", "sales", "sales", "They call instead of filing", None),
    ]


def test_what_enough_people_wrote_seeds_the_pairs_next_retro_without_names(inhouse: Harness) -> None:
    opened(inhouse)
    answer(inhouse, "U0ALICE", {}, {"sales": "They call <!channel> instead of filing"})
    answer(inhouse, "U0BOB", {}, {"sales": "Requests without details"})
    tick(inhouse, CLOSES)

    retro_tick(inhouse, NEXT_RETRO)  # Monday 10:00 Berlin: IT & Sales

    (prompt,) = prompts(inhouse, "C0ITSALES")
    [seed] = [text for text in texts(prompt) if text.startswith("*From the check-up")]
    assert seed == (
        "*From the check-up: what gets in the way, say 2 people of IT Support about Sales*\n"
        "• Requests without details\n"
        "• They call &lt;!channel&gt; instead of filing"
    )
    assert "U0ALICE" not in str(prompt)
    assert "U0BOB" not in str(prompt)
    assert [taken for *_, taken in seeds(inhouse)] == [prompts_retro_id(inhouse)] * 2


def prompts_retro_id(inhouse: Harness) -> int:
    with inhouse.session_scope() as session:
        (retro,) = session.exec(select(Retro))
        assert retro.id is not None
        return retro.id


def test_after_the_close_the_button_says_it_has_closed(inhouse: Harness) -> None:
    opened(inhouse)
    tick(inhouse, CLOSES)
    (dm,) = checkup_dms(inhouse, "U0SAM")

    response = click(inhouse, "U0SAM", dm)

    assert inhouse.private_answers(response) == [
        "This check-up has closed: answers are no longer taken. Thank you all the same."
    ]


def test_the_fan_out_goes_one_dm_a_second_and_a_card_owed_meanwhile_goes_at_once(inhouse: Harness) -> None:
    use_checkup_org(inhouse)
    inhouse.clock.set(OPENS)
    tick(inhouse, OPENS)

    with inhouse.session_scope() as session:
        invites = list(
            session.exec(select(Outbox).where(col(Outbox.key).startswith("checkup:")).order_by(col(Outbox.id)))
        )
    assert [(row.deliver_after - OPENS).total_seconds() for row in invites] == list(range(len(STAFF)))
    inhouse.file_request("U0SAM")  # its card is posted before the invitations still to come

    assert len(inhouse.slack.messages("C0IT")) == 1
    assert sum(len(checkup_dms(inhouse, user)) for user in STAFF) < len(STAFF)
