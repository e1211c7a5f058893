"""Work a person waits for only after Slack has its answer, on a small pool of its own.

Bolt runs a listener's code after ``ack()`` on the thread that acked. In a burst, twenty listeners
building modals and calling Slack at once compete for the GIL with the requests still waiting for
their ack. Handing that work to a pool of two threads leaves few runnable threads beside the acks.
"""

import logging
from collections.abc import Callable

from slack_sdk.webhook import WebhookClient

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
        WebhookClient(response_url).send(text=SORRY, response_type="ephemeral", replace_original=False)
    except Exception:  # reporting an error must not fail in turn
        log.warning("Could not tell the user about the error", exc_info=True)


def after_ack(
    deps: Deps, work: Callable[[], None], what: str, *, response_url: str | None = None, urgent: bool = False
) -> None:
    """Run ``work`` behind the worker's acks; ``urgent`` for a modal, whose trigger expires.

    See bot.serving.follow_ups.
    """

    def run() -> None:
        try:
            work()
        except Exception:  # Bolt's error handler does not reach this thread: log and apologize here
            log.exception("%s failed after the ack", what)
            apologize(response_url)

    deps.after_ack.submit(run, urgent=urgent)
