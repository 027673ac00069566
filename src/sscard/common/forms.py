"""Form fields that carry the one rule of every text input (``common.text``).

Every ``CharField`` on a Django form of ours is a :class:`TextField` (``tests/common/test_text_inputs.py``
walks every form class in ``sscard`` and fails on a plain one), so a new form cannot forget the rule.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from sscard.common.text import CONTROL_CHARS_MESSAGE, has_control_chars


def refuse_control_chars(value: str) -> None:
    if has_control_chars(value or ""):
        raise ValidationError(CONTROL_CHARS_MESSAGE, code="control_chars")


def refuse_control_chars_multiline(value: str) -> None:
    if has_control_chars(value or "", multiline=True):
        raise ValidationError(CONTROL_CHARS_MESSAGE, code="control_chars")


class TextField(forms.CharField):
    """A ``CharField`` that refuses control characters; a ``Textarea`` lets line breaks and tabs in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        multiline = isinstance(self.widget, forms.Textarea)
        self.validators.append(refuse_control_chars_multiline if multiline else refuse_control_chars)


class TextInputsForm:
    """Mix in before ``forms.Form``/``forms.ModelForm``: every ``CharField`` the form has, generated from a model
    field included, gets the rule (a ``Textarea`` lets line breaks in)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(field, TextField):
                multiline = isinstance(field.widget, forms.Textarea)
                field.validators.append(refuse_control_chars_multiline if multiline else refuse_control_chars)
