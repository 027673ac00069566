"""Abandoned drafts are withdrawn and their images deleted; submitted applications keep theirs."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from sscard.applications import retention
from sscard.applications.constants import State
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.services.submission import withdraw
from sscard.applications.services.uploads import attach_upload
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import pass_photo_checks, sign_in
from tests.photo_fixtures import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def passing_photos(monkeypatch):
    pass_photo_checks(monkeypatch)


def _with_photos(application):
    for kind in (UploadKind.ID_FRONT, UploadKind.PORTRAIT):
        assert attach_upload(application, kind, jpeg(800, 1000)).ok
    return [(u.file.storage, u.file.name) for u in Upload.objects.filter(application=application)]


def _age(application, days):
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now() - datetime.timedelta(days=days))


def test_a_draft_untouched_past_the_period_is_withdrawn_and_its_photos_deleted(
    django_capture_on_commit_callbacks, settings
):
    settings.DRAFT_RETENTION_DAYS = 30
    stale, fresh = ApplicationFactory(), ApplicationFactory(person=PersonFactory())
    stale_files, fresh_files = _with_photos(stale), _with_photos(fresh)
    _age(stale, 31)
    _age(fresh, 29)
    with django_capture_on_commit_callbacks(execute=True):
        result = retention.purge_stale_drafts()
    assert result == {"withdrawn": 1, "images_deleted": 2, "skipped": 0}
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.state == State.CANCELLED and fresh.state == State.DRAFT
    event = stale.events.last()
    assert event.actor == retention.ACTOR and "30天未提交" in event.reason
    assert not any(storage.exists(name) for storage, name in stale_files)
    assert all(storage.exists(name) for storage, name in fresh_files)
    assert not Upload.objects.filter(application=stale).exists()
    with django_capture_on_commit_callbacks(execute=True):
        retention.discard_uploads(fresh)  # leave no files behind


def test_an_upload_counts_as_activity(django_capture_on_commit_callbacks):
    draft = ApplicationFactory()
    _age(draft, 40)
    _with_photos(draft)  # the citizen came back today and added photos
    assert retention.purge_stale_drafts()["withdrawn"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        retention.discard_uploads(draft)


def test_submitted_applications_and_their_materials_are_never_purged(django_capture_on_commit_callbacks):
    submitted = ApplicationFactory(submitted=True)
    files = _with_photos(ApplicationFactory(person=PersonFactory()))  # a draft with photos, kept (fresh)
    Application.objects.filter(pk=submitted.pk).update(updated_at=timezone.now() - datetime.timedelta(days=400))
    assert retention.purge_stale_drafts()["withdrawn"] == 0
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED
    assert all(storage.exists(name) for storage, name in files)
    with django_capture_on_commit_callbacks(execute=True):
        for application in Application.objects.all():
            retention.discard_uploads(application)


def test_a_citizen_withdrawing_a_draft_takes_its_photos_with_it(django_capture_on_commit_callbacks):
    draft = ApplicationFactory()
    files = _with_photos(draft)
    with django_capture_on_commit_callbacks(execute=True):
        withdraw(draft, actor="citizen:1")
    assert draft.state == State.CANCELLED
    assert not any(storage.exists(name) for storage, name in files)


def test_the_command_reports_what_it_did(capsys, settings, django_capture_on_commit_callbacks):
    settings.DRAFT_RETENTION_DAYS = 30
    draft = ApplicationFactory()
    _with_photos(draft)
    _age(draft, 45)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_drafts")
    assert "撤销草稿1份，删除照片2张" in capsys.readouterr().out


def test_the_draft_page_says_until_when_it_is_kept(client, settings):
    settings.DRAFT_RETENTION_DAYS = 30
    person = PersonFactory()
    sign_in(client)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    client.post("/apply/")
    draft = Application.objects.get()
    page = client.get(f"/apply/{draft.public_id}/").content.decode()
    expires = timezone.localtime(draft.updated_at + datetime.timedelta(days=30))
    assert f"{expires:%Y}年{expires.month}月{expires.day}日前不提交，将自动撤销" in page
