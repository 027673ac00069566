"""我的社保卡 through a channel: the signed-in user's cards, activation, loss, PIN reset, 补卡. Thin: card services work."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from sscard.api import schemas
from sscard.api.auth import ChannelAuth, acting_citizen
from sscard.api.errors import ApiError
from sscard.api.routers.applications import application_out
from sscard.cards.models import Card
from sscard.cards.services import actions, activation, loss
from sscard.cards.services.errors import CONFLICT_CODES
from sscard.cards.services.locking import lock_due_at
from sscard.common.errors import Refusal

router = Router(tags=["我的社保卡"], auth=ChannelAuth())

ERRORS = {status: schemas.ErrorOut for status in (400, 401, 403, 404, 409, 413, 422, 429)}


def _responses(ok: dict) -> dict:
    return {**ERRORS, **ok}


def _actor(request: HttpRequest, citizen) -> str:
    return f"citizen:{citizen.pk} channel:{request.channel_partner.app_id}"[:80]


def _own(request: HttpRequest, card_id: int):
    """The user's card (their own, or a family member's they applied for), or 404 — never a hint that it exists."""
    citizen = acting_citizen(request)
    card = actions.card_of(citizen, card_id) if citizen is not None else None
    if card is None:
        raise ApiError(404, "card_not_found", "没有找到这张卡")
    return citizen, card


def _refused(exc: Refusal) -> ApiError:
    # A refused PIN (pin_format, pin_birthday, …) or a wrong one is a 422; "not now, given the card" a 409.
    status = 409 if exc.code in CONFLICT_CODES else 422
    return ApiError(status, exc.code, exc.message, errors={str(k): str(v) for k, v in exc.errors.items()})


def card_out(card: Card) -> dict:
    view = actions.card_view(card)
    return {
        "id": card.pk,
        "card_number": view.masked_number,
        "state": card.state,
        "state_label": view.state_label,
        "where": view.where,
        "actions": view.actions,
        "notes": view.notes,
        "holder": view.holder,
        "bank": card.bank,
        "handed_over_at": card.handed_over_at,
        "activated_at": card.activated_at,
        "lock_due_at": lock_due_at(card),
        "pin_locked": card.pin_locked_at is not None,
    }


@router.get("/cards", response=_responses({200: list[schemas.CardOut]}), summary="我的社保卡")
def list_cards(request):
    """用户本人的卡,以及用户为家人代办申领的卡;卡号脱敏。"""
    citizen = acting_citizen(request)
    if citizen is None:
        return []
    return [card_out(card) for card in actions.cards_of(citizen)[:50]]


@router.post("/cards/{int:card_id}/activate", response=_responses({200: schemas.CardOut}), summary="激活（设置服务密码）")
def activate(request, card_id: int, payload: schemas.PinIn):
    """已签收或已领取、待激活的卡:调用即表示用户确认已收到卡。服务密码不符合规则时 422,code 为 pin_format、
    pin_mismatch、pin_birthday、pin_id_tail、pin_repeated、pin_sequence、pin_common 之一,message 为中文说明。"""
    citizen, card = _own(request, card_id)
    try:
        activation.activate_online(card, actor=_actor(request, citizen), pin=payload.pin,
                                   pin_confirm=payload.pin_confirm, receipt_confirmed=True)
    except Refusal as exc:
        raise _refused(exc) from None
    return card_out(card)


@router.post("/cards/{int:card_id}/loss", response=_responses({200: schemas.CardOut}), summary="挂失")
def report_loss(request, card_id: int, payload: schemas.LossIn):
    """kind=temporary:临时挂失(仅已激活的卡,到期自动解除,可凭服务密码提前解除);kind=formal:正式挂失
    (不能解除,之后 actions 含 replace,可申请补卡)。当前状态不允许时 409 loss_not_allowed。"""
    citizen, card = _own(request, card_id)
    try:
        loss.report_loss(card, payload.kind, actor=_actor(request, citizen))
    except Refusal as exc:
        raise _refused(exc) from None
    return card_out(card)


@router.post("/cards/{int:card_id}/loss/lift", response=_responses({200: schemas.CardOut}), summary="解除临时挂失")
def lift_loss(request, card_id: int, payload: schemas.LiftLossIn):
    """凭服务密码解除临时挂失。密码错误 422 pin_wrong(message 说明还可试几次);连续输错6次后 409 pin_locked,
    需先重置服务密码。"""
    citizen, card = _own(request, card_id)
    try:
        loss.lift_temporary_loss(card, pin=payload.pin, actor=_actor(request, citizen))
    except Refusal as exc:
        raise _refused(exc) from None
    return card_out(card)


@router.post("/cards/{int:card_id}/pin-reset/code", response=_responses({200: schemas.PinResetCodeOut}),
             summary="重置服务密码：获取短信验证码")
def pin_reset_code(request, card_id: int):
    """验证码发到 X-Sscard-User-Phone 的手机;60秒内只能获取一次(429 too_soon 时看 retry_after)。"""
    citizen, card = _own(request, card_id)
    try:
        outcome = activation.request_pin_reset_code(card, citizen.phone)
    except Refusal as exc:
        raise _refused(exc) from None
    if not outcome.ok:
        raise ApiError(429, "sms_code_refused", outcome.message, retry_after=outcome.retry_after)
    return {"sent": True, "message": outcome.message, "retry_after": outcome.retry_after}


@router.post("/cards/{int:card_id}/pin-reset", response=_responses({200: schemas.CardOut}), summary="重置服务密码")
def pin_reset(request, card_id: int, payload: schemas.PinResetIn):
    """短信验证码 + 新服务密码(两次)。新密码的规则与激活相同(422 pin_*);验证码不对 422 sms_code_invalid。"""
    citizen, card = _own(request, card_id)
    try:
        activation.reset_pin(card, phone=citizen.phone, code=payload.code, pin=payload.pin,
                             pin_confirm=payload.pin_confirm, actor=_actor(request, citizen))
    except Refusal as exc:
        raise _refused(exc) from None
    return card_out(card)


@router.post("/cards/{int:card_id}/replacement", response=_responses({200: schemas.StartOut, 201: schemas.StartOut}),
             summary="补卡（正式挂失后）")
def start_replacement(request, card_id: int):
    """为正式挂失的卡开始一份补卡申领(kind=replacement),联系方式、地址、领卡方式按上次申领预填;之后与普通申领
    相同:上传材料、提交。已有这张卡的补卡申领时返回那一份(created=false,HTTP 200)。"""
    citizen, card = _own(request, card_id)
    try:
        application, created = loss.start_replacement(card, citizen, channel=request.channel_partner.channel)
    except Refusal as exc:
        raise _refused(exc) from None
    return Status(201 if created else 200, {"created": created, "application": application_out(application)})
