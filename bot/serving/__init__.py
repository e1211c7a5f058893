"""Serving Slack: the Bolt app, the WSGI app on gunicorn, and the work that follows an ack."""
