"""A card's life in Debian's Chromium, by the roles involved (issue #14).

The production operator (back office, 1280×800) signs in with password and TOTP code, exports a batch on
/staff/production/ (the zip downloads), and uploads the card maker's result file (written here from the
batch's manifest) → the summary. The bank and the courier have no screen: their file goes through
``sscard logistics import``. The citizen (a phone, 390×844) sees the card delivered on 我的社保卡, activates
it — a birthday PIN refused with the reason in Chinese, then a good one — sees it active, and reports a
temporary loss. Screenshots of every screen go to ``artifacts/browser/card_life/``.
Needs /usr/bin/chromium (`.ci/run` installs it); skips with the reason when it is missing.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile

import pytest
from django_otp.oath import TOTP

from tests.browser.test_browser_journey import ARTIFACTS, browser  # noqa: F401  (the shared browser fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KEY = "3132333435363738393031323334353637383930"
PASSWORD = "Test@Pass-2025"
PHONE = "13800138000"
GOOD_PIN = "481592"


def portrait() -> bytes:
    """A real face (scikit-image's astronaut), so the card photo can be made for the batch."""
    from PIL import Image
    from skimage import data as skimage_data

    out = io.BytesIO()
    Image.fromarray(skimage_data.astronaut()).resize((1024, 1024)).save(out, "JPEG", quality=92)
    return out.getvalue()


def approved_for(citizen, person):
    """The citizen's approved application (mail to home) with the photos it was approved with."""
    from django.core.files.base import ContentFile

    from sscard.applications.models import Upload
    from tests.factories import ApplicationFactory
    from tests.photo_fixtures import jpeg

    application = ApplicationFactory(approved=True, person=person, account=citizen, phone=PHONE)
    for kind, data in (("portrait", portrait()), ("id_front", jpeg()), ("id_back", jpeg())):
        Upload.objects.create(application=application, kind=kind, file=ContentFile(data, name=f"{kind}.jpg"), ok=True,
                              sha256="0" * 64, original_size=len(data))
    return application


def result_file(zip_path, card_number: str) -> bytes:
    """What the card maker sends back for the batch: ``ok`` with a card for every application."""
    with zipfile.ZipFile(zip_path) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("manifest.csv").decode("utf-8"), newline="")))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["application_number", "result", "card_number", "card_id", "bank", "reason"])
    for row in rows:
        writer.writerow([row["application_number"], "ok", card_number, "0123456789ABCDEF" * 2, "中国银行中山分行", ""])
    return out.getvalue().encode("utf-8")


def logistics_import(path, card_number: str, at: str) -> dict:
    from django.core.management import call_command

    path.write_text("card_number,event,waybill,at\n"
                    f"{card_number},bank_received,,{at}\n"
                    f"{card_number},mailed,SF1234567890123,{at}\n"
                    f"{card_number},delivered,SF1234567890123,{at}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("logistics", "import", str(path), stdout=out)
    return json.loads(out.getvalue())


def test_a_card_from_batch_to_activation_and_loss_by_the_roles_involved(live_server, browser, settings,  # noqa: F811
                                                                         tmp_path):
    import datetime

    from django.core.cache import cache
    from django.utils import timezone

    from sscard.accounts.models import Citizen
    from sscard.applications.constants import State
    from sscard.cards.constants import CardState
    from sscard.cards.models import Card
    from tests.factories import PersonFactory, StaffUserFactory, make_id_number
    from tests.helpers import delete_uploads, last_login_code

    cache.clear()
    settings.PRODUCTION_EXCHANGE_DIR = str(tmp_path / "exchange")
    settings.CARD_MAKER_SIMULATOR = False
    StaffUserFactory(username="zhika1", role="production", first_name="制卡", totp_key=KEY)
    person = PersonFactory(name="黎明", id_number=make_id_number(born=datetime.date(1988, 6, 15)))
    birthday_pin = person.id_number[8:14]  # YYMMDD (the factory spreads birthdays over its sequence)
    citizen = Citizen.objects.create(phone=PHONE, person=person)
    application = approved_for(citizen, person)
    shots = ARTIFACTS / "card_life"
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    step = iter(range(1, 100))
    office = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN", device_scale_factor=1,
                                 accept_downloads=True)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", device_scale_factor=1)

    def shot(page, name):
        page.screenshot(path=str(shots / f"{next(step):02d}-{name}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{name}: scrolls sideways"

    try:
        # --- the production operator ---------------------------------------------------------------------------
        page = office.new_page()
        page.goto(live_server.url + "/staff/production/")
        page.fill("#id_username", "zhika1")
        page.fill("#id_password", PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/login/verify/")
        page.fill("#id_token", f"{TOTP(bytes.fromhex(KEY)).token():06d}")
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/production/")
        assert "还没有批次" in page.get_by_test_id("batch-list").inner_text()
        shot(page, "operator-batches-empty")

        with page.expect_download() as download:
            page.get_by_test_id("export-batch").click()
        batch_zip = tmp_path / download.value.suggested_filename
        download.value.save_as(batch_zip)
        assert batch_zip.name.startswith("ZK") and batch_zip.suffix == ".zip"
        application.refresh_from_db()
        assert application.state == State.PRODUCING

        result = tmp_path / f"{batch_zip.stem}-result.csv"
        result.write_bytes(result_file(batch_zip, "A88000001"))
        page.goto(live_server.url + "/staff/production/")  # the list now shows the batch waiting for results
        assert "待返回1" in page.get_by_test_id("batch-list").inner_text()
        page.get_by_test_id("result-file").set_input_files(str(result))
        shot(page, "operator-batch-exported-result-chosen")
        page.get_by_test_id("import-results").click()
        summary = page.get_by_test_id("import-summary").inner_text()
        assert "已处理1行" in summary and "0行此前已导入" in summary
        assert "成功1，失败0" in page.get_by_test_id("batch-list").inner_text()
        shot(page, "operator-import-summary")

        # --- the bank and the courier (a file: no screen) -------------------------------------------------------
        card = Card.objects.get(application=application)
        at = timezone.localtime().isoformat(timespec="seconds")
        assert logistics_import(tmp_path / "logistics.csv", card.card_number, at)["applied"] == 3

        # --- the citizen, on a phone ----------------------------------------------------------------------------
        page = phone.new_page()
        page.goto(live_server.url + "/login/?next=/cards/")
        page.fill("#id_phone", PHONE)
        page.get_by_test_id("send-code").click()
        page.get_by_test_id("code-status").wait_for()
        page.fill("#id_code", last_login_code())
        page.get_by_test_id("login").click()
        page.goto(live_server.url + "/cards/")
        assert page.get_by_test_id("card-state").inner_text() == "待激活"
        assert page.get_by_test_id("card-where").inner_text() == "在您手中"
        assert page.get_by_test_id("card-number").inner_text() == "A8*****01"
        shot(page, "citizen-my-cards-delivered")

        page.goto(f"{live_server.url}/apply/{application.public_id}/")
        timeline = page.locator("main").inner_text()
        assert "市银行已签收" in timeline and "SF1234567890123" in timeline and "已签收" in timeline
        shot(page, "citizen-progress-delivered")

        page.goto(live_server.url + "/cards/")
        page.get_by_test_id("activate").click()
        shot(page, "citizen-activate-form")
        page.get_by_label("我已收到尾号0001的社保卡").check()
        page.fill("#id_pin", birthday_pin)
        page.fill("#id_pin_confirm", birthday_pin)
        page.get_by_test_id("activate-submit").click()
        assert "不能包含您的出生日期" in page.get_by_test_id("refusal").inner_text()
        shot(page, "citizen-activate-birthday-refused")

        page.get_by_label("我已收到尾号0001的社保卡").check()
        page.fill("#id_pin", GOOD_PIN)
        page.fill("#id_pin_confirm", GOOD_PIN)
        page.get_by_test_id("activate-submit").click()
        page.wait_for_url("**/cards/")
        assert page.get_by_test_id("card-state").inner_text() == "已激活，可正常使用"
        assert "已激活" in page.locator("main").inner_text()
        shot(page, "citizen-activated")

        page.get_by_test_id("loss").click()
        shot(page, "citizen-loss-form")
        page.get_by_test_id("loss-temporary").click()
        page.wait_for_url("**/cards/")
        assert page.get_by_test_id("card-state").inner_text() == "临时挂失中"
        assert "自动解除" in page.locator("main").inner_text()
        shot(page, "citizen-temporary-loss")

        card.refresh_from_db()
        assert card.state == CardState.LOST_TEMPORARY
    finally:
        office.close()
        phone.close()
        delete_uploads(application)
