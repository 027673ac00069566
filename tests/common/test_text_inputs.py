"""One rule for every text input (common.text): control characters, NUL first, are refused with the same
Chinese message on the web and in the API; never a 500 (PostgreSQL refuses NUL), and what was typed stays."""

from __future__ import annotations

import html
import importlib
import inspect

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client

from sscard.api import schemas
from sscard.common.forms import TextField, TextInputsForm
from sscard.common.text import CONTROL_CHARS_MESSAGE, control_char_errors, has_control_chars, storable
from tests.helpers import citizen_with_draft

MESSAGE = html.escape(CONTROL_CHARS_MESSAGE)


# --- the pure rule ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["a\x00b", "\x1b[31m", "\x7f", "x\x85y", "\ud800", "a\nb", "a\tb"])
def test_control_characters_are_refused(text):
    assert has_control_chars(text)


@pytest.mark.parametrize("text", ["", "幸福小区5栋3单元602", "O'Brien-李", "（全角）", "emoji 😀", "\u3000全角空格"])
def test_ordinary_text_passes(text):
    assert not has_control_chars(text)


def test_line_breaks_only_in_multiline_inputs():
    assert not has_control_chars("第一行\r\n第二行\t", multiline=True)
    assert has_control_chars("第一行\x00", multiline=True)
    assert control_char_errors({"note": "a\nb", "name": "a\nb"}, multiline=["note"]) == {"name": CONTROL_CHARS_MESSAGE}
    assert storable("幸福\x00路") == "幸福路"


# --- structural: every form and every API input uses the rule ------------------------------------------

def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _our_form_classes():
    # Everything a request can reach is imported by the URL lists (views, forms) and the admin registry.
    from django.contrib import admin
    from django.urls import get_resolver

    admin.autodiscover()
    get_resolver().url_patterns  # noqa: B018 (imports every view module, and their forms)
    for module in list(__import__("sys").modules):
        if module.startswith("sscard.") and module.rsplit(".", 1)[-1] in ("forms", "admin", "views"):
            importlib.import_module(module)
    return {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("sscard.")}


def test_every_form_char_field_refuses_control_characters():
    found = _our_form_classes()
    assert {"ReturnForm", "RefuseForm", "SmsTemplateForm"} <= {cls.__name__ for cls in found}
    plain = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in found if not issubclass(cls, TextInputsForm)
             for name, field in cls.base_fields.items()
             if isinstance(field, forms.CharField) and not isinstance(field, TextField)]
    assert not plain, f"use common.forms.TextField (or mix in TextInputsForm): {plain}"


def test_every_api_text_input_refuses_control_characters():
    plain = []
    for name, cls in inspect.getmembers(schemas, inspect.isclass):
        if not (issubclass(cls, schemas.In) and cls is not schemas.In):
            continue
        for field, info in cls.model_fields.items():
            checked = any(getattr(m, "func", None) is schemas._printable for m in info.metadata)
            if info.annotation is str and not checked:
                plain.append(f"{name}.{field}")
    assert not plain, f"use schemas.Text: {plain}"


# --- the web forms, on SQLite and on PostgreSQL --------------------------------------------------------

@pytest.fixture
def draft(db):
    return citizen_with_draft()


@pytest.mark.parametrize(("step", "data", "field"), [
    ("contact", {"phone": "1381234\x005678"}, "phone"),
    ("address", {"town": "shiqi\x00", "address_detail": "幸福小区5栋3单元602"}, "town"),
    ("address", {"town": "shiqi", "address_detail": "幸福小区5栋\x003单元602"}, "address_detail"),
    ("pickup", {"pickup_method": "branch", "branch": "HR\x0001"}, "branch"),
    ("pickup", {"pickup_method": "mail\x00", "branch": ""}, "pickup_method"),
])
def test_nul_in_a_form_step_is_shown_beside_the_field_and_the_rest_is_kept(draft, step, data, field):
    client, application = draft
    response = client.post(f"/apply/{application.public_id}/{step}/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page
    for name, value in data.items():
        if name != "branch":  # a list to choose from: an unknown code is not an option to show
            assert html.escape(value.replace("\x00", "")) in page  # what was typed comes back (less the NUL)
    application.refresh_from_db()
    assert application.form_data[field] == data[field].replace("\x00", "")


def test_nul_in_the_family_form(draft):
    client, _ = draft
    response = client.post("/family/", {"relationship": "parent", "name": "张\x00三", "id_number": "44200019500101123X"})
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page and "张三" in page and "44200019500101123X" in page


def test_nul_in_sign_in_and_progress_forms(db):
    cache.clear()
    client = Client()
    response = client.post("/login/", {"phone": "13812345678\x00", "code": "123456"})
    assert response.status_code == 400 and MESSAGE in response.content.decode()
    assert "13812345678" in response.content.decode()
    response = client.post("/progress/", {"name": "李\x00四", "id_number": "442000199001011233"})
    assert response.status_code == 400 and MESSAGE in response.content.decode()


def test_nul_in_the_staff_sign_in(db):
    cache.clear()
    response = Client().post("/staff/login/", {"username": "clerk\x00", "password": "x" * 12})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode() and "clerk" in response.content.decode()


def test_the_api_says_the_same(db):
    with pytest.raises(Exception, match=CONTROL_CHARS_MESSAGE):
        schemas.AddressIn(town="shiqi", address_detail="幸福\x00路1号")
