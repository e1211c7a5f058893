"""Inhouse: service relationships between a company's departments, inside Slack."""
