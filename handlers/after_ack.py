"""Work after the ack: opening a modal, on the pool kept for modals (their trigger expires 3 seconds after the
click), and a card click's change, behind the acks of a burst.

Every message is owed in a transaction and delivered by the outbox sender (``deps.outbox.wake()``), never here.
"""

import logging
from collections.abc import Callable

from slack_bolt.context.respond import Respond

from bot.deps import Deps

log = logging.getLogger(__name__)

SORRY = (
    "Sorry, Inhouse ran into a problem with that and could not finish it. Please try again in a moment; "
    "if it keeps happening, tell your Inhouse admin."
)


def apologize(response_url: str | None) -> None:
    """Tell the user privately, where Slack gave us a way to (commands and button clicks)."""
    if not response_url:
        return
    try:
        Respond(response_url=response_url)(text=SORRY, response_type="ephemeral", replace_original=False)
    except Exception:  # reporting an error must not fail in turn
        log.warning("Could not tell the user about the error", exc_info=True)


def after_ack(
    deps: Deps, work: Callable[[], None], what: str, *, response_url: str | None = None, urgent: bool = True
) -> None:
    """Run ``work`` behind the worker's acks (see bot.follow_ups): ``urgent`` (a modal) without waiting for quiet."""

    def run() -> None:
        try:
            work()
        except Exception:  # Bolt's error handler does not reach this thread: log and apologize here
            log.exception("%s failed after the ack", what)
            apologize(response_url)

    deps.after_ack.submit(run, urgent=urgent)
