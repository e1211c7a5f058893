"""Every kind of outbox message a feature renders at send time, and every hook: one registry for the sender."""

from bot.feedback import outbound as feedback
from bot.requests import outbound as requests
from bot.retros import outbound as retros
from bot.sla import outbound as sla
from bot.slack.sender import Kinds

FEATURES: tuple[Kinds, ...] = (sla.KINDS, requests.KINDS, retros.KINDS, feedback.KINDS)


def all_kinds() -> Kinds:
    renderers = {kind: render for part in FEATURES for kind, render in part.renderers.items()}
    hooks = {name: hook for part in FEATURES for name, hook in part.hooks.items()}
    return Kinds(renderers=renderers, hooks=hooks, batchable=frozenset().union(*(p.batchable for p in FEATURES)))
