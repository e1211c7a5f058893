"""Shared Slack machinery: the client, messages and their text, calls that log refusals, modals, forms."""
