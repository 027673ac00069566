"""The shape of the notifications service: one-way imports inside it, and nothing under src/ using test support."""

import itertools

import grimp
import pytest


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("sscard", "tests", cache_dir=None)


def test_no_import_cycle_inside_notifications(graph):
    modules = sorted(m for m in graph.modules if m.startswith("sscard.notifications"))
    cycles = [
        (a, b)
        for a, b in itertools.permutations(modules, 2)
        if graph.direct_import_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert cycles == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        # Retrying and dispatching belong to the task layer: sending and sweeping know no queue.
        ("sscard.notifications.sender", "sscard.notifications.tasks"),
        ("sscard.notifications.sender", "sscard.notifications.outbox"),
        ("sscard.notifications.sweeper", "sscard.notifications.tasks"),
        # The template cache is cleared by a signal: the model knows nothing of the cache.
        ("sscard.notifications.models", "sscard.notifications.templates"),
    ],
)
def test_one_way_arrows(graph, importer, imported):
    assert graph.find_shortest_chain(importer=importer, imported=imported) is None


def test_shipped_code_never_imports_test_support(graph):
    shipped = {m for m in graph.modules if m.startswith("sscard")}
    importers = {m for m in shipped for i in graph.find_modules_directly_imported_by(m) if i.startswith("tests")}
    assert importers == set()
