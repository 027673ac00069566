"""Benchmark: 10,000 SMS through the outbox, the real provider SDKs and a faulty fake provider on loopback.

    .venv/bin/python bench/notifications.py [--count 10000] [--workers 8] [--deadline 300]

Uses a throw-away SQLite file (or DATABASE_URL — point it at a scratch database: tables are created there).
Queues the notifications the way the lifecycles do (inside transactions of 50), then worker threads run the
same ``sender.deliver`` the task runs, against Tencent (weight 2) and Aliyun (weight 1) with injected faults:
throttling, server errors, invalid numbers, and lost answers (accepted, then no reply). Tencent goes down
completely for a while in the middle. Receipts are posted back through the webhook parser, a sweeper runs
alongside. At the end it prints throughput and the count in each final state, and checks that none was lost
(every row final) or duplicated (no idempotency key accepted twice by the provider). Exits 1 if either fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
# The fake providers are test support (tests/support/sms_fakes.py), not shipped code: import them from the repo root.
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--deadline", type=float, default=300, help="seconds before giving up")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="sscard-bench-notif-")
    os.environ["SSCARD_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"  # the bench drives the workers
    os.environ["LOG_LEVEL"] = "ERROR"
    try:
        return run(args)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args) -> int:
    # Imported here, not at the top: main() first sets the environment that settings read, then Django starts.
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, connections, transaction
    from django.db.models import F

    from sscard.accounts.notices import send_login_code
    from sscard.notifications import outbox, receipts, sender, tasks
    from sscard.notifications.constants import FINAL_STATES, NotificationState
    from sscard.notifications.models import Notification, SmsTemplate
    from tests.support.sms_fakes import FakeSmsServer

    call_command("migrate", verbosity=0)
    if Notification.objects.exists():
        print("refusing to run: the database already holds notifications (use a scratch database)")
        return 2

    fake = FakeSmsServer(seed=42).start()
    fake.faults = {
        "tencent": {"throttled": 0.03, "server_error": 0.03, "invalid_number": 0.005, "lost_answer": 0.005},
        "aliyun": {"throttled": 0.02, "server_error": 0.02, "invalid_number": 0.005, "lost_answer": 0.005},
    }
    for name, value in fake.settings().items():
        setattr(settings, name, value)
    settings.SMS_PROVIDERS = ["tencent:2", "aliyun:1"]
    settings.SMS_PROVIDER_TIMEOUT = 5
    settings.SMS_PROVIDER_COOLDOWN = 2
    settings.SMS_RETRY_BASE_SECONDS = 1
    settings.SMS_RETRY_MAX_SECONDS = 4
    settings.SMS_MAX_ATTEMPTS = 6
    settings.SMS_STUCK_AFTER = 30
    settings.SMS_QUIET_HOURS = ""  # the bench may run at night; quiet hours are tested elsewhere
    settings.SMS_DAILY_CAP_PER_PHONE = 1000
    for template in SmsTemplate.objects.all():
        template.tencent_template_id = str(100000 + template.pk)
        template.aliyun_template_code = f"SMS_{template.pk:07d}"
        template.save()

    # --- queue -----------------------------------------------------------------------------------------
    mix = ["application_accepted", "application_approved", "card_mailed", "login_code", "lock_warning_30"]
    started = time.perf_counter()
    for start in range(0, args.count, 50):
        with transaction.atomic():
            for i in range(start, min(start + 50, args.count)):
                phone = f"13{i % 10}{i:08d}"
                code = mix[i % len(mix)]
                if code == "login_code":
                    send_login_code(phone, f"{i % 1_000_000:06d}")
                else:
                    outbox.queue_sms(phone, code, {"acceptance_number": f"SB{i:06d}", "waybill": f"SF{i}",
                                                   "card_tail": f"{i % 10000:04d}", "days_left": "30"},
                                     reference=("application", i))
    queue_seconds = time.perf_counter() - started
    print(f"queued {args.count} in {queue_seconds:.1f}s ({args.count / queue_seconds:.0f}/s, in transactions of 50)")

    # --- send ------------------------------------------------------------------------------------------
    deadline = time.monotonic() + args.deadline
    stop = threading.Event()
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                # Each worker takes its own share first (pk modulo workers) so they rarely race for a row.
                ids = list(
                    Notification.objects.filter(state=NotificationState.QUEUED, next_attempt_at__lte=_now())
                    .annotate(share=F("pk") % args.workers)
                    .filter(share=index)
                    .order_by("next_attempt_at", "pk")
                    .values_list("pk", flat=True)[:20]
                ) or list(
                    Notification.objects.filter(state=NotificationState.QUEUED, next_attempt_at__lte=_now())
                    .values_list("pk", flat=True)[:20]
                )
                if not ids:
                    time.sleep(0.05)
                    continue
                for pk in ids:
                    # The bench's workers poll for due rows themselves, so a retry outcome needs no task here.
                    result = sender.deliver(pk)
                    with lock:
                        outcomes[result.status] += 1
        finally:
            connection.close()

    def chaos() -> None:
        # Tencent goes down for 3 seconds once a third of the work is done: failover, demotion, recovery.
        try:
            while not stop.is_set() and fake.sends() < args.count // 3:
                time.sleep(0.05)
            fake.down.add("tencent")
            time.sleep(3)
            fake.down.discard("tencent")
        finally:
            connection.close()

    receipted: set[str] = set()

    def carrier() -> None:
        # Posts delivery receipts for what the provider accepted, like the providers' callbacks (1% not delivered).
        try:
            while not stop.is_set():
                with fake.lock:
                    fresh = [a for a in fake.accepted if a.message_id not in receipted]
                for accepted in fresh:
                    receipted.add(accepted.message_id)
                    delivered = hash(accepted.message_id) % 100 != 0
                    for receipt in receipts.parse(accepted.provider, fake.receipt_payload(accepted, delivered)):
                        receipts.apply(receipt)
                time.sleep(0.1)
        finally:
            connection.close()

    def sweeping() -> None:
        try:
            while not stop.is_set():
                tasks.sweep_and_dispatch()  # dispatches into the dummy backend; the workers poll anyway
                time.sleep(1)
        finally:
            connection.close()

    def remaining() -> int:
        return Notification.objects.exclude(state__in=FINAL_STATES).count()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    threads += [threading.Thread(target=t) for t in (chaos, carrier, sweeping)]
    for t in threads:
        t.start()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        if not Notification.objects.filter(state__in=[NotificationState.QUEUED, NotificationState.SENDING]).exists():
            # Everything sent or final: give the carrier time to post the last receipts.
            time.sleep(1.0)
            if remaining() == 0:
                break
    send_seconds = time.perf_counter() - started
    stop.set()
    for t in threads:
        t.join()
    connections.close_all()

    # --- report ----------------------------------------------------------------------------------------
    states = Counter(Notification.objects.values_list("state", flat=True))
    by_provider = Counter(Notification.objects.filter(state__in=["sent", "delivered"]).values_list("provider", flat=True))
    failures = Counter(Notification.objects.filter(state="failed").values_list("last_error", flat=True))
    reached = Counter((k[0], k[1], k[2]) for k in fake.calls.elements())
    final = sum(n for s, n in states.items() if s in FINAL_STATES)
    duplicates = fake.duplicates()
    keys = set(str(k) for k in Notification.objects.filter(state__in=["sent", "delivered"]).values_list(
        "idempotency_key", flat=True))
    accepted_keys = {a.idempotency_key for a in fake.accepted}
    sent_not_accepted = len(keys - accepted_keys)

    print(f"database: {connection.vendor}; workers: {args.workers}; providers: tencent:2, aliyun:1 (fake, loopback)")
    print(f"send phase: {send_seconds:.1f}s, {final / send_seconds:.0f} notifications/s reached a final state")
    print(f"provider calls: {sum(reached.values())} "
          + ", ".join(f"{p}.{a}.{o}={n}" for (p, a, o), n in sorted(reached.items())))
    print(f"attempt outcomes: {dict(outcomes)}")
    print("final states: " + ", ".join(f"{s}={states.get(s, 0)}" for s in ["delivered", "failed", "expired"])
          + "; not final: " + ", ".join(f"{s}={n}" for s, n in states.items() if s not in FINAL_STATES) or "0")
    print(f"sent/delivered by provider: {dict(by_provider)}")
    print(f"failed reasons: {dict(failures.most_common(6))}")
    print(f"accepted by provider: {len(fake.accepted)} messages, duplicates by idempotency key: {len(duplicates)}")
    lost = args.count - final
    ok = lost == 0 and not duplicates and sent_not_accepted == 0 and fake.signature_failures == 0
    print(f"lost (not final at the end): {lost}; sent rows the provider never accepted: {sent_not_accepted}; "
          f"signature failures: {fake.signature_failures}")
    print("RESULT: " + ("OK — none lost, none duplicated" if ok else "FAILED"))
    fake.stop()
    return 0 if ok else 1


def _now():
    from django.utils import timezone  # see run(): nothing from Django is imported before main() sets up

    return timezone.now()


if __name__ == "__main__":
    sys.exit(main())
