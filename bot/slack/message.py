"""A message as the Web API takes it: a plain-text fallback and blocks."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import Block

MAX_MESSAGE_BLOCKS = 50


@dataclass(frozen=True)
class Message:
    text: str
    blocks: Sequence[Block] = field(default_factory=tuple)

    def as_kwargs(self) -> dict[str, Any]:
        if len(self.blocks) > MAX_MESSAGE_BLOCKS:
            raise ValueError(f"a message takes at most {MAX_MESSAGE_BLOCKS} blocks, not {len(self.blocks)}")
        return {"text": self.text, "blocks": [block.to_dict() for block in self.blocks]}
