"""Benchmark: the back office's list and dashboard pages at 1,000 and 100,000 applications on PostgreSQL.

    .venv/bin/python bench/backoffice.py [--rows 100000] [--small 1000] [--repeat 5]
        [--server postgres://postgres@127.0.0.1:5432] [--database sscard_bench]

Creates its own database (dropped first if a previous run left it, dropped again at the end), migrates it,
and bulk-inserts generated applications with the history a real one has: submission, the machine's or a
reviewer's decision at realistic delays, returns with reasons and resubmissions, production and delivery,
claims and machine findings on the ones still in the queue, overdue flags. Applications are spread over the
last 180 days, so the dashboards' default period (the last 30 days) holds about a sixth of them.

Each page is requested through Django's test Client by a staff member signed in the way people sign in
(password, then the TOTP code): the review queue (``review:workbench``) as a reviewer, each dashboard as a
supervisor. For each page it prints the median latency at both sizes, their ratio, and the number of
queries at both sizes, which must be equal (exit 1 if not). The last line says whether it passed.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "Bench@Pass-2025"
TOTP_KEY = "3132333435363738393031323334353637383930"
BATCH = 5000


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per page (median reported)")
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--database", default="sscard_bench")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards (to EXPLAIN queries)")
    args = parser.parse_args()

    server = urlsplit(args.server)
    pg = ["-h", server.hostname or "127.0.0.1", "-p", str(server.port or 5432), "-U", server.username or "postgres"]
    if subprocess.run(["pg_isready", "-q", *pg], check=False).returncode != 0:
        # `make bench` runs every script: say plainly that this one did not run, and let the others run.
        print(f"backoffice bench SKIPPED: no PostgreSQL answering at {args.server} (--server or BENCH_PG_SERVER)")
        return 0
    subprocess.run(["dropdb", "--if-exists", *pg, args.database], check=True)
    subprocess.run(["createdb", *pg, args.database], check=True)
    var_dir = tempfile.mkdtemp(prefix="sscard-bench-backoffice-")
    os.environ["SSCARD_VAR_DIR"] = var_dir
    os.makedirs(os.path.join(var_dir, "static"))  # whitenoise's folder (the bench runs no collectstatic)
    os.environ["DATABASE_URL"] = f"{args.server.rstrip('/')}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["LOG_LEVEL"] = "ERROR"
    try:
        return run(args)
    finally:
        # Imported here: Django is only set up inside run(), after the environment above.
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: {os.environ['DATABASE_URL']}")
        else:
            subprocess.run(["dropdb", "--if-exists", *pg, args.database], check=False)
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args) -> int:
    # Imported here, not at the top: main() first sets the environment that settings read, then Django starts.
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - started:.1f} s")
    generator = Generator(seed=20250301)
    clients, pages = sign_in_and_pages()

    results = {}
    made = 0
    for size in (args.small, args.rows):
        started = time.perf_counter()
        generator.make(size - made)
        made = size
        analyze()
        print(f"generated {size:,} applications ({generator.events:,} events) in {time.perf_counter() - started:.1f} s")
        results[size] = {name: measure(clients[who], url, args.repeat) for name, (who, url) in pages.items()}
    return report(results, args.small, args.rows)


def sign_in_and_pages():
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sscard.accounts.models import User

    clients = {}
    for username, role in (("bench-reviewer", "reviewer"), ("bench-supervisor", "supervisor")):
        user = User.objects.create_user(username=username, password=PASSWORD, role=role, first_name="压测")
        TOTPDevice.objects.create(user=user, name="压测设备", key=TOTP_KEY, confirmed=True)
        client = Client()
        response = client.post("/staff/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response
        token = f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"
        response = client.post("/staff/login/verify/", {"token": token})
        assert response.status_code == 302, response.content.decode()
        clients[role] = client
    pages = {}
    try:
        pages["审核队列 /staff/review/"] = ("reviewer", reverse("review:workbench"))
    except NoReverseMatch:
        print("review:workbench does not exist: the review queue is not timed")
    for name, label in (("intake", "受理量"), ("review", "审核与时限"), ("reviewers", "审核员工作量")):
        pages[f"看板·{label} {reverse('dashboards:' + name)}"] = ("supervisor", reverse(f"dashboards:{name}"))
    pages["看板·按日明细CSV"] = ("supervisor", reverse("dashboards:export", args=["intake", "intake_by_channel"]))
    try:
        pages["超期清单 /staff/review/overdue/"] = ("supervisor", reverse("review:overdue"))
    except NoReverseMatch:
        pass
    return clients, pages


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection

    response = client.get(url)  # warm-up: caches, the session row
    assert response.status_code == 200, (url, response.status_code)
    queries = []
    # A wrapper sees every query sent; the debug log would not do (each request resets it).
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        client.get(url)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return {"ms": 1000 * statistics.median(timings), "queries": len(queries), "bytes": len(response.content)}


def report(results: dict, small: int, large: int) -> int:
    print()
    print(f"{'page':<44}{small:>9,} ms{large:>10,} ms{'ratio':>8}{'queries':>10}{'':>4}{'queries':>9}")
    ok = True
    worst = 0.0
    for name in results[small]:
        a, b = results[small][name], results[large][name]
        ratio = b["ms"] / a["ms"]
        worst = max(worst, ratio)
        same = a["queries"] == b["queries"]
        ok &= same
        flag = "" if same else "  <- query count grew"
        print(f"{name:<44}{a['ms']:>12.1f}{b['ms']:>13.1f}{ratio:>8.1f}{a['queries']:>10}{'→':>4}{b['queries']:>9}{flag}")
    print()
    verdict = "PASS" if ok else "FAIL"
    print(f"backoffice bench {verdict}: {large:,} vs {small:,} applications on PostgreSQL; "
          f"query counts {'equal at both sizes on every page' if ok else 'NOT equal'}; worst latency ratio {worst:.1f}×")
    return 0 if ok else 1


class Generator:
    """Applications with their history, inserted in batches (bulk_create), spread over the last 180 days."""

    CHANNELS = (("yueshengshi", 45), ("h5", 30), ("website", 15), ("counter", 10))
    REASONS = ("portrait_background", "portrait_blurred", "portrait_head", "id_front_unclear", "id_expired",
               "address_imprecise", "relationship_proof")
    DAYS = 180

    def __init__(self, seed: int):
        from django.utils import timezone

        from sscard.addresses.towns import TOWNS
        from sscard.review.models import ReturnReason

        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.towns = [t.code for t in TOWNS]
        self.town_weights = [self.rng.randint(1, 10) for _ in TOWNS]
        self.reasons = {r.code: r.as_data() for r in ReturnReason.objects.filter(code__in=self.REASONS)}
        self.sequence = 0
        self.events = 0

    def make(self, count: int) -> None:
        from django.db import transaction

        done = 0
        while done < count:
            n = min(BATCH, count - done)
            with transaction.atomic():
                self._batch(n)
            done += n

    def _batch(self, n: int) -> None:
        from sscard.accounts.models import User
        from sscard.applications.models import Application, ApplicationEvent
        from sscard.review.models import AutoReview, Claim, OverdueFlag

        reviewers = list(User.objects.filter(role="reviewer", username__startswith="bench-rv"))
        if not reviewers:
            reviewers = [User.objects.create_user(username=f"bench-rv{i:02d}", password=None, role="reviewer")
                         for i in range(12)]
        plans, rows = [], []
        for _ in range(n):
            self.sequence += 1
            plan = self._plan(reviewers)
            plans.append(plan)
            rows.append(Application(
                acceptance_number=f"B{self.sequence:011d}", state=plan["state"], state_changed_at=plan["events"][-1][4],
                channel=plan["channel"], name="压测用户", id_number=f"BENCH{self.sequence:013d}",
                phone=f"139{self.sequence:08d}", town=plan["town"], address_detail="幸福小区5栋3单元602",
                pickup_method="mail", decision_due=plan["due"],
            ))
        Application.objects.bulk_create(rows, batch_size=BATCH)
        events = []
        for application, plan in zip(rows, plans, strict=True):
            for action, source, target, actor, at, data in plan["events"]:
                events.append(ApplicationEvent(application_id=application.pk, action=action, from_state=source,
                                               to_state=target, actor=actor, reason="", data=data, created_at=at))
        ApplicationEvent.objects.bulk_create(events, batch_size=BATCH)
        self.events += len(events)
        claims, findings, flags = [], [], []
        cursor = 0
        for application, plan in zip(rows, plans, strict=True):
            mine = events[cursor:cursor + len(plan["events"])]
            cursor += len(plan["events"])
            if plan["state"] not in ("submitted", "reviewing"):
                continue
            submission = [e for e in mine if e.action in ("submit", "resubmit")][-1]
            findings.append(AutoReview(application_id=application.pk, submission_event_id=submission.pk,
                                       approved=False, created_at=submission.created_at + datetime.timedelta(seconds=5),
                                       findings=[{"code": "images_passed", "ok": False, "title": "照片全部通过检查",
                                                  "detail": "证件照背景不是白色"}]))
            if plan["state"] == "reviewing":
                claims.append(Claim(application_id=application.pk, reviewer=plan["reviewer"],
                                    claimed_at=mine[-1].created_at, last_activity_at=mine[-1].created_at))
            if plan["overdue"]:
                day = submission.created_at.date()
                flags.append(OverdueFlag(application_id=application.pk, submission_event_id=submission.pk,
                                         submitted_on=day, overdue_since=day + datetime.timedelta(days=8),
                                         new_date=day + datetime.timedelta(days=11),
                                         flagged_at=submission.created_at + datetime.timedelta(days=8)))
        AutoReview.objects.bulk_create(findings)
        Claim.objects.bulk_create(claims)
        OverdueFlag.objects.bulk_create(flags)

    def _plan(self, reviewers) -> dict:
        """One application's story: who decided, when, and how far it got since."""
        rng = self.rng
        age = datetime.timedelta(seconds=rng.uniform(0, self.DAYS * 86400))
        submitted = self.now - age
        events = [("create", "", "draft", "citizen:1", submitted - datetime.timedelta(minutes=rng.randint(3, 90)), {}),
                  ("submit", "draft", "submitted", "citizen:1", submitted, {})]
        plan = {"channel": rng.choices([c for c, _ in self.CHANNELS], [w for _, w in self.CHANNELS])[0],
                "town": rng.choices(self.towns, self.town_weights)[0], "due": (submitted + datetime.timedelta(days=4)).date(),
                "overdue": False, "reviewer": rng.choice(reviewers), "events": events}
        staff = f"staff:{plan['reviewer'].username}"
        waiting = age < datetime.timedelta(days=3) and rng.random() < 0.5 or rng.random() < 0.004
        if waiting:  # still in the queue: some claimed, the old ones overdue
            if rng.random() < 0.3:
                events.append(("start_review", "submitted", "reviewing", staff, submitted + datetime.timedelta(hours=2), {}))
            plan["overdue"] = age > datetime.timedelta(days=8)
            plan["events"] = events = [e for e in events if e[4] <= self.now]
            plan["state"] = events[-1][2]
            return plan
        roll = rng.random()
        at = submitted
        if roll < 0.68:  # the machine approves within seconds
            at += datetime.timedelta(seconds=rng.uniform(5, 90))
            events += [("start_review", "submitted", "reviewing", "system:auto-review", at, {}),
                       ("approve", "reviewing", "approved", "system:auto-review", at, {"auto_review": []})]
        else:
            at += datetime.timedelta(hours=rng.uniform(0.5, 72))
            events.append(("start_review", "submitted", "reviewing", staff, at, {}))
            at += datetime.timedelta(minutes=rng.uniform(2, 30))
            if roll < 0.90:
                events.append(("approve", "reviewing", "approved", staff, at, {}))
            elif roll < 0.97:
                reasons = [self.reasons[c] for c in rng.sample(sorted(self.reasons), rng.choice((1, 1, 2)))]
                events.append(("return_for_correction", "reviewing", "returned", staff, at,
                               {"return_reasons": reasons, "parts": sorted({r["part"] for r in reasons})}))
                if rng.random() < 0.6:  # the citizen fixes it; a reviewer approves the next day
                    at += datetime.timedelta(hours=rng.uniform(2, 48))
                    events.append(("resubmit", "returned", "submitted", "citizen:1", at, {}))
                    at += datetime.timedelta(hours=rng.uniform(1, 30))
                    events += [("start_review", "submitted", "reviewing", staff, at, {}),
                               ("approve", "reviewing", "approved", staff, at + datetime.timedelta(minutes=5), {})]
            else:
                events.append(("refuse", "reviewing", "refused", staff, at, {}))
        if events[-1][2] == "approved" and self.now - at > datetime.timedelta(days=3):
            at += datetime.timedelta(days=1)
            events.append(("send_to_production", "approved", "producing", "staff:bench-production", at, {}))
            if self.now - at > datetime.timedelta(days=7):
                at += datetime.timedelta(days=5)
                events.append(("mark_produced", "producing", "produced", "staff:bench-production", at, {}))
                if self.now - at > datetime.timedelta(days=5):
                    at += datetime.timedelta(days=2)
                    events.append(("ready_at_branch", "produced", "at_branch", "system", at, {}))
                    if self.now - at > datetime.timedelta(days=10):
                        events.append(("collect", "at_branch", "collected", "staff:bench-clerk",
                                       at + datetime.timedelta(days=rng.uniform(1, 10)), {}))
        # A story that runs past today stops today (events are in time order).
        plan["events"] = events = [e for e in events if e[4] <= self.now]
        plan["state"] = events[-1][2]
        return plan


if __name__ == "__main__":
    sys.exit(main())
