"""No input produces a 500, every error has the one shape, and an error never clears what was entered.

Hypothesis drives the JSON endpoints through the real signing client with arbitrary JSON values,
arbitrary objects over the real field names, and arbitrary bytes.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sscard.applications.models import Application
from tests.factories import PersonFactory

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)
FIELDS = ["name", "id_number", "for_self", "relationship", "phone", "town", "address_detail", "pickup_method",
          "branch", "reason"]
objects = st.dictionaries(st.sampled_from(FIELDS), json_values | st.text(max_size=300), max_size=6)
bodies = json_values | objects


@pytest.fixture
def draft(user, partner):
    partner.rate_limit_per_minute = 100_000  # the fuzzers send far more than 600 a minute
    partner.save()
    person = PersonFactory(name="张伟")
    response = user.start_application(name=person.name, id_number=person.id_number)
    assert response.status_code == 201
    return response.json()["application"]["id"]


def routes(app_id: str) -> list[tuple[str, str]]:
    base = f"/applications/{app_id}"
    return [
        ("POST", "/eligibility"), ("POST", "/me/realname"), ("POST", "/applications"),
        ("PUT", f"{base}/contact"), ("PUT", f"{base}/address"), ("PUT", f"{base}/pickup"),
        ("POST", f"{base}/pickup-change"), ("POST", f"{base}/withdraw"), ("POST", f"{base}/submit"),
        ("GET", "/branches"), ("POST", f"{base}/uploads/portrait"), ("POST", f"{base}/uploads/relationship_proof"),
    ]


def check(response, error_of):
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        error_of(response)


@FUZZ
@given(data=st.data(), body=bodies)
def test_json_bodies_never_500(user, draft, error_of, data, body):
    method, path = data.draw(st.sampled_from(routes(draft)))
    if path.endswith("/withdraw"):
        return  # withdrawing would end the draft for the other examples: see the test below
    check(user.request(method, path, json=body), error_of)


@FUZZ
@given(data=st.data(), raw=st.binary(max_size=300))
def test_raw_bytes_never_500(user, draft, error_of, data, raw):
    method, path = data.draw(st.sampled_from(routes(draft)))
    content_type = data.draw(st.sampled_from(["application/json", "text/plain", "multipart/form-data; boundary=x",
                                              "application/x-www-form-urlencoded", ""]))
    check(user.request(method, path, body=raw, content_type=content_type), error_of)


multipart_parts = st.lists(
    st.tuples(st.sampled_from(["file", "other", "", '"', "file\r\n"]), st.text(max_size=20), st.binary(max_size=60)),
    max_size=3,
)


@FUZZ
@given(parts=multipart_parts, boundary=st.sampled_from(["b0undary", "x", "", "--", "é"]), tail=st.binary(max_size=20))
def test_malformed_multipart_never_500(user, draft, error_of, parts, boundary, tail):
    body = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n\r\n'.encode()
        + data + b"\r\n"
        for name, filename, data in parts
    ) + f"--{boundary}--".encode() + tail
    response = user.request("POST", f"/applications/{draft}/uploads/relationship_proof", body=body,
                            content_type=f"multipart/form-data; boundary={boundary}")
    check(response, error_of)


@FUZZ
@given(reason=json_values)
def test_withdraw_never_500(user, draft, error_of, reason):
    check(user.request("POST", f"/applications/{draft}/withdraw", json={"reason": reason}), error_of)


@FUZZ
@given(path=st.text(max_size=40), town=st.text(max_size=20))
def test_paths_and_queries_never_500(user, error_of, draft, path, town):
    from urllib.parse import quote

    check(user.request("GET", "/" + quote(path, safe="/")), error_of)
    check(user.request("GET", "/branches", params={"town": town}), error_of)


@FUZZ
@given(town=st.text(max_size=50), detail=st.text(max_size=250))
def test_an_error_never_clears_what_was_entered(user, draft, error_of, town, detail):
    assert user.save_step(draft, "address", {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}).ok
    response = user.save_step(draft, "address", {"town": town, "address_detail": detail})
    check(response, error_of)
    application = Application.objects.get(public_id=draft)
    if response.status_code == 422 and response.json()["code"] == "invalid_fields":
        # Refused: what was typed is in the draft and in the answer; the last good address stays.
        assert application.form_data["town"] == town and application.form_data["address_detail"] == detail
        assert response.json()["form_data"]["address_detail"] == detail
        assert (application.town, application.address_detail) == ("shiqi", "幸福小区5栋3单元602")
    elif response.status_code == 200:
        assert application.town == town
