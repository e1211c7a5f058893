"""Keep request bodies out of the logs: they carry what people wrote (feedback too) and their user ids.

Bolt logs the raw body of a request whose signature fails, at INFO ("Invalid request signature
detected (signature: …, timestamp: …, body: …)"), and the body of a request a global middleware
dropped, at WARNING. This filter cuts such a message at the body. Bolt copies the filters of the
logger the App is given onto the loggers it makes for its middleware, so installing it there, before
the App is built, covers them.
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


def withhold_request_bodies(logger: logging.Logger) -> logging.Logger:
    """``logger`` with the filter on (once, however many apps are built); give it to the App."""
    logger.addFilter(_FILTER)
    return logger
