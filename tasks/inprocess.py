"""The embedded default: a Dramatiq worker and the scheduler inside the web process (no Redis)."""
from __future__ import annotations

from dramatiq import Worker

from tasks import scheduler
from tasks import broker as _broker
from tasks.middleware import AppContextMiddleware


def start(app, threads: int = 2):
    """Start worker threads and the scheduler thread; returns a function that stops both.

    ``app`` comes from create_app, which has bound the configured (stub) broker."""
    broker = _broker.current()
    broker.add_middleware(AppContextMiddleware(app))
    from tasks import actors, notify_actors, video_actors  # noqa: F401
    worker = Worker(broker, worker_threads=threads, worker_timeout=100)
    worker.start()
    thread, stop = scheduler.start_thread(app)

    def shutdown():
        stop.set()
        thread.join(timeout=5)
        worker.stop()

    return shutdown
