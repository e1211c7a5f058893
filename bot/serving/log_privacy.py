"""Keep request bodies out of the logs: they carry what people wrote (feedback too) and their user ids.

Bolt logs the raw body of a request whose signature fails, at INFO ("Invalid request signature
detected (signature: …, timestamp: …, body: …)"), and the body of a request a global middleware
dropped, at WARNING. This filter cuts such a message at the body. Bolt copies the filters of the
logger the App is given onto the loggers it makes, but only onto loggers without filters of their
own; so the filter also goes directly on the two loggers that write bodies.
"""

import logging
import re

_BODY = re.compile(r"(\bbody: |for the request \().*", re.DOTALL | re.IGNORECASE)
WITHHELD = "[request body withheld]"


class WithholdRequestBodies(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _BODY.search(message):
            record.msg, record.args = _BODY.sub(lambda match: match.group(1) + WITHHELD, message), None
        return True


_FILTER = WithholdRequestBodies()
BOLT_BODY_LOGGERS = ("slack_bolt.RequestVerification", "slack_bolt.App")


def withhold_request_bodies(logger: logging.Logger) -> logging.Logger:
    """``logger`` with the filter on, and Bolt's body-writing loggers too; give it to the App.

    Adding the same filter again is a no-op, however many apps a process builds.
    """
    for target in (logger, *(logging.getLogger(name) for name in BOLT_BODY_LOGGERS)):
        target.addFilter(_FILTER)
    return logger
