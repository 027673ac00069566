"""The progress timeline a citizen reads: what happened, then what is still to come."""

from __future__ import annotations

import pytest

from sscard.applications import lifecycle
from sscard.applications.services.progress import timeline
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_a_case_given_back_to_the_review_queue_is_not_a_step_for_the_citizen():
    application = ApplicationFactory(submitted=True)
    lifecycle.perform(application, "start_review", actor="staff:a")
    lifecycle.perform(application, "release_review", actor="staff:a")
    labels = [(e.label, e.done) for e in timeline(application)]
    assert labels[0] == ("已受理", True)
    assert [label for label, done in labels if done] == ["已受理", "审核中"]
    assert labels[2:] == [("审核中", False), ("审核通过", False), ("制卡中", False), ("已寄出", False), ("已签收", False)]


def test_public_timeline_hides_the_acceptance_number_but_keeps_the_return_reason():
    application = ApplicationFactory(returned=True)
    own = {e.label: e.detail for e in timeline(application)}
    public = {e.label: e.detail for e in timeline(application, public=True)}
    assert application.acceptance_number in own["已受理"] and public["已受理"] == ""
    assert public["需要补充材料"] == own["需要补充材料"] == "测试原因"
