"""The reviewer's workbench in Debian's Chromium at the back office's size (1280×800).

A reviewer signs in with password and TOTP code, opens the queue, claims and approves one application,
claims the next and returns it with two reasons; then the citizen of the returned application sees the
reasons and the tips on their progress page. Screenshots of every step go to ``artifacts/browser/review/``.
Needs /usr/bin/chromium (`.ci/run` installs it); skips with the reason when it is missing.
"""

from __future__ import annotations

import importlib
import io
import shutil

import pytest
from django_otp.oath import TOTP
from PIL import Image, ImageDraw

from tests.browser.test_browser_journey import ARTIFACTS, browser  # noqa: F401  (the shared browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "3132333435363738393031323334353637383930"
PASSWORD = "Test@Pass-2025"
VIEWPORT = {"width": 1280, "height": 800}


def picture(kind: str) -> bytes:
    """A stand-in photo: a card-shaped or portrait-shaped drawing, enough to see the layout and the overlay."""
    if kind == "portrait":
        img = Image.new("RGB", (358, 441), (170, 190, 210))
        draw = ImageDraw.Draw(img)
        draw.ellipse((110, 90, 250, 270), fill=(236, 200, 170))
        draw.rectangle((60, 320, 300, 441), fill=(30, 40, 60))
    else:
        img = Image.new("RGB", (800, 520), (90, 70, 60))
        draw = ImageDraw.Draw(img)
        draw.rounded_rectangle((80, 60, 720, 460), radius=24, fill=(235, 235, 225))
        if kind == "id_front":
            draw.rectangle((520, 130, 680, 330), fill=(200, 180, 160))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def seed_reasons() -> None:
    """The maintained return reasons (a data migration; a transactional test's flush removes them)."""
    from sscard.review.models import ReturnReason

    seeded = importlib.import_module("sscard.review.migrations.0002_seed_rules_and_return_reasons")
    for order, (code, title, citizen_text, fix_tip, part, needs_note) in enumerate(seeded.REASONS):
        ReturnReason.objects.get_or_create(code=code, defaults={
            "title": title, "citizen_text": citizen_text, "fix_tip": fix_tip, "part": part,
            "needs_note": needs_note, "order": order})


def waiting_with_photos(account=None):
    """An application in the human queue: photos stored, the portrait's check failed with its face found."""
    from django.core.files.base import ContentFile

    from sscard.applications import lifecycle
    from sscard.applications.models import Upload
    from sscard.applications.services.uploads import required_uploads
    from sscard.review import autoreview
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(account=account)
    for kind in required_uploads(application):
        failed = kind == "portrait"
        upload = Upload(application=application, kind=kind, ok=not failed, sha256="0" * 64, original_size=150_000,
                        problems=[{"code": "background_not_white", "message": "背景不是白色，请在白墙前拍摄",
                                   "tip": "请在白墙前拍摄"}] if failed else [],
                        metrics={"face_box": [0.31, 0.2, 0.7, 0.61]} if failed else
                        {"card_quad": [[0.1, 0.115], [0.9, 0.115], [0.9, 0.885], [0.1, 0.885]]})
        upload.file.save(f"{kind}.jpg", ContentFile(picture(kind)), save=False)
        upload.save()
    lifecycle.perform(application, "submit", actor="citizen:1")
    autoreview.run(application.pk)
    return application


def test_a_reviewer_approves_one_and_returns_another_and_the_citizen_sees_why(live_server, browser):  # noqa: F811
    from django.core.cache import cache

    from sscard.accounts.models import Citizen
    from sscard.applications.constants import State
    from tests.factories import StaffUserFactory
    from tests.helpers import delete_uploads, last_login_code

    cache.clear()
    seed_reasons()
    StaffUserFactory(username="reviewer1", role="reviewer", first_name="审核", totp_key=KEY)
    first = waiting_with_photos()
    citizen = Citizen.objects.create(phone="13800138000")
    second = waiting_with_photos(account=citizen)
    shots = ARTIFACTS / "review"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    step = iter(range(1, 100))
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", device_scale_factor=1)
    page = context.new_page()

    def shot(name, *, fits=False):
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"))
        if fits:  # the review screen: everything at 1280×800 without scrolling
            height = page.evaluate("document.documentElement.scrollHeight")
            assert height <= VIEWPORT["height"], f"{name}: the page is {height}px high"

    try:
        page.goto(live_server.url + "/staff/review/")
        page.fill("#id_username", "reviewer1")
        page.fill("#id_password", PASSWORD)
        shot("login")
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/login/verify/")
        page.fill("#id_token", f"{TOTP(bytes.fromhex(KEY)).token():06d}")
        shot("second-factor")
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/review/")

        rows = page.get_by_test_id("queue-row")
        assert rows.count() == 2
        assert first.acceptance_number in rows.nth(0).inner_text()
        assert "照片全部通过检查" in rows.nth(0).inner_text()
        shot("queue")

        page.get_by_test_id("claim-next").click()
        page.wait_for_url(f"**/staff/review/{first.acceptance_number}/")
        assert page.get_by_test_id("claim-status").inner_text() == "由您处理中"
        assert page.get_by_test_id("face-box").count() == 1
        assert "背景不是白色" in page.get_by_test_id("image-portrait").inner_text()
        # served through the staff view, not a public URL
        # Polled from Python: wait_for_function would evaluate a string in the page, which the CSP forbids.
        for _ in range(100):
            if page.evaluate("[...document.querySelectorAll('.rv-image img')].every(i => i.complete && i.naturalWidth)"):
                break
            page.wait_for_timeout(100)
        assert page.evaluate("document.querySelector('[data-testid=image-portrait] img').naturalWidth") == 358
        shot("screen-first", fits=True)

        page.get_by_test_id("image-portrait").locator("a.zoom").click()
        assert "zoomed" in page.get_by_test_id("image-portrait").get_attribute("class")
        shot("portrait-full-size")
        page.keyboard.press("Escape")

        page.keyboard.press("a")  # the keyboard: A approves
        page.wait_for_url(f"**/staff/review/{second.acceptance_number}/")
        assert f"{first.acceptance_number} 审核通过" in page.content()
        shot("screen-second", fits=True)

        page.get_by_test_id("return").click()  # no reason ticked: refused, nothing changes
        assert "退回补正请至少选择一项原因" in page.get_by_test_id("error").inner_text()
        shot("return-without-reason")
        page.get_by_test_id("reason-portrait_background").check()
        page.get_by_test_id("reason-address_imprecise").check()
        page.fill("#id_note", "门牌号请写到房号")
        shot("return-reasons")
        page.get_by_test_id("return").click()
        page.wait_for_url("**/staff/review/")
        assert "已退回补正" in page.content() and "待审队列已经清空" in page.content()
        shot("queue-empty")

        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.state, second.state) == (State.APPROVED, State.RETURNED)

        # The citizen of the returned application, on a phone.
        citizen_page = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN").new_page()
        citizen_page.goto(live_server.url + "/login/")
        citizen_page.fill("#id_phone", "13800138000")
        citizen_page.get_by_test_id("send-code").click()
        citizen_page.get_by_test_id("code-status").wait_for()
        citizen_page.fill("#id_code", last_login_code())
        citizen_page.get_by_test_id("login").click()
        citizen_page.goto(f"{live_server.url}/apply/{second.public_id}/")
        citizen_page.screenshot(path=str(shots / f"{next(step):02d}-citizen-progress.png"), full_page=True)
        text = citizen_page.locator("main").inner_text()
        assert "证件照的背景不是白色" in text and "请在白墙前拍摄" in text
        assert "联系地址没有精确到门牌号" in text and "门牌号请写到房号" in text
    finally:
        context.close()
        delete_uploads(first)
        delete_uploads(second)
