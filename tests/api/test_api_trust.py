"""Issue #10 (Trust), the API's part: a withdraw body that is not an object withdraws nothing; the OpenAPI
description lists every line of the string to sign; control characters get the shared message."""

from __future__ import annotations

import hashlib
import re

import pytest

from sscard.api import signing
from sscard.api.main import DESCRIPTION
from sscard.applications.models import Application
from sscard.common.text import CONTROL_CHARS_MESSAGE
from tests.api.test_api_applications import person, start_self  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", [b"[]", b"null", b'"cancel"', b"1", b"[{}]", b"not json"])
def test_withdraw_with_a_body_that_is_not_an_object_withdraws_nothing(user, person, error_of, body):  # noqa: F811
    app_id = start_self(user, person)["id"]
    response = user.request("POST", f"/applications/{app_id}/withdraw", body=body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert re.search(r"[\u4e00-\u9fff]", error_of(response)["message"])  # said in Chinese
    assert Application.objects.get(public_id=app_id).state == "draft"


def test_withdraw_with_an_object_or_no_body_still_works(user, person):  # noqa: F811
    app_id = start_self(user, person)["id"]
    response = user.request("POST", f"/applications/{app_id}/withdraw", json={})
    assert response.json()["state"] == "cancelled"


def test_a_control_character_gets_the_shared_message(user, person, error_of):  # noqa: F811
    app_id = start_self(user, person)["id"]
    response = user.request("PUT", f"/applications/{app_id}/address",
                            json={"town": "shiqi", "address_detail": "幸福小区5栋\u00003单元602"})
    assert CONTROL_CHARS_MESSAGE in str(error_of(response, 422)["errors"])


def test_the_openapi_description_lists_every_line_of_the_string_to_sign():
    documented = re.search(r"签名串：`([^`]+)`", DESCRIPTION).group(1).split("\\n")
    body, phone = b'{"a":1}', "13800000000"
    values = {"METHOD": "POST", "PATH": "/api/v1/x", "QUERY（排序）": "a=1&b=2", "TIMESTAMP": "1700000000",
              "NONCE": "n" * 16, "sha256hex(BODY)": hashlib.sha256(body).hexdigest(), "USER_PHONE": phone}
    assert set(documented) <= set(values), documented
    signed = signing.canonical_string("post", "/api/v1/x", "b=2&a=1", "1700000000", "n" * 16, body, phone)
    assert signed.split("\n") == [values[name] for name in documented]
    # Without a user the last line is absent, as the description says.
    assert "USER_PHONE" in DESCRIPTION.split("签名串")[1] and "没有这一行" in DESCRIPTION
    unsigned = signing.canonical_string("post", "/api/v1/x", "b=2&a=1", "1700000000", "n" * 16, body)
    assert unsigned.split("\n") == [values[name] for name in documented if name != "USER_PHONE"]
