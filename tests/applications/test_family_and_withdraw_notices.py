"""What a citizen reads about a family application and a withdrawal: the SMS and the family page's words."""

import datetime
import re

import pytest
from django.core.cache import cache

from sscard.applications.constants import Relationship, State
from sscard.applications.services.submission import withdraw
from sscard.notifications.models import Notification
from tests.factories import ApplicationFactory, PersonFactory, make_id_number
from tests.helpers import last_sms, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def test_withdrawing_a_submitted_application_sends_an_sms():
    application = ApplicationFactory(submitted=True, person=PersonFactory(name="黎明"))
    withdraw(application, actor="citizen:1")
    application.refresh_from_db()
    assert application.state == State.CANCELLED
    sms = last_sms("application_withdrawn")
    assert sms is not None and sms.phone == application.phone
    assert f"编号{application.acceptance_number}）已撤销" in sms.body and "黎*" in sms.body
    assert "12333" in sms.body  # someone else withdrawing it knows whom to call


def test_withdrawing_a_draft_sends_nothing():
    draft = ApplicationFactory()
    withdraw(draft, actor="citizen:1")
    assert not Notification.objects.exists()


def test_the_acceptance_sms_of_a_family_application_names_the_member():
    parent = PersonFactory(name="黎大山", id_number=make_id_number(born=datetime.date(1950, 5, 1)))
    application = ApplicationFactory(submitted=True, person=parent, relationship=Relationship.PARENT)
    sms = last_sms("family_application_accepted")
    assert sms is not None and last_sms("application_accepted") is None
    assert "黎**的社保卡申领（亲情代办）已受理" in sms.body
    assert application.acceptance_number in sms.body
    assert "黎大山" not in sms.body  # masked, as in every SMS


def test_an_own_application_keeps_its_own_acceptance_sms():
    ApplicationFactory(submitted=True)
    assert last_sms("application_accepted") is not None and last_sms("family_application_accepted") is None


def test_the_under_16_error_names_the_option_as_the_page_labels_it(client):
    me = PersonFactory(name="黎明")
    sign_in(client)
    assert client.post("/realname/", {"name": me.name, "id_number": me.id_number}).status_code == 302
    page = client.get("/family/").content.decode()
    label = re.search(r'value="child"[^>]*>([^<（(]+)', page).group(1).strip()
    child = PersonFactory(name="黎小明", id_number=make_id_number(born=datetime.date(2016, 3, 3)))

    refused = client.post("/family/", {"relationship": "parent", "name": child.name, "id_number": child.id_number})
    assert refused.status_code == 400
    assert f"请选择“{label}”" in refused.content.decode()
