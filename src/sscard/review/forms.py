"""The workbench's forms: they collect and tidy what the reviewer typed; the decisions' rules (a reason is
required, a note for "其他问题", lengths) live in ``review.decisions`` and come back as ``ReviewError``."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from sscard.applications import numbers
from sscard.common.forms import TextField
from sscard.identity import check_id_number
from sscard.identity.phones import check_mobile
from sscard.privacy.fields import digest
from sscard.review.decisions import MAX_NOTE, MAX_REFUSAL_REASON
from sscard.review.models import ReturnReason


class ReturnForm(forms.Form):
    reasons = forms.MultipleChoiceField(label="退回原因", required=False, widget=forms.CheckboxSelectMultiple)
    note = TextField(label="补充说明（告知申领人）", required=False, max_length=MAX_NOTE,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reasons: list[ReturnReason], **kwargs):
        super().__init__(*args, **kwargs)
        self.reason_rows = reasons
        self.fields["reasons"].choices = [(r.code, r.title) for r in reasons]

    @property
    def checked(self) -> list[str]:
        """The codes ticked in the request (kept when the return is refused, so nothing is lost)."""
        return self.data.getlist("reasons") if self.is_bound else []


class RefuseForm(forms.Form):
    reason = TextField(label="不予受理原因（短信告知申领人）", required=False, max_length=MAX_REFUSAL_REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PickupDecisionForm(forms.Form):
    accept = forms.TypedChoiceField(choices=[("1", "同意"), ("0", "不同意")], coerce=lambda v: v == "1")
    reason = TextField(required=False, max_length=MAX_REFUSAL_REASON)


@dataclass(frozen=True)
class SearchKey:
    """What the reviewer searched by, and the value the query needs (a digest, never the number itself)."""

    by: str  # acceptance_number | id_number | phone
    acceptance_number: str = ""
    id_digest: str = ""
    phone_digest: str = ""

    @property
    def label(self) -> str:
        return {"acceptance_number": "受理编号", "id_number": "证件号码", "phone": "手机号"}[self.by]


def search_key(raw: str) -> tuple[SearchKey | None, str]:
    """Read the search box: an acceptance number, an ID number or a mobile number. Returns (key, error)."""
    text = (raw or "").strip().upper().replace(" ", "")
    if not text:
        return None, ""
    if len(text) == 11 and text.isdigit() and text.startswith("1"):
        phone = check_mobile(text)
        if not phone.valid:
            return None, phone.message
        return SearchKey("phone", phone_digest=digest(phone.normalized)), ""
    if len(text) in (15, 18) and text[:-1].isdigit():
        id_check = check_id_number(text)
        if not id_check.valid:
            return None, f"证件号码有误：{id_check.message}"
        return SearchKey("id_number", id_digest=digest(id_check.normalized)), ""
    if text.startswith(numbers.PREFIX):
        if not numbers.is_valid(text):
            return None, "受理编号有误（应为ZS开头的17位编号，校验位不符），请核对"
        return SearchKey("acceptance_number", acceptance_number=text), ""
    return None, "请输入受理编号（ZS开头）、18位证件号码或11位手机号"
