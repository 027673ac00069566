import datetime

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["storage"]["ok"] and body["tasks"]["ok"]


@pytest.mark.django_db
def test_a_stuck_task_queue_makes_it_unhealthy(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from sscard.notifications.tasks import deliver_sms

    deliver_sms.using(backend="default").enqueue(0)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(hours=2))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["tasks"]["oldest_waiting_seconds"] > 7000


@pytest.mark.django_db
def test_unwritable_storage_makes_it_unhealthy(client, settings, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(blocked)}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"]["ok"] is False



@pytest.mark.django_db
def test_repeated_calls_do_not_write_a_file_each_time(client, settings, tmp_path, monkeypatch):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    written = []
    real_save = FileSystemStorage._save
    monkeypatch.setattr(FileSystemStorage, "_save", lambda self, name, content: written.append(name) or real_save(
        self, name, content))
    for _ in range(100):
        assert client.get("/healthz").json()["storage"]["ok"] is True
    assert len(written) == 1
    assert not any((tmp_path / "healthz").iterdir())  # the one probe file was removed again
