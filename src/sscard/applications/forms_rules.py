"""Validation of the form steps (pure dict in, clean dict + Chinese errors out).

Shared by the web pages and the channel API so both say exactly the same thing. An error never
clears the input: callers keep what was typed and show the errors beside it.
"""

from __future__ import annotations

from sscard.addresses import check_address_detail, town_by_code
from sscard.common.text import control_char_errors
from sscard.delivery.constants import PickupMethod
from sscard.identity.phones import check_mobile

Errors = dict[str, str]


def validate_contact(data: dict) -> tuple[dict, Errors]:
    if errors := control_char_errors(data, ("phone",)):
        return {}, errors
    phone = check_mobile(str(data.get("phone", "")))
    if not phone.valid:
        return {}, {"phone": phone.message}
    return {"phone": phone.normalized}, {}


def validate_address(data: dict) -> tuple[dict, Errors]:
    if errors := control_char_errors(data, ("town", "address_detail")):
        return {}, errors
    errors = {}
    town = str(data.get("town", "")).strip()
    if not town:
        errors["town"] = "请选择所在镇街"
    elif town_by_code(town) is None:
        errors["town"] = "请从列表中选择中山市的镇街"
    detail = check_address_detail(str(data.get("address_detail", "")))
    if not detail.valid:
        errors["address_detail"] = detail.message
    if errors:
        return {}, errors
    return {"town": town, "address_detail": detail.normalized}, {}


def validate_pickup(data: dict, *, branch_exists) -> tuple[dict, Errors]:
    """``branch_exists(code) -> bool`` keeps this module free of the database."""
    # Checked before the branch is looked up: a NUL in a query parameter is an error in PostgreSQL.
    if errors := control_char_errors(data, ("pickup_method", "branch")):
        return {}, errors
    method = str(data.get("pickup_method", "")).strip()
    if method not in PickupMethod.values:
        return {}, {"pickup_method": "请选择领卡方式：邮寄到家或网点自取"}
    if method == PickupMethod.MAIL:
        return {"pickup_method": method, "branch": ""}, {}
    branch = str(data.get("branch", "")).strip()
    if not branch:
        return {}, {"branch": "请选择领卡网点"}
    if not branch_exists(branch):
        return {}, {"branch": "这个网点不存在或已停止营业，请重新选择"}
    return {"pickup_method": method, "branch": branch}, {}
