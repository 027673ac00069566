"""``GET /healthz``: is the database answering, is storage writable, is the task queue moving?"""

from __future__ import annotations

import threading
import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure is the answer here, not a 500
        return {"ok": False, "error": type(exc).__name__}


# The storage probe writes and deletes a file: cheap once, but /healthz is public and a load balancer (or anyone)
# may call it many times a second. Each web process reuses its last answer for HEALTHZ_STORAGE_CACHE_SECONDS,
# keyed by the storage configuration so that a settings change (tests, a reload) probes afresh.
_storage_cache: dict[str, tuple[float, dict]] = {}
_storage_lock = threading.Lock()


def _probe_storage() -> dict:
    name = f"healthz/{uuid.uuid4().hex}"
    try:
        saved = default_storage.save(name, ContentFile(b"ok"))
        default_storage.delete(saved)
        return {"ok": True}
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}


def _storage() -> dict:
    key = repr(settings.STORAGES.get("default"))
    with _storage_lock:  # one probe at a time per process; the others wait for its answer
        cached = _storage_cache.get(key)
        if cached and time.monotonic() - cached[0] < settings.HEALTHZ_STORAGE_CACHE_SECONDS:
            return cached[1]
        result = _probe_storage()
        _storage_cache.clear()
        _storage_cache[key] = (time.monotonic(), result)
        return result


def _tasks() -> dict:
    backend = settings.TASKS["default"]["BACKEND"]
    if "django_tasks_db" not in backend:
        return {"ok": True, "backend": backend}
    try:
        oldest = (
            DBTaskResult.objects.ready()
            .order_by("enqueued_at")
            .values_list("enqueued_at", flat=True)
            .first()
        )
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"ok": age <= settings.TASK_QUEUE_MAX_AGE, "oldest_waiting_seconds": round(age, 1)}


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "storage": _storage()}
    checks["tasks"] = _tasks() if checks["database"]["ok"] else {"ok": False, "error": "database unavailable"}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unhealthy", **checks}, status=200 if healthy else 503)
