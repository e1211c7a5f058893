"""The outbox's builders: one message to many conversations is the same rows as a post to each."""

from slack_sdk.models.blocks import SectionBlock

from bot.slack import outbox as owed
from bot.slack.message import Message

MESSAGE = Message(text="Hello", blocks=[SectionBlock(text="*Hello*")])


def test_posting_to_each_is_posting_to_each_one_by_one() -> None:
    recipients = {"fanout:U0ALICE": "U0ALICE", "fanout:C0IT": "C0IT"}

    assert owed.post_each(recipients, MESSAGE) == [owed.post(key, to, MESSAGE) for key, to in recipients.items()]
