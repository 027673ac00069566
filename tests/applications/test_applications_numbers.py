import datetime
import multiprocessing

import pytest
from django.db import connection

from sscard.applications import numbers

DAY = datetime.date(2026, 11, 29)


def test_format_and_check_character():
    number = numbers.format_number(DAY, 123)
    assert number.startswith("ZS20261129000123") and len(number) == 17
    assert numbers.is_valid(number)
    assert numbers.is_valid(number.lower())
    typo = number[:10] + ("1" if number[10] != "1" else "2") + number[11:]
    assert not numbers.is_valid(typo)
    assert not numbers.is_valid("")


@pytest.mark.django_db
def test_daily_sequence_counts_up_and_restarts_each_day():
    assert numbers.allocate(DAY).startswith("ZS20261129000001")
    assert numbers.allocate(DAY).startswith("ZS20261129000002")
    assert numbers.allocate(DAY + datetime.timedelta(days=1)).startswith("ZS20261130000001")


def _allocate_in_child(db_settings, day, barrier, queue):
    import django

    django.setup()
    from django.db import connections

    connections.databases["default"].update(db_settings)
    from sscard.applications import numbers as child_numbers

    barrier.wait(timeout=30)
    queue.put([child_numbers.allocate(day) for _ in range(5)])


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_allocations_give_fifty_distinct_numbers(postgres_only):
    ctx = multiprocessing.get_context("spawn")
    barrier, queue = ctx.Barrier(10), ctx.Queue()
    db_settings = {"NAME": connection.settings_dict["NAME"]}
    workers = [ctx.Process(target=_allocate_in_child, args=(db_settings, DAY, barrier, queue)) for _ in range(10)]
    for worker in workers:
        worker.start()
    allocated = [n for _ in workers for n in queue.get(timeout=60)]
    for worker in workers:
        worker.join(timeout=30)
    assert len(allocated) == 50
    assert len(set(allocated)) == 50
    assert sorted(int(n[10:16]) for n in allocated) == list(range(1, 51))
