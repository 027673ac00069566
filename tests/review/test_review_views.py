"""The reviewer's workbench through its pages: who may see and do what, the audit trail, the race messages,
and a queue page whose cost does not grow with the queue.

Roles: a reviewer sees, claims and decides; a supervisor may look (queue, masked screen, overdue list) but not
claim or decide; production operators and clerks get the 403 page.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from sscard.accounts.models import Citizen
from sscard.applications import lifecycle
from sscard.applications.constants import State
from sscard.applications.models import Application, Upload
from sscard.applications.services.pickup_changes import request_pickup_change
from sscard.audit.models import AuditEntry
from sscard.review import autoreview, claims, decisions
from tests.factories import ApplicationFactory, StaffUserFactory
from tests.helpers import delete_uploads
from tests.review.conftest import submitted

pytestmark = pytest.mark.django_db

FAILED_PORTRAIT = {"portrait": [{"code": "background_not_white", "message": "背景不是白色", "tip": "请在白墙前拍摄"}]}


def waiting(count: int = 1, **fields) -> list[Application]:
    """Applications in the human queue: a portrait that did not pass, checked by the machine."""
    made = []
    for _ in range(count):
        application = submitted(failing=FAILED_PORTRAIT, **fields)
        autoreview.run(application.pk)
        made.append(application)
    return made


@pytest.fixture
def reviewer():
    return StaffUserFactory(username="reviewer1", role="reviewer")


@pytest.fixture
def signed_in(client):
    def sign(role: str, username: str = ""):
        user = StaffUserFactory(username=username or role, role=role)
        client.force_login(user)
        return user

    return sign


def actions(user) -> list[str]:
    return list(AuditEntry.objects.filter(user=user).order_by("id").values_list("action", flat=True))


# --- Who may see what ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["production", "clerk"])
def test_production_and_clerks_get_the_403_page(client, signed_in, role):
    application = waiting()[0]
    signed_in(role)
    for url in ("/staff/review/", f"/staff/review/{application.acceptance_number}/", "/staff/review/overdue/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "没有权限" in response.content.decode()
        assert "审核申领" in response.content.decode()
    response = client.post(f"/staff/review/{application.acceptance_number}/approve/")
    assert response.status_code == 403


def test_the_queue_lists_what_a_reviewer_needs_with_names_masked(client, signed_in):
    application = waiting()[0]
    signed_in("reviewer")
    page = client.get("/staff/review/").content.decode()
    assert application.acceptance_number in page
    assert application.name not in page and application.name[0] + "*" in page
    assert "照片全部通过检查" in page  # the machine's finding, by its title
    assert "待领取" in page and "领取下一件" in page
    assert "中山人社局官网" in page and "石岐街道" in page


def test_a_queue_page_costs_the_same_for_5_and_50_applications(client, signed_in, django_assert_num_queries):
    signed_in("reviewer")
    client.get("/staff/review/")  # the session and permission caches are warm from here on
    counts = []
    for size in (5, 45):
        waiting(size)
        with django_assert_num_queries(QUEUE_QUERIES) as captured:
            response = client.get("/staff/review/")
        counts.append(len(captured.captured_queries))
        assert response.content.decode().count('data-testid="queue-row"') in (5, 50)
    assert counts[0] == counts[1]


# Session, user, OTP device, two permission look-ups; the pickup changes (1) and the queue (2); the session's
# idle timestamp saved (savepoint, update, release). Branch names are looked up only when a change names one.
QUEUE_QUERIES = 11


def test_a_supervisor_may_look_but_not_decide(client, signed_in):
    application = waiting()[0]
    supervisor = signed_in("supervisor")
    queue = client.get("/staff/review/").content.decode()
    assert "只能查看" in queue and "领取下一件" not in queue
    page = client.get(f"/staff/review/{application.acceptance_number}/").content.decode()
    assert application.name not in page and application.id_number not in page
    assert application.masked_id in page
    assert "/image/" not in page  # the photos are personal data
    assert client.get(f"/staff/review/{application.acceptance_number}/image/portrait/").status_code == 403
    for action in ("claim", "approve", "return", "refuse"):
        assert client.post(f"/staff/review/{application.acceptance_number}/{action}/").status_code == 403
    assert client.post("/staff/review/next/").status_code == 403
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert client.get("/staff/review/overdue/").status_code == 200
    assert "review.view" not in actions(supervisor)  # nothing personal was shown


# --- Search -------------------------------------------------------------------------------------------------

def test_search_by_acceptance_number_id_number_or_phone_is_audited(client, signed_in):
    application = waiting()[0]
    other = waiting()[0]
    reviewer = signed_in("reviewer")
    by_number = client.get("/staff/review/", {"q": application.acceptance_number.lower()}).content.decode()
    by_id = client.get("/staff/review/", {"q": application.id_number}).content.decode()
    for page in (by_number, by_id):
        assert "找到 1 份申领" in page and application.acceptance_number in page.split("search-results")[1]
        assert other.acceptance_number not in page.split("search-results")[1].split("tab-review")[0]
    rows = AuditEntry.objects.filter(user=reviewer, action="review.search").order_by("id")
    assert [r.details["by"] for r in rows] == ["acceptance_number", "id_number"]
    assert rows[0].acceptance_number == application.acceptance_number
    assert application.id_number not in str(rows[1].details)


def test_search_by_an_accounts_phone(client, signed_in):
    citizen = Citizen.objects.create(phone="13900001111")
    application = waiting(account=citizen)[0]
    signed_in("reviewer")
    page = client.get("/staff/review/", {"q": "139 0000 1111"}).content.decode()
    assert "按手机号查找：找到 1 份申领" in page and application.acceptance_number in page
    page = client.get("/staff/review/", {"q": "13900002222"}).content.decode()
    assert "没有找到申领" in page


@pytest.mark.parametrize("typed, message", [
    ("442000199001011234", "证件号码有误"),
    ("ZS20260101000001X", "受理编号有误"),
    ("幸福路", "请输入受理编号"),
])
def test_a_mistyped_search_says_what_is_wrong(client, signed_in, typed, message):
    signed_in("reviewer")
    response = client.get("/staff/review/", {"q": typed})
    assert response.status_code == 400
    assert message in response.content.decode()


# --- Claim, screen, images ------------------------------------------------------------------------------------

def test_claim_next_opens_the_most_urgent_with_full_details_and_records_it(client, signed_in):
    application = waiting()[0]
    reviewer = signed_in("reviewer")
    response = client.post("/staff/review/next/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/review/{application.acceptance_number}/"
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert application.name in page and application.id_number in page
    assert "由您处理中" in page and "审核通过" in page and "退回补正" in page
    assert "背景不是白色" in page  # the photo check's message under the portrait
    assert "证件照的背景不是白色" in page and "请在白墙前拍摄" in page  # a reason's citizen text and tip
    assert actions(reviewer) == ["review.claim", "review.view"]
    entry = AuditEntry.objects.get(user=reviewer, action="review.view")
    assert entry.acceptance_number == application.acceptance_number


def test_the_screen_is_found_by_public_id_too_and_drafts_are_not_shown(client, signed_in):
    application = waiting()[0]
    draft = ApplicationFactory()
    signed_in("reviewer")
    assert client.get(f"/staff/review/{application.public_id}/").status_code == 200
    assert client.get(f"/staff/review/{draft.public_id}/").status_code == 404
    assert client.get("/staff/review/ZS-nothing/").status_code == 404


def test_the_registry_differences_are_highlighted(client, signed_in):
    application = waiting()[0]
    person = application.person
    person.name = "张卫"
    person.save()
    signed_in("reviewer")
    page = client.get(f"/staff/review/{application.acceptance_number}/").content.decode()
    assert "1处不一致" in page
    assert page.count('data-testid="differs"') == 1


def test_images_are_served_to_reviewers_only_uncached_and_audited_with_the_face_drawn(client, signed_in):
    application = waiting()[0]
    portrait = Upload.objects.get(application=application, kind="portrait")
    portrait.file.save("portrait.jpg", ContentFile(b"\xff\xd8\xff\xe0 not really a jpeg"), save=False)
    portrait.metrics = {"face_box": [0.3, 0.2, 0.7, 0.6]}
    portrait.save()
    try:
        reviewer = signed_in("reviewer")
        page = client.get(f"/staff/review/{application.acceptance_number}/").content.decode()
        assert 'data-testid="face-box" x="30.0" y="20.0" width="40.0" height="40.0"' in page
        response = client.get(f"/staff/review/{application.acceptance_number}/image/portrait/")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
        entry = AuditEntry.objects.get(user=reviewer, action="review.view_image")
        assert entry.details == {"kind": "portrait"} and entry.obj_id == str(portrait.pk)
        assert client.get(f"/staff/review/{application.acceptance_number}/image/passport/").status_code == 404
        signed_in("supervisor")
        assert client.get(f"/staff/review/{application.acceptance_number}/image/portrait/").status_code == 403
    finally:
        delete_uploads(application)


# --- Decisions --------------------------------------------------------------------------------------------------

def claimed_by(user, count=1) -> list[Application]:
    made = waiting(count)
    for _ in made:
        claims.claim_next(user)
    return made


def test_approve_goes_straight_to_the_next_claimed_application(client, reviewer):
    first, second = waiting(2)
    client.force_login(reviewer)
    client.post("/staff/review/next/")
    response = client.post(f"/staff/review/{first.acceptance_number}/approve/")
    assert response.status_code == 302
    assert response["Location"] == f"/staff/review/{second.acceptance_number}/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.APPROVED and second.state == State.REVIEWING
    assert actions(reviewer) == ["review.claim", "review.approve", "review.claim"]
    page = client.get(response["Location"]).content.decode()
    assert f"{first.acceptance_number} 审核通过" in page and "已为您领取下一件" in page
    response = client.post(f"/staff/review/{second.acceptance_number}/approve/", follow=True)
    assert "待审队列已经清空" in response.content.decode()


def test_return_with_two_reasons_and_a_note(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/return/",
                           {"reasons": ["portrait_background", "address_imprecise"], "note": "请补充门牌号"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RETURNED
    event = application.events.order_by("-id").first()
    assert [r["code"] for r in event.data["return_reasons"]] == ["portrait_background", "address_imprecise"]
    assert event.data["note"] == "请补充门牌号" and event.actor == "staff:reviewer1"
    entry = AuditEntry.objects.get(user=reviewer, action="review.return")
    assert entry.details == {"reasons": ["portrait_background", "address_imprecise"]}


def test_a_return_without_a_reason_is_refused_and_the_form_kept(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/return/", {"note": "照片看不清"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "退回补正请至少选择一项原因" in page
    assert "照片看不清</textarea>" in page
    response = client.post(f"/staff/review/{application.acceptance_number}/return/", {"reasons": ["other"]})
    assert response.status_code == 400
    assert "请在补充说明里写明具体问题" in response.content.decode()
    assert 'value="other" data-testid="reason-other" checked' in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.REVIEWING
    assert [a for a in actions(reviewer) if a.startswith("review.return")] == ["review.return_refused"] * 2


def test_refuse_needs_a_reason(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/refuse/", {"reason": " "})
    assert response.status_code == 400 and "不予受理必须写明原因" in response.content.decode()
    response = client.post(f"/staff/review/{application.acceptance_number}/refuse/", {"reason": "已持有有效社保卡"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.REFUSED


def test_a_decision_on_a_withdrawn_application_says_so_and_changes_nothing(client, reviewer):
    application = claimed_by(reviewer)[0]
    application.refresh_from_db()
    lifecycle.perform(application, "cancel", actor="citizen:1", reason="不需要了")
    client.force_login(reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/approve/")
    assert response.status_code == 409
    assert "申领人已撤销这份申领，无需再审核" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.CANCELLED
    assert "review.approve" not in actions(reviewer)


def test_a_decision_on_another_reviewers_application_says_whose_it_is(client, reviewer, signed_in):
    application = claimed_by(reviewer)[0]
    other = signed_in("reviewer", "reviewer2")
    response = client.post(f"/staff/review/{application.acceptance_number}/approve/")
    assert response.status_code == 409
    assert "已由审核员reviewer1领取，您不能处理" in response.content.decode()
    response = client.post(f"/staff/review/{application.acceptance_number}/claim/")
    assert response.status_code == 409 and "正由审核员reviewer1处理" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.REVIEWING
    assert actions(other) == ["review.approve_refused", "review.view", "review.claim_refused", "review.view"]


def test_a_decision_after_someone_else_decided_says_so(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    decisions.approve(application, reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/refuse/", {"reason": "不符合条件"})
    assert response.status_code == 409
    assert "这份申领已由其他审核员处理（当前状态：审核通过），无需重复处理" in response.content.decode()


def test_release_gives_the_application_back_to_the_queue(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    response = client.post(f"/staff/review/{application.acceptance_number}/release/", follow=True)
    assert "已放回待审队列" in response.content.decode()
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert actions(reviewer) == ["review.release"]


def test_the_keyboard_script_is_a_static_file_and_buttons_work_without_it(client, reviewer):
    application = claimed_by(reviewer)[0]
    client.force_login(reviewer)
    page = client.get(f"/staff/review/{application.acceptance_number}/").content.decode()
    assert '<script src="/static/sscard/review.js" defer></script>' in page
    assert "<script>" not in page  # no inline script: a Content-Security-Policy without it is coming
    assert f'action="/staff/review/{application.acceptance_number}/approve/"' in page


# --- Pickup changes and overdue -------------------------------------------------------------------------------------

def test_pickup_changes_are_decided_from_their_own_tab(client, reviewer):
    application = ApplicationFactory(approved=True)
    change = request_pickup_change(application, {"pickup_method": "mail", "town": "dongqu",
                                                 "address_detail": "兴中道1号"}, actor="citizen:1")
    client.force_login(reviewer)
    page = client.get("/staff/review/", {"tab": "pickup"}).content.decode()
    assert application.acceptance_number in page and "中山市东区街道兴中道1号" in page
    response = client.post(f"/staff/review/pickup-changes/{change.pk}/", {"accept": "0", "reason": ""}, follow=True)
    assert "不同意修改时请写明原因" in response.content.decode()
    response = client.post(f"/staff/review/pickup-changes/{change.pk}/", {"accept": "1"}, follow=True)
    assert "已同意" in response.content.decode()
    change.refresh_from_db()
    assert change.state == "accepted"
    assert actions(reviewer) == ["review.pickup_change_refused", "review.pickup_change"]


def test_the_overdue_list_is_linked_for_supervisors(client, signed_in):
    signed_in("supervisor")
    home = client.get("/staff/").content.decode()
    assert 'href="/staff/review/overdue/"' in home
    page = client.get("/staff/review/overdue/").content.decode()
    assert "没有超期未审结的申领" in page


def test_the_screen_lists_what_failed_before_what_passed(client, signed_in):
    """The reviewer reads the machine's findings top down: a failed one is never below the passed ones
    (the list scrolls in a box 150 px high so that the screen fits the window; the photo check is the
    rules' third, and with nine findings a failed one could sit below the box's fold)."""
    application = waiting()[0]
    signed_in("reviewer")
    page = client.get(f"/staff/review/{application.acceptance_number}/").content.decode()
    findings = page.split('data-testid="findings">', 1)[1].split("</ul>", 1)[0]
    classes = [item.split('"', 1)[0] for item in findings.split('<li class="')[1:]]
    assert "bad" in classes and "ok" in classes, classes
    assert classes == sorted(classes, key=lambda c: c != "bad"), classes  # every ✗ before every ✓
    assert findings.index("✗") < findings.index("✓")
