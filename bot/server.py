"""HTTP mode on gunicorn (threaded workers), never Bolt's development server."""

from typing import Any

from gunicorn.app.base import BaseApplication
from sqlalchemy import Engine

from bot.web import WsgiApp


class _Gunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn is untyped
    def __init__(self, application: WsgiApp, options: dict[str, Any]) -> None:
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> WsgiApp:
        return self.application


def serve(application: WsgiApp, engine: Engine, *, port: int, workers: int, threads: int) -> None:
    def post_fork(_server: Any, _worker: Any) -> None:
        # Pooled connections must not be shared across processes.
        engine.dispose(close=False)

    options = {
        "bind": f"0.0.0.0:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 30,
        "graceful_timeout": 30,
        "post_fork": post_fork,
        "accesslog": None,
    }
    _Gunicorn(application, options).run()
