"""The citizen's journey through the web pages, with the Django test client."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from sscard.accounts.models import LoginCode
from sscard.applications.constants import Channel, Relationship, State
from sscard.applications.models import Application, PickupChange, Upload
from sscard.applications.services.pickup_changes import decide_pickup_change
from sscard.delivery.models import Branch
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.helpers import delete_uploads, last_sms, pass_photo_checks, sign_in
from tests.photo_fixtures import jpeg

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


@pytest.fixture
def branch():
    return Branch.objects.create(code="HR01", name="石岐人社服务窗口", kind="hr", town="shiqi",
                                 address="中山市石岐街道中山路1号", opening_hours="周一至周五 9:00-17:00")


@pytest.fixture
def person():
    return PersonFactory(name="黎明")


@pytest.fixture
def citizen_client(client, person):
    sign_in(client)
    response = client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    assert response.status_code == 302
    return client


@pytest.fixture
def passing_photos(monkeypatch):
    pass_photo_checks(monkeypatch)


def _fill(client, application, branch=None):
    base = f"/apply/{application.public_id}"
    assert client.post(f"{base}/contact/", {"phone": "13812345678"}).status_code == 302
    assert client.post(f"{base}/address/", {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}).status_code == 302
    data = {"pickup_method": "branch", "branch": branch.code} if branch else {"pickup_method": "mail"}
    assert client.post(f"{base}/pickup/", data).status_code == 302
    for kind in ("id_front", "id_back", "portrait"):
        response = client.post(f"{base}/upload/{kind}/", {"file": _file()}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200


def _file(data=None, name="photo.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data or jpeg(), content_type="image/jpeg")


def test_pages_need_sign_in(client):
    response = client.get("/apply/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=%2Fapply%2F")


def test_home_and_help_pages_render(client, branch):
    assert "我要申领" in client.get("/").content.decode()
    help_page = client.get("/help/").content.decode()
    for words in ["线上办的卡和线下办的一样吗", "12333", "9:00-12:00,13:30-17:00", "仿冒", "粤省事"]:
        assert words in help_page
    assert "石岐人社服务窗口" in client.get("/help/branches/?town=shiqi").content.decode()
    assert "石岐人社服务窗口" not in client.get("/help/branches/?town=dongqu").content.decode()


def test_realname_mismatch_says_so_plainly_and_keeps_what_was_typed(client, person):
    sign_in(client)
    response = client.post("/realname/", {"name": "李明", "id_number": person.id_number})
    page = response.content.decode()
    assert response.status_code == 400
    assert "李/黎" in page and person.id_number in page  # what was typed stays in the form


def test_realname_confusable_letter(client):
    sign_in(client)
    response = client.post("/realname/", {"name": "张伟", "id_number": "442000199O01011233"})
    assert "第10位是字母O，应为数字0" in response.content.decode()


def test_not_in_registry_explains_what_to_do(client):
    sign_in(client)
    response = client.post("/realname/", {"name": "张伟", "id_number": make_id_number()})
    page = response.content.decode()
    assert response.status_code == 400 and "刚迁入户口" in page and "12333" in page


def test_whole_journey_mail(citizen_client, passing_photos):
    page = citizen_client.get("/apply/").content.decode()
    assert "可以线上申领" in page and "户籍在中山" in page
    response = citizen_client.post("/apply/")
    application = Application.objects.get()
    # The phone comes from the account, so the draft opens at the address step.
    assert response["Location"] == f"/apply/{application.public_id}/address/"
    assert application.channel == Channel.WEBSITE and application.phone == "13812345678"
    _fill(citizen_client, application)
    confirm = citizen_client.get(f"/apply/{application.public_id}/confirm/").content.decode()
    assert "幸福小区5栋3单元602" in confirm and "邮费约10元" in confirm and "138****5678" in confirm
    response = citizen_client.post(f"/apply/{application.public_id}/confirm/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.acceptance_number
    sms = last_sms("application_accepted")
    assert f"您的申领已受理，编号{application.acceptance_number}" in sms.body
    detail = citizen_client.get(f"/apply/{application.public_id}/").content.decode()
    assert application.acceptance_number in detail and "预计审核完成" in detail
    assert "已受理" in detail and "审核中" in detail and "已寄出" in detail  # done and still-to-come steps
    delete_uploads(application)


def test_opened_in_wechat_records_the_h5_channel(citizen_client):
    citizen_client.post("/apply/", HTTP_USER_AGENT="Mozilla/5.0 MicroMessenger/8.0")
    assert Application.objects.get().channel == Channel.H5


def test_errors_keep_what_was_typed(citizen_client):
    citizen_client.post("/apply/")
    application = Application.objects.get()
    response = citizen_client.post(f"/apply/{application.public_id}/address/", {"town": "shiqi", "address_detail": "幸福路"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "幸福小区5栋3单元602" in page and 'value="幸福路"' in page
    assert 'value="shiqi" selected' in page
    application.refresh_from_db()
    assert application.form_data["address_detail"] == "幸福路"  # the draft kept it too


def test_draft_resumes_on_another_device(citizen_client):
    from django.test import Client

    citizen_client.post("/apply/")
    application = Application.objects.get()
    citizen_client.post(f"/apply/{application.public_id}/contact/", {"phone": "13812345678"})
    other = Client()
    LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    sign_in(other)
    response = other.post("/apply/")
    assert response["Location"] == f"/apply/{application.public_id}/address/"


def test_submit_refused_until_everything_is_there(citizen_client):
    citizen_client.post("/apply/")
    application = Application.objects.get()
    response = citizen_client.post(f"/apply/{application.public_id}/confirm/")
    page = response.content.decode()
    assert response.status_code == 400
    for words in ["请填写联系地址", "请选择领卡方式", "请上传身份证人像面", "请上传证件照"]:
        assert words in page
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_rejected_photo_shows_problems_and_can_be_replaced(citizen_client, django_capture_on_commit_callbacks):
    citizen_client.post("/apply/")
    application = Application.objects.get()
    url = f"/apply/{application.public_id}/upload/portrait/"
    response = citizen_client.post(url, {"file": _file(jpeg(200, 200))}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'data-code="too_few_pixels"' in page
    first = Upload.objects.get()
    assert not first.ok
    with django_capture_on_commit_callbacks(execute=True):
        citizen_client.post(url, {"file": _file(jpeg(800, 1000))}, HTTP_HX_REQUEST="true")
    second = Upload.objects.get()
    assert second.pk != first.pk
    assert not first.file.storage.exists(first.file.name)  # the replaced file is gone
    second.file.delete()


def test_garbage_upload_is_a_4xx_with_a_message(citizen_client):
    citizen_client.post("/apply/")
    application = Application.objects.get()
    response = citizen_client.post(f"/apply/{application.public_id}/upload/id_front/",
                                   {"file": _file(b"not an image at all", "x.jpg")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert 'data-code="not_an_image"' in response.content.decode()
    assert Upload.objects.count() == 0


def test_uploaded_images_are_private(citizen_client, passing_photos):
    from django.test import Client

    citizen_client.post("/apply/")
    application = Application.objects.get()
    citizen_client.post(f"/apply/{application.public_id}/upload/portrait/", {"file": _file()})
    url = f"/apply/{application.public_id}/files/portrait/"
    assert citizen_client.get(url).status_code == 200
    stranger = Client()
    sign_in(stranger, "13900000000")
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/apply/{application.public_id}/").status_code == 404
    assert Client().get(url).status_code == 302
    delete_uploads(application)


def test_stored_copy_has_no_exif(citizen_client, passing_photos):
    import io

    from PIL import Image

    image = Image.new("RGB", (800, 1000), (120, 120, 120))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    citizen_client.post("/apply/")
    application = Application.objects.get()
    citizen_client.post(f"/apply/{application.public_id}/upload/portrait/", {"file": _file(out.getvalue())})
    upload = Upload.objects.get()
    with upload.file.open("rb") as fh:
        assert b"SecretCamera" not in fh.read()
    assert len(upload.file.name.split("/")[-1]) == 36  # uuid4 hex + .jpg
    delete_uploads(application)


def test_second_application_shows_the_existing_one(citizen_client, person):
    existing = ApplicationFactory(person=person, submitted=True)
    Application.objects.filter(pk=existing.pk).update(account=person.citizen_set.first())
    page = citizen_client.get("/apply/").content.decode()
    assert "每人同时只能有一份" in page
    citizen_client.post("/apply/")
    assert Application.objects.count() == 1


def test_family_application_for_a_parent(citizen_client, passing_photos):
    parent = PersonFactory(name="黎大山", id_number=make_id_number(born=datetime.date(1950, 5, 1)))
    response = citizen_client.post("/family/", {"relationship": "parent", "name": parent.name, "id_number": parent.id_number})
    application = Application.objects.get(person=parent)
    assert response.status_code == 302
    assert application.relationship == Relationship.PARENT
    assert application.phone == "13812345678"  # the applicant's phone until the parent's is entered
    contact = citizen_client.get(f"/apply/{application.public_id}/contact/").content.decode()
    assert "可以改成家人自己的手机号" in contact
    citizen_client.post(f"/apply/{application.public_id}/contact/", {"phone": "13600000001"})
    application.refresh_from_db()
    assert application.phone == "13600000001"
    uploads = citizen_client.get(f"/apply/{application.public_id}/uploads/").content.decode()
    assert "关系证明" in uploads
    confirm = citizen_client.post(f"/apply/{application.public_id}/confirm/").content.decode()
    assert "请上传关系证明" in confirm
    assert "为父母代办" in citizen_client.get("/family/").content.decode()


def test_family_child_must_be_under_16(citizen_client):
    adult = PersonFactory()
    response = citizen_client.post("/family/", {"relationship": "child", "name": adult.name, "id_number": adult.id_number})
    assert response.status_code == 400 and "已满16周岁" in response.content.decode()


def test_family_limit_of_eight(citizen_client):
    for i in range(8):
        parent = PersonFactory(id_number=make_id_number(born=datetime.date(1950, 1, 1 + i)))
        citizen_client.post("/family/", {"relationship": "parent", "name": parent.name, "id_number": parent.id_number})
    ninth = PersonFactory(id_number=make_id_number(born=datetime.date(1951, 1, 1)))
    response = citizen_client.post("/family/", {"relationship": "parent", "name": ninth.name, "id_number": ninth.id_number})
    assert "最多为8位家人代办" in response.content.decode()


def test_under_16_is_sent_to_a_guardian(client):
    child = PersonFactory(id_number=make_id_number(born=datetime.date(2015, 3, 3)))
    sign_in(client)
    client.post("/realname/", {"name": child.name, "id_number": child.id_number})
    page = client.get("/apply/").content.decode()
    assert "未满16周岁，需由监护人代办" in page
    client.post("/apply/")  # a child's own account cannot start one
    assert not Application.objects.exists()


def test_permit_holders_are_sent_to_a_counter(client):
    from stdnum.cn import ric

    body = "81000019900101123"
    sign_in(client)
    response = client.post("/realname/", {"name": "陈大文", "id_number": body + ric.calc_check_digit(body + "0")})
    assert "请到人社服务窗口办理" in response.content.decode()


def test_pickup_change_once_then_refused(citizen_client, person, branch):
    application = ApplicationFactory(person=person, approved=True)
    Application.objects.filter(pk=application.pk).update(account=person.citizen_set.first())
    url = f"/apply/{application.public_id}/pickup-change/"
    response = citizen_client.post(url, {"pickup_method": "branch", "branch": branch.code})
    assert response.status_code == 302
    change = PickupChange.objects.get()
    assert change.requested == {"pickup_method": "branch", "branch": "HR01"}
    again = citizen_client.post(url, {"pickup_method": "mail", "town": "shiqi", "address_detail": "兴中道12号"})
    assert again.status_code == 400 and "只能修改1次" in again.content.decode()
    decide_pickup_change(change, accept=True, actor="staff:reviewer")
    application.refresh_from_db()
    assert application.pickup_method == "branch" and application.branch == branch
    sms = last_sms("pickup_change_accepted")
    assert (sms.reference_kind, sms.reference_id) == ("application", str(application.pk))


def test_pickup_change_not_before_approval(citizen_client, person):
    application = ApplicationFactory(person=person, submitted=True)
    Application.objects.filter(pk=application.pk).update(account=person.citizen_set.first())
    response = citizen_client.post(f"/apply/{application.public_id}/pickup-change/", {"pickup_method": "mail"})
    assert response.status_code == 400


def test_withdraw_before_production_only(citizen_client, person):
    application = ApplicationFactory(person=person, submitted=True)
    Application.objects.filter(pk=application.pk).update(account=person.citizen_set.first())
    citizen_client.post(f"/apply/{application.public_id}/withdraw/", {"confirm": "yes"})
    application.refresh_from_db()
    assert application.state == State.CANCELLED
    producing = ApplicationFactory(person=person, producing=True)
    Application.objects.filter(pk=producing.pk).update(account=person.citizen_set.first())
    response = citizen_client.post(f"/apply/{producing.public_id}/withdraw/", {"confirm": "yes"}, follow=True)
    assert "不能撤销申领" in response.content.decode()


def test_public_progress_is_masked(client, person):
    application = ApplicationFactory(person=person, approved=True)
    response = client.post("/progress/", {"name": person.name, "id_number": person.id_number})
    page = response.content.decode()
    assert "审核通过" in page and "幸福小区" not in page and "138" not in page
    assert person.id_number not in page.replace(f'value="{person.id_number}"', "")
    wrong = client.post("/progress/", {"name": "张三丰", "id_number": person.id_number}).content.decode()
    nobody = client.post("/progress/", {"name": "张三丰", "id_number": make_id_number()}).content.decode()
    assert "没有查到申领记录" in wrong and "没有查到申领记录" in nobody
    assert application.acceptance_number not in page


def test_public_progress_is_rate_limited(client):
    for _ in range(20):
        client.post("/progress/", {"name": "张三", "id_number": make_id_number()})
    assert client.post("/progress/", {"name": "张三", "id_number": make_id_number()}).status_code == 429


def test_elder_mode_persists(client):
    client.post("/elder-mode/", {"next": "/"})
    assert 'class="elder"' in client.get("/help/").content.decode()
    sign_in(client)
    assert 'class="elder"' in client.get("/my/").content.decode()


def test_change_phone_needs_the_old_phone(citizen_client):
    from tests.helpers import last_login_code

    LoginCode.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=2))
    citizen_client.post("/account/phone/", {"action": "send_old"})
    response = citizen_client.post("/account/phone/", {"action": "verify_old", "code": last_login_code()})
    assert "第2步" in response.content.decode()
    cache.clear()
    citizen_client.post("/account/phone/", {"action": "send_new", "new_phone": "13700000000"})
    response = citizen_client.post("/account/phone/", {"action": "verify_new", "code": last_login_code()})
    assert response.status_code == 302
    from sscard.accounts.models import Citizen

    assert Citizen.objects.get().phone == "13700000000"


def test_lost_old_phone_explains_the_counter_route(citizen_client):
    assert "请本人带身份证到任一人社服务窗口" in citizen_client.get("/account/phone/").content.decode()


def test_iphone_heic_photo_is_accepted_and_stored_as_jpeg(citizen_client, passing_photos):
    import io

    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (1200, 1600), (90, 90, 90)).save(out, "HEIF")
    citizen_client.post("/apply/")
    application = Application.objects.get()
    response = citizen_client.post(f"/apply/{application.public_id}/upload/portrait/",
                                   {"file": _file(out.getvalue(), "IMG_0001.HEIC")}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'data-testid="upload-ok"' in response.content.decode()
    upload = Upload.objects.get()
    with upload.file.open("rb") as fh:
        assert fh.read(3) == b"\xff\xd8\xff"  # re-encoded as JPEG for storage and review
    delete_uploads(application)
