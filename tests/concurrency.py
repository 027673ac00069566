"""Work run in separate processes (spawned) by the PostgreSQL race tests.

Imports nothing from Django at module level: a spawned child imports this module before it has
set Django up, then each function sets it up and points the connection at the test database.
"""

from __future__ import annotations


def _setup(db_name: str) -> None:
    import django

    django.setup()
    from django.db import connections

    connections.databases["default"]["NAME"] = db_name


def race_transition(db_name, pk, action, barrier, queue):
    _setup(db_name)
    from sscard.applications import lifecycle
    from sscard.applications.models import Application
    from sscard.common.statemachine import TransitionNotAllowed

    application = Application.objects.get(pk=pk)  # both read "reviewing" before either writes
    barrier.wait(timeout=60)
    try:
        lifecycle.perform(application, action, actor=f"race:{action}")
        queue.put((action, "won"))
    except TransitionNotAllowed as exc:
        queue.put((action, exc.message))


def run_processes(target, arg_sets):
    """Start one spawned process per argument tuple (each gets barrier and queue appended); collect results."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(len(arg_sets)), ctx.Queue()
    processes = [ctx.Process(target=target, args=(*args, barrier, queue)) for args in arg_sets]
    for process in processes:
        process.start()
    results = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return results
