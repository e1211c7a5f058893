"""What every feature's form parsing shares: a modal's state values in, field errors out."""

from dataclasses import dataclass
from typing import Any

StateValues = dict[str, dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class Errors:
    """Field errors by block_id, as ``ack(response_action="errors", errors=...)`` takes them."""

    by_block: dict[str, str]
