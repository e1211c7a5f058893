"""Every kind of outbox message a feature renders at send time, and every hook: one registry for the sender."""

from bot.config import Settings
from bot.feedback import outbound as feedback
from bot.feedback.keyring import keyring
from bot.relationships import outbound as relationships
from bot.reports import outbound as reports
from bot.requests import intake
from bot.requests import outbound as requests
from bot.retros import outbound as retros
from bot.sla import outbound as sla
from bot.slack.sender import Kinds


def all_kinds(settings: Settings) -> Kinds:
    """``settings`` for what a renderer needs of them (the key that opens the way back to an anonymous author)."""
    features = (
        sla.KINDS,
        requests.KINDS,
        intake.KINDS,
        retros.KINDS,
        reports.KINDS,
        relationships.KINDS,
        feedback.kinds(keyring(settings)),
    )
    renderers = {kind: render for part in features for kind, render in part.renderers.items()}
    hooks = {name: hook for part in features for name, hook in part.hooks.items()}
    return Kinds(renderers=renderers, hooks=hooks, batchable=frozenset().union(*(p.batchable for p in features)))
