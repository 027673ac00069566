"""The models are built after a server forks, once per process, and a gunicorn worker builds them
as it starts rather than on a citizen's first upload."""

from __future__ import annotations

import multiprocessing as mp
import threading

from sscard import gunicorn_conf
from sscard.photos import models


def _in_fresh_process(queue) -> None:
    m = models  # this module was imported afresh in the spawned process: nothing built yet
    before = [lazy._obj is not None for lazy in (m._detector, m._segmenter)] + [bool(m._meshes)]
    gunicorn_conf.post_fork(server=None, worker=None)
    for t in threading.enumerate():
        if t.name == "photo-models":
            t.join(timeout=120)
    after = [lazy._obj is not None for lazy in (m._detector, m._segmenter)]
    after.append(len(m._meshes) == 2 and all(lazy._obj is not None for lazy in m._meshes.values()))
    queue.put((before, after))


def test_a_new_worker_builds_every_model_in_the_background():
    ctx = mp.get_context("spawn")  # a process that has built nothing yet, like a fresh worker
    queue = ctx.Queue()
    p = ctx.Process(target=_in_fresh_process, args=(queue,))
    p.start()
    before, after = queue.get(timeout=180)
    p.join(timeout=30)
    assert not any(before), "nothing is built at import time (before the fork)"
    assert all(after), after


def test_models_built_in_one_process_are_rebuilt_after_a_fork(monkeypatch):
    built = []
    lazy = models._Lazy(lambda: built.append(object()) or built[-1])
    with lazy.lock:
        first = lazy.get()
        assert lazy.get() is first
    monkeypatch.setattr(models.os, "getpid", lambda: -1)  # as seen from a forked child
    with lazy.lock:
        assert lazy.get() is not first
    assert len(built) == 2
