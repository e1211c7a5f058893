"""Reports: the figures of every provider x customer relationship, as text, CSV, JSON, charts and Slack messages."""
