"""Requests between departments: filing and working them, their card, modals, Home tab and messages."""
