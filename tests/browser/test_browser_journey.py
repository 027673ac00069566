"""The whole citizen journey in Debian's Chromium at a phone's size (390×844), normal and elder mode.

Sign in → eligibility → form → three uploads (one rejected photo replaced) → submit → acceptance
number → progress page. Screenshots of every step go to ``artifacts/browser/journey-<mode>/``.
The uploads are the ones a newcomer makes with ``sscard demo-photos`` (the command is run here), for
the same demo person, plus the demo portrait on a blue wall as the rejected one.
Needs /usr/bin/chromium and a CJK font (`.ci/run` installs both); skips with the reason otherwise.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.factories import PersonFactory

CHROMIUM = Path(os.environ.get("SSCARD_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def images(tmp_path_factory, django_db_blocker):
    from django.core.management import call_command

    from sscard.demo.photos import BLUE_WALL, portrait_jpeg

    folder = tmp_path_factory.mktemp("journey-images")
    with django_db_blocker.unblock():  # the command's settings check, no queries
        call_command("demo_photos", str(folder), person=demo_person().id_number)
    paths = {key: folder / f"{key}.jpg" for key in ("id_front", "id_back", "portrait")}
    paths["bad_portrait"] = folder / "bad_portrait.jpg"
    paths["bad_portrait"].write_bytes(portrait_jpeg(wall=BLUE_WALL))
    return paths


def demo_person():
    from sscard.demo.people import default_person, demo_people

    return default_person(demo_people())  # the default of `sscard demo-photos`


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium fonts-wqy-microhei; .ci/run does this)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
    # itself (reading the SMS a phone would get) are still synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_whole_journey_on_a_phone(live_server, browser, images, mode):
    from django.core.cache import cache

    from sscard.applications.models import Application
    from tests.helpers import delete_uploads, last_login_code

    cache.clear()
    demo = demo_person()
    person = PersonFactory(name=demo.name, id_number=demo.id_number, hukou_region=demo.hukou_region,
                           insurance=demo.insurance)
    shots = ARTIFACTS / f"journey-{mode}"  # the elder-mode page test keeps its own folder (elder/)
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1,
                                  user_agent="Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 MicroMessenger/8.0.49")
    page = context.new_page()
    step = iter(range(1, 100))

    def shot(name):
        no_sideways_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)
        assert no_sideways_scroll, f"{name}: the page scrolls sideways at 390 px"

    page.goto(live_server.url + "/")
    if mode == "elder":
        page.get_by_test_id("elder-toggle").click()
        assert "elder" in page.locator("body").get_attribute("class")
    shot("home")

    page.get_by_test_id("start").click()
    page.fill("#id_phone", "13812345678")
    page.get_by_test_id("send-code").click()
    page.get_by_test_id("code-status").wait_for()
    assert "验证码已发送" in page.get_by_test_id("code-status").inner_text()
    page.fill("#id_code", last_login_code())
    shot("login")
    page.get_by_test_id("login").click()

    page.fill("#id_name", person.name)
    page.fill("#id_id_number", person.id_number)
    shot("realname")
    page.get_by_test_id("realname-submit").click()

    assert "可以线上申领" in page.get_by_test_id("eligibility").inner_text() or "可以线上申领" in page.content()
    shot("eligibility")
    page.get_by_test_id("begin").click()

    page.fill("#id_address_detail", "幸福路")
    page.select_option("#id_town", "shiqi")
    page.get_by_test_id("next").click()
    assert "快递员找不到" in page.content()
    assert page.input_value("#id_address_detail") == "幸福路"  # nothing typed is lost
    shot("address-error")
    page.fill("#id_address_detail", "幸福小区5栋3单元602")
    page.get_by_test_id("next").click()

    page.get_by_test_id("pickup-mail").check()
    shot("pickup")
    page.get_by_test_id("next").click()

    for kind, key in (("id_front", "id_front"), ("id_back", "id_back"), ("portrait", "bad_portrait")):
        page.get_by_test_id(f"file-{kind}").set_input_files(str(images[key]))  # choosing uploads at once
        page.locator(f"#upload-{kind} [data-testid=upload-ok], #upload-{kind} [data-testid=upload-problems]").first.wait_for(timeout=60_000)
    assert page.locator("#upload-id_front [data-testid=upload-ok]").count() == 1
    assert page.locator("#upload-id_back [data-testid=upload-ok]").count() == 1
    problems = page.locator("#upload-portrait [data-testid=upload-problems]")
    assert "背景" in problems.inner_text()
    shot("portrait-rejected")

    page.get_by_test_id("file-portrait").set_input_files(str(images["portrait"]))
    page.locator("#upload-portrait [data-testid=upload-ok]").wait_for(timeout=60_000)
    shot("uploads-done")

    page.get_by_test_id("next").click()
    shot("confirm")
    page.get_by_test_id("submit").click()

    application = Application.objects.get(person=person)
    assert page.get_by_test_id("acceptance-number").inner_text() == application.acceptance_number
    assert f"您的申领已受理，编号{application.acceptance_number}" in page.content()
    assert "已受理" in page.get_by_test_id("timeline").inner_text()
    assert application.channel == "h5"
    shot("progress")
    context.close()
    delete_uploads(application)  # media storage is left as it was found


@pytest.mark.parametrize("path", ["/", "/help/", "/help/branches/", "/progress/", "/login/"])
def test_public_pages_fit_a_360px_screen(live_server, browser, path):
    from sscard.delivery.models import Branch
    from sscard.demo.branches import demo_branches

    for row in demo_branches():
        Branch.objects.update_or_create(code=row["code"], defaults=row)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    # Chinese text must render with a CJK font (not empty boxes): the heading has real width.
    assert page.locator("h1").first.bounding_box()["width"] > 40
    context.close()


def test_sign_in_counts_down_and_drops_a_stale_code_error(live_server, browser):
    from django.core.cache import cache
    from playwright.sync_api import expect

    cache.clear()
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    send = page.get_by_test_id("send-code")
    page.fill("#id_phone", "13812345678")
    send.click()
    page.get_by_test_id("code-status").wait_for()
    # The button counts down at once and is disabled while it does.
    # (expect() polls from Python: wait_for_function would evaluate a string in the page, which the
    # Content-Security-Policy rightly forbids.)
    expect(send).to_have_text(re.compile(r"重新获取（\d+秒）"))
    assert send.is_disabled()

    page.fill("#id_code", "000000")
    page.get_by_test_id("login").click()
    assert "验证码不正确" in page.locator("#err_code").inner_text()
    assert send.is_disabled() and "重新获取" in send.inner_text()  # still counting after the page is drawn again

    # The server stays the authority: an early request is refused with what is left, and the old
    # "验证码不正确" gives way to that new message.
    page.evaluate("document.querySelector('[data-testid=send-code]').disabled = false")
    send.click()
    expect(page.get_by_test_id("code-status")).to_contain_text("秒后再获取")
    assert page.locator("#err_code").count() == 0
    context.close()
