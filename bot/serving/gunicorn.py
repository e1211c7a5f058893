"""HTTP mode on gunicorn (threaded workers), never Bolt's development server."""

import gc
import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from sqlalchemy import Engine

from bot.serving.web import WsgiApp


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


# A thread waiting for the GIL asks for it after this long (CPython's default is 5 ms). An ack is a chain of short
# steps, each waiting for the GIL again after I/O, behind threads doing the work that follows earlier acks; at
# 5 ms per step a burst's slowest acks took 4 to 5 times the bare app's, at 0.5 ms they stay near it.
SWITCH_INTERVAL_S = 0.0005


def _tune_worker() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def _freeze_loaded_objects() -> None:
    """Keep what the app loaded at start out of the collector's full passes.

    A worker's full collection walked every object of the loaded app (SQLAlchemy, Bolt, pydantic models,
    holiday tables) and, on a busy machine, stopped all of the worker's threads for 70 to 260 ms. Frozen
    before the fork, those objects are never walked again (nor are their pages written by the collector).
    """
    gc.collect()
    gc.freeze()


def serve(application: WsgiApp, engine: Engine, *, port: int, workers: int, threads: int) -> None:
    def post_fork(_server: Any, _worker: Any) -> None:
        # Pooled connections must not be shared across processes.
        engine.dispose(close=False)
        _tune_worker()

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
    _freeze_loaded_objects()
    _Gunicorn(application, options).run()
