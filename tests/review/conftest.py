"""Shared set-up for the review tests: reviewers, and submitted applications the machine could approve."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sscard.accounts.models import User
from sscard.applications import lifecycle
from sscard.applications.models import Application, Upload
from sscard.applications.services.uploads import required_uploads
from sscard.notifications.models import Notification
from tests.factories import ApplicationFactory


def add_uploads(application: Application, *, failing: dict[str, list[dict]] | None = None) -> None:
    """One row per required kind, as the upload service stores them (no file is written)."""
    failing = failing or {}
    for kind in required_uploads(application):
        problems = failing.get(kind, [])
        Upload.objects.create(
            application=application, kind=kind, file=f"uploads/test/{kind}.jpg", ok=not problems,
            problems=problems, sha256="0" * 64, original_size=150_000,
        )


def submitted(*, uploads: bool = True, failing=None, **fields) -> Application:
    """A draft with its photos, then submitted through the lifecycle (on-commit work is not run here)."""
    application = ApplicationFactory(**fields)
    if uploads:
        add_uploads(application, failing=failing)
    lifecycle.perform(application, "submit", actor="citizen:1")
    return application


def sms_for(application: Application, template_code: str) -> list[Notification]:
    """The SMS of one template this application's citizen was sent (matched by the acceptance number)."""
    rows = Notification.objects.filter(template_code=template_code).order_by("id")
    return [n for n in rows if application.acceptance_number and application.acceptance_number in n.body]


@pytest.fixture
def make_reviewer(db):
    def make(username: str = "reviewer1") -> User:
        return User.objects.create_user(username=username, password="x" * 12, role="reviewer")

    return make


@pytest.fixture
def reviewer(make_reviewer):
    return make_reviewer("reviewer1")


@pytest.fixture
def other_reviewer(make_reviewer):
    return make_reviewer("reviewer2")


@pytest.fixture
def now():
    return timezone.now()
