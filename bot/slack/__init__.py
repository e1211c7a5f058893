"""Shared Slack machinery: the outbox and its one sender, the clients, messages and their text, modals, forms."""
