import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

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


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_allocations_give_fifty_distinct_numbers(postgres_only):
    """50 threads, each with its own PostgreSQL connection, allocate at the same moment."""
    barrier = threading.Barrier(50)

    def allocate():
        try:
            barrier.wait(timeout=60)
            return numbers.allocate(DAY)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=50) as pool:
        allocated = list(pool.map(lambda _: allocate(), range(50)))
    assert len(allocated) == 50
    assert len(set(allocated)) == 50
    assert sorted(int(n[10:16]) for n in allocated) == list(range(1, 51))
