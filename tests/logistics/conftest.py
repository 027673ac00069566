"""Cards on their way to the citizen: a produced card for mail or for a branch, and a logistics file writer."""

from __future__ import annotations

import itertools

import pytest

from sscard.applications.constants import State
from sscard.cards import lifecycle as card_lifecycle
from sscard.delivery.constants import PickupMethod
from tests.factories import ApplicationFactory, BranchFactory

_numbers = itertools.count(1)


def make_card(application):
    n = next(_numbers)
    return card_lifecycle.issue(
        actor="test", person=application.person, application=application, card_number=f"L{n:08d}",
        card_id=f"{n:032x}", bank="中国工商银行",
    )


@pytest.fixture
def produced_card(db):
    """``produced_card("mail")`` / ``produced_card("branch")``: an application at 已制卡 with its card."""

    def make(pickup: str = PickupMethod.MAIL, **fields):
        if pickup == PickupMethod.BRANCH:
            fields.setdefault("branch", BranchFactory(name="石岐人社服务窗口", town="shiqi"))
        application = ApplicationFactory(state=State.PRODUCED, pickup_method=pickup, **fields)
        return make_card(application)

    return make


@pytest.fixture
def logistics_file(tmp_path):
    """Write CSV lines (header added) to a file and return its path."""

    def write(*lines: str, header: str = "card_number,event,waybill,at", raw: bytes | None = None):
        path = tmp_path / f"logistics-{next(_numbers)}.csv"
        path.write_bytes(raw if raw is not None else "\n".join([header, *lines, ""]).encode())
        return path

    return write
