"""Reference data and the eligibility check: nothing here acts for a user."""

from __future__ import annotations

from ninja import Query, Router, Schema
from pydantic import Field

from sscard.addresses import TOWNS, town_by_code
from sscard.api import schemas
from sscard.api.auth import ChannelAuth
from sscard.api.errors import ApiError
from sscard.applications.services.eligibility import check_eligibility
from sscard.delivery import queries as branch_queries

router = Router(tags=["参考数据与资格"], auth=ChannelAuth())

ERRORS = {s: schemas.ErrorOut for s in (400, 401, 404, 413, 422, 429)}


class BranchQuery(Schema):
    town: str = Field(default="", max_length=40, description="镇街代码；不填返回全部营业网点")
    handles_permits: bool | None = Field(default=None, description="只看可办理港澳台及外籍人员业务的网点")


@router.get("/towns", response={200: list[schemas.TownOut], **ERRORS}, summary="中山市23个镇街")
def towns(request):
    return [{"code": t.code, "name": t.name, "kind": t.kind} for t in TOWNS]


@router.get("/branches", response={200: list[schemas.BranchOut], **ERRORS}, summary="领卡网点（按镇街）")
def branches(request, filters: Query[BranchQuery]):
    if filters.town and town_by_code(filters.town) is None:
        raise ApiError(422, "invalid_town", "没有这个镇街，请使用 /towns 返回的代码", errors={"town": "镇街代码无效"})
    return list(branch_queries.active_branches(town=filters.town, handles_permits=filters.handles_permits))


@router.post("/eligibility", response={200: schemas.EligibilityOut, **ERRORS}, summary="申领资格检查")
def eligibility(request, payload: schemas.EligibilityIn):
    """按姓名和证件号码判断能否线上申领,以及不能时该怎么办。不保存任何内容。"""
    result, _person = check_eligibility(payload.name, payload.id_number, for_self=payload.for_self)
    return {"verdict": result.verdict.value, "may_apply_online": result.may_apply_online, "title": result.title,
            "reasons": result.reasons, "next_steps": result.next_steps}
