"""``[departments.X] intake_emoji``: the reaction that files a message in the department's channel as a request."""

import pytest

from bot.org.model import OrgFileError, load_org_text

ORG = """\
[organization]
timezone = "Europe/Berlin"

[departments.it]
name = "IT Support"
channel = "C0IT"
"""


@pytest.mark.parametrize(("written", "read"), [('"ticket"', "ticket"), ('":ticket:"', "ticket"), ('"+1"', "+1")])
def test_the_intake_emoji_is_an_emoji_name(written: str, read: str) -> None:
    assert load_org_text(ORG + f"intake_emoji = {written}\n").departments["it"].intake_emoji == read


def test_without_one_no_reaction_files_anything() -> None:
    assert load_org_text(ORG).departments["it"].intake_emoji is None


def test_a_name_slack_would_not_give_is_reported_at_its_line() -> None:
    with pytest.raises(OrgFileError) as raised:
        load_org_text(ORG + 'intake_emoji = "🎫"\n', "org.toml")
    assert [str(problem) for problem in raised.value.problems] == [
        "org.toml:7: departments.it.intake_emoji: '🎫' is not an emoji name: write it as Slack does, "
        'e.g. "ticket" for :ticket:'
    ]
