"""What a request must be before Bolt sees it: small enough, signed by Slack, and readable.

Bolt parses a body before it checks its signature, so anyone could make it log a traceback (and fill the
log) with a body that is not JSON, or make a worker read hundreds of megabytes into memory before the 401.
The gate refuses a body over :data:`MAX_BODY_BYTES` from its ``Content-Length`` before reading it (413),
one whose signature or timestamp is wrong (401), and a signed one it cannot read or route (400), each without a
traceback or a log line of its content.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from bot.slack.payloads import envelope_problem

if TYPE_CHECKING:
    from wsgiref.types import WSGIEnvironment

# Slack's own payloads stay well under this: a view submission of a 100-block modal with every input
# filled in is about 300 KB URL-encoded.
MAX_BODY_BYTES = 512 * 1024
MAX_AGE_S = 300  # Slack's own rule: a request older than five minutes may be a replay


@dataclass(frozen=True)
class Refusal:
    status: str
    reason: bytes


TOO_LARGE = Refusal("413 Content Too Large", b"request body too large\n")
UNSIGNED = Refusal("401 Unauthorized", b"invalid signature\n")
UNREADABLE = Refusal("400 Bad Request", b"unreadable request body\n")


class Gate:
    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self._secret = signing_secret.encode()
        self._clock = clock

    def check(self, environ: "WSGIEnvironment") -> Refusal | None:
        """None when the request may go on to Bolt (its body put back for Bolt to read), or why not."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return UNREADABLE
        if length > MAX_BODY_BYTES:
            return TOO_LARGE
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        environ["wsgi.input"] = BytesIO(body)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
        signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
        if not self._signed(body, timestamp, signature):
            return UNSIGNED
        return None if _readable(body, str(environ.get("CONTENT_TYPE") or "")) else UNREADABLE

    def _signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Slack's scheme (v0 HMAC-SHA256 of ``v0:{timestamp}:{body}``, at most 5 minutes old), over the raw bytes:
        slack_sdk's verifier decodes the body as UTF-8 first and raises on anything else."""
        if not timestamp.isdigit() or len(timestamp) > 12 or abs(self._clock() - int(timestamp)) > MAX_AGE_S:
            return False
        expected = hmac.new(self._secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={expected}", signature)


def _readable(body: bytes, content_type: str) -> bool:
    """A form with a JSON object in ``payload`` (interactions), a plain form (commands), or a JSON object (events),
    whose parts Bolt reads to route it have the types Bolt expects (``bot.slack.payloads.envelope_problem``):
    Bolt indexes them unchecked, and fails with a traceback before any listener or error handler can answer."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            parsed = json.loads(text)
        else:
            form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
            parsed = json.loads(form["payload"][0]) if "payload" in form else {}
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return envelope_problem(parsed) is None
