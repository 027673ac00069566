"""Whatever a citizen types into any form: never a 500, and what was typed comes back on an error."""

import html

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import citizen_with_draft

pytestmark = pytest.mark.django_db

typed = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def session():
    return citizen_with_draft()


def _echoed(page: str, value: str) -> bool:
    return html.escape(value.strip()) in page or html.escape(value) in page


@SETTINGS
@given(town=typed, detail=typed)
def test_address_step(session, town, detail):
    client, application = session
    response = client.post(f"/apply/{application.public_id}/address/", {"town": town, "address_detail": detail})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert _echoed(response.content.decode(), detail)


@SETTINGS
@given(phone=typed)
def test_contact_step(session, phone):
    client, application = session
    response = client.post(f"/apply/{application.public_id}/contact/", {"phone": phone})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert _echoed(response.content.decode(), phone)


@SETTINGS
@given(method=typed, branch=typed)
def test_pickup_step(session, method, branch):
    client, application = session
    response = client.post(f"/apply/{application.public_id}/pickup/", {"pickup_method": method, "branch": branch})
    assert response.status_code in (302, 400)


@SETTINGS
@given(name=typed, number=typed, relationship=typed)
def test_family_form(session, name, number, relationship):
    client, _ = session
    cache.clear()
    response = client.post("/family/", {"relationship": relationship, "name": name, "id_number": number})
    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        assert _echoed(response.content.decode(), number)


@SETTINGS
@given(name=typed, number=typed)
def test_public_progress(client, name, number):
    cache.clear()
    response = client.post("/progress/", {"name": name, "id_number": number})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert _echoed(response.content.decode(), number)


@SETTINGS
@given(phone=typed, code=typed)
def test_login(client, phone, code):
    cache.clear()
    assert client.post("/login/code/", {"phone": phone}).status_code in (200, 400, 429)
    response = client.post("/login/", {"phone": phone, "code": code})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert _echoed(response.content.decode(), phone)


@SETTINGS
@given(kind=typed, step=typed)
def test_unknown_steps_and_kinds_are_404(session, kind, step):
    client, application = session
    for path in (f"/apply/{application.public_id}/{step}/", f"/apply/{application.public_id}/upload/{kind}/"):
        response = client.post(path, {})
        assert response.status_code < 500
