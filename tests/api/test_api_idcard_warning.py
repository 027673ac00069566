"""The channel API tells the partner app what the web tells the citizen: an ID card that is someone else's
is accepted with a warning, so the mini-program can ask the person to look again."""

from __future__ import annotations

import pytest

from tests.factories import PersonFactory
from tests.support.idcard_photos import FONT_MISSING, HAVE_CJK_FONT, front_photo

pytestmark = [pytest.mark.django_db, pytest.mark.skipif(not HAVE_CJK_FONT, reason=FONT_MISSING)]


def test_another_persons_card_comes_back_with_a_warning(user):
    person = PersonFactory(name="张伟")
    started = user.start_application(name=person.name, id_number=person.id_number)
    assert started.status_code == 201, started.json()
    app_id = started.json()["application"]["id"]

    someone_else = PersonFactory(name="王小明")
    body = user.upload(app_id, "id_front", front_photo("王小明", someone_else.id_number)).json()
    assert body["ok"] is True and body["stored"] is True
    assert [w["code"] for w in body["warnings"]] == ["id_card_not_applicant"]
    assert "与申领人不一致" in body["warnings"][0]["message"]

    own = user.upload(app_id, "id_front", front_photo("张伟", person.id_number)).json()
    assert own["ok"] is True and own["warnings"] == []
