"""Shared fixtures for the photo-check tests: a small, seeded slice of the evaluation set.

No Django here: these tests exercise the pure ``sscard.photos`` package.
"""

from __future__ import annotations

import pytest

from tests.support import photo_evalset as evalset


def _need_photos() -> None:
    available, why = evalset.photos_available()
    if not available:
        pytest.skip(f"../shared/data/photos not found: {why}")


@pytest.fixture(scope="session")
def photos_dir():
    _need_photos()
    return evalset.photos_dir()


@pytest.fixture(scope="session")
def portrait_subset():
    _need_photos()
    # Two cases per code and a handful of compliant ones; the bench runs the full set.
    return evalset.portrait_cases(n_per_code=2, n_compliant=8, seed=7)


@pytest.fixture(scope="session")
def card_subset():
    _need_photos()
    return evalset.idcard_cases(n_per_code=2, n_ok=4, seed=7)


@pytest.fixture(scope="session")
def compliant_portrait(portrait_subset):
    return next(c for c in portrait_subset if c.defect == "compliant" and c.name.endswith("/0"))
