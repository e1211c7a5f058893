"""The floor Inhouse is measured against: a bare Bolt app behind exactly Inhouse's HTTP stack.

Its listeners only ack (a command also opens a one-block modal), so what it costs is Bolt, the WSGI adapter
and gunicorn. It is served through ``bot.serving.web.wsgi_app`` and ``bot.serving.gunicorn.serve``, the same
wrapper and the same gunicorn options as ``inhouse run --mode http``, and runs its listeners on a thread pool
of Inhouse's size, so any difference the benchmark sees is Inhouse's own work.

    SLACK_BOT_TOKEN=... SLACK_SIGNING_SECRET=... SLACK_API_URL=... python benchmarks/bare_app.py --port N
"""

import argparse
import logging
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.serving.app import LISTENER_THREADS
from bot.serving.gunicorn import serve
from bot.serving.web import wsgi_app
from storage import migrate
from storage.db import make_engine

COMMANDS = ("/request", "/feedback")
MODAL = {
    "type": "modal",
    "callback_id": "bare_modal",
    "title": {"type": "plain_text", "text": "Bare"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}}],
}


def on_command(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=MODAL)


def on_interaction(ack: Ack) -> None:
    ack()


def create_bare_app() -> App:
    app = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        logger=logging.getLogger("bare.bolt"),
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS),  # as Inhouse's, so only the listeners differ
    )
    for command in COMMANDS:
        app.command(command)(on_command)
    app.action(re.compile(".*"))(on_interaction)
    app.view(re.compile(".*"))(on_interaction)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The engine only backs /healthz, which the benchmark polls to know the server is up; migrated, as Inhouse's
    # is, so that the two answer it with the same work.
    engine = make_engine(f"sqlite:///{tempfile.mkdtemp()}/bare.db")
    migrate.upgrade(engine)
    application = wsgi_app(create_bare_app(), engine, signing_secret=os.environ["SLACK_SIGNING_SECRET"])
    serve(application, engine, port=args.port, workers=args.workers, threads=args.threads)


if __name__ == "__main__":
    main()
