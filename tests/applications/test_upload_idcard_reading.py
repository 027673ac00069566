"""Uploading ID card photos that are read (OCR): the wrong person's card in a family application is accepted
with a warning the citizen and the reviewer see; an expired card is refused; an unreadable one is not."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from sscard.applications.constants import Relationship
from sscard.applications.models import Application, Upload, UploadKind
from sscard.applications.queries import uploads_by_kind
from sscard.applications.services.uploads import attach_upload
from sscard.demo.idcard_drawing import draw_front
from sscard.review import screen
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import delete_uploads
from tests.support.idcard_photos import (
    FONT_MISSING,
    HAVE_CJK_FONT,
    back_photo,
    card_face,
    front_photo,
    photographed,
    unreadable,
)

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not HAVE_CJK_FONT, reason=FONT_MISSING)]

PARENTS_CARD_WARNING = "照片上的身份证号码与申领人不一致，请确认上传的是申领人本人的身份证"


@pytest.fixture
def for_parent():
    """A family application: the account holder applies for a parent, who is the applicant."""
    application = ApplicationFactory(relationship=Relationship.PARENT, person=PersonFactory(name="王秀英"))
    yield application
    delete_uploads(application)


def test_family_application_with_the_applicants_own_card_has_no_warning(for_parent):
    result = attach_upload(for_parent, UploadKind.ID_FRONT, front_photo("王秀英", for_parent.id_number))
    assert result.ok and result.warnings == []
    assert result.upload.card_reading["id_number"] == for_parent.id_number


def test_the_card_of_a_zhongshan_parent_born_before_1988_is_read_and_matched():
    # 442000 (Zhongshan) was made in 1988, yet heads the numbers of people born long before: the number
    # read off such a card is theirs (python-stdnum's is_valid refuses it), so a wrong card is noticed.
    import datetime

    from sscard.demo.people import make_id

    born_1948 = make_id("442000", datetime.date(1948, 3, 5), 7, male=False)
    born_1975 = make_id("442000", datetime.date(1975, 8, 9), 11, male=True)
    right = ApplicationFactory(relationship=Relationship.PARENT, person=PersonFactory(name="王秀英", id_number=born_1948))
    wrong = ApplicationFactory(relationship=Relationship.PARENT, person=PersonFactory(name="王秀兰"))
    try:
        own = attach_upload(right, UploadKind.ID_FRONT, front_photo("王秀英", born_1948))
        assert own.ok and own.warnings == [] and own.upload.card_reading["id_number"] == born_1948
        other = attach_upload(wrong, UploadKind.ID_FRONT, front_photo("王小明", born_1975))
        assert other.ok and [w["message"] for w in other.warnings] == [PARENTS_CARD_WARNING]
        assert other.upload.card_reading["id_number"] == born_1975
    finally:
        delete_uploads(right)
        delete_uploads(wrong)


def test_family_application_with_another_persons_card_is_accepted_with_a_warning(for_parent):
    own_number = PersonFactory(name="王小明").id_number  # the account holder's own card, uploaded by mistake
    result = attach_upload(for_parent, UploadKind.ID_FRONT, front_photo("王小明", own_number))
    assert result.ok  # accepted: the reviewer decides
    assert [w["message"] for w in result.warnings] == [PARENTS_CARD_WARNING]
    upload = Upload.objects.get(pk=result.upload.pk)
    assert upload.ok and upload.warnings == result.warnings
    assert upload.card_reading["id_number"] == own_number and upload.card_reading["name"] == "王小明"
    # The reading is stored encrypted: the number read is nowhere in the row as written to the database.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reading FROM applications_upload WHERE id = %s", [upload.pk])
        assert own_number not in cursor.fetchone()[0]

    # The reviewer sees what was read, masked, beside the applicant's number, marked as different.
    application = Application.objects.get(pk=for_parent.pk)
    front = next(i for i in screen.images(uploads_by_kind(application)) if i.kind == UploadKind.ID_FRONT)
    rows = {r.label: r for r in front.reading}
    number = rows["证件号码（识读）"]
    assert number.form == own_number[:4] + "*" * 10 + own_number[-4:]
    assert number.registry == for_parent.id_number[:4] + "*" * 10 + for_parent.id_number[-4:]
    assert number.differs and own_number not in str(front)
    assert rows["姓名（识读）"].form == "王小明" and rows["姓名（识读）"].differs
    assert [w["code"] for w in front.warnings] == ["id_card_not_applicant"]


def test_the_citizen_sees_the_warning_on_the_upload_card(client, for_parent):
    from tests.helpers import sign_in

    sign_in(client, "13812345678")
    Application.objects.filter(pk=for_parent.pk).update(account=_citizen("13812345678"))
    other = PersonFactory(name="王小明").id_number
    response = client.post(f"/apply/{for_parent.public_id}/upload/id_front/",
                           {"file": io.BytesIO(front_photo("王小明", other))}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="upload-warnings"' in page and PARENTS_CARD_WARNING in page


def _citizen(phone: str):
    from sscard.accounts.models import Citizen

    return next(c for c in Citizen.objects.all() if c.phone == phone)


def test_expired_back_is_refused(for_parent):
    result = attach_upload(for_parent, UploadKind.ID_BACK, back_photo("2005.01.01-2015.01.01"))
    assert not result.ok
    assert [p["code"] for p in result.problems] == ["id_card_expired"]
    assert "有效期至2015年1月1日" in result.problems[0]["message"]


def test_unreadable_card_is_accepted_without_warning(for_parent):
    data = photographed(unreadable(draw_front("王小明", "44200019900307123X", "广东省中山市", card_face())))
    result = attach_upload(for_parent, UploadKind.ID_FRONT, data)
    assert result.ok and result.problems == [] and result.warnings == []
    front = next(i for i in screen.images(uploads_by_kind(for_parent)) if i.kind == UploadKind.ID_FRONT)
    assert [r.form for r in front.reading] == ["未能识读", "未能识读"]
