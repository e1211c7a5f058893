"""Send each department's managers their weekly feedback digest: ``inhouse feedback digest`` and the weekly job."""

from datetime import datetime

from bot.deps import Deps
from bot.feedback.digest import digests
from bot.feedback.digest_blocks import digest_message
from bot.slack.calls import post


def send_feedback_digests(deps: Deps, now: datetime) -> int:
    """Compute the week before ``now``'s day and DM each digest to its department's managers; how many DMs went."""
    with deps.session_scope() as session:
        computed = digests(session, now)
    sent = 0
    for digest in computed:
        message = digest_message(digest)
        for manager in digest.managers:
            if post(deps.slack, manager, message, what=f"feedback digest of {digest.department_id}") is not None:
                sent += 1
    return sent
