"""我的社保卡: the citizen's cards, activation, loss, PIN reset and 补卡. Thin: each view calls a card service."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sscard.accounts.web import citizen_required
from sscard.applications.constants import Channel
from sscard.applications.services import drafts
from sscard.cards import pin_policy
from sscard.cards.services import actions, activation, loss
from sscard.cards.services.errors import CardError
from sscard.common.clientaddr import client_address
from sscard.common.errors import Refusal
from sscard.common.statemachine import TransitionNotAllowed

LIST_URL = "citizen:cards"


def _actor(request) -> str:
    return f"citizen:{request.citizen.pk}"


def _channel(request) -> str:
    # Same rule as the application pages: pages opened inside WeChat come from the official account (H5).
    return Channel.H5 if "MicroMessenger" in request.META.get("HTTP_USER_AGENT", "") else Channel.WEBSITE


def _own(request, card_id: int):
    card = actions.card_of(request.citizen, card_id)
    if card is None:
        raise Http404
    return card


@citizen_required
def my_cards(request):
    citizen = request.citizen
    return render(request, "citizen/cards.html", {
        "views": [actions.card_view(c) for c in actions.cards_of(citizen)],
        "in_production": actions.in_production_for(citizen),
    })


@citizen_required
def activate(request, card_id):
    card = _own(request, card_id)
    view = actions.card_view(card)
    errors, refusal = {}, ""
    if request.method == "POST":
        try:
            activation.activate_online(
                card, actor=_actor(request), pin=request.POST.get("pin", ""),
                pin_confirm=request.POST.get("pin_confirm", ""), receipt_confirmed=request.POST.get("receipt") == "yes",
            )
        except CardError as exc:
            errors, refusal = exc.errors, exc.message
        except TransitionNotAllowed as exc:
            refusal = exc.message
        else:
            messages.success(request, f"尾号{card.card_number[-4:]}的社保卡已激活，可以正常使用了")
            return redirect(LIST_URL)
    return render(request, "citizen/cards_activate.html", {
        "view": view, "rules": pin_policy.RULES_FOR_PEOPLE, "errors": errors, "refusal": refusal,
        "allowed": "activate" in view.actions,
    }, status=422 if refusal else 200)


@citizen_required
def report_loss(request, card_id):
    card = _own(request, card_id)
    refusal = ""
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind == loss.FORMAL and request.POST.get("confirm") != "yes":
            refusal = "正式挂失后这张卡不能再使用，只能补卡。请勾选“确认正式挂失”后再提交"
        else:
            try:
                loss.report_loss(card, kind, actor=_actor(request))
            except (CardError, TransitionNotAllowed) as exc:
                refusal = exc.message
            else:
                messages.success(request, "已临时挂失" if kind == loss.TEMPORARY else "已正式挂失，可以申请补卡")
                return redirect(LIST_URL)
    view = actions.card_view(card)
    return render(request, "citizen/cards_loss.html", {"view": view, "refusal": refusal,
                                                       "temporary_days": settings.CARD_TEMPORARY_LOSS_DAYS},
                  status=409 if refusal else 200)


@citizen_required
def lift_loss(request, card_id):
    card = _own(request, card_id)
    errors, refusal = {}, ""
    if request.method == "POST":
        try:
            loss.lift_temporary_loss(card, pin=request.POST.get("pin", ""), actor=_actor(request))
        except CardError as exc:
            errors, refusal = exc.errors, exc.message
        except TransitionNotAllowed as exc:
            refusal = exc.message
        else:
            messages.success(request, "临时挂失已解除，卡可以正常使用了")
            return redirect(LIST_URL)
    return render(request, "citizen/cards_lift.html", {
        "view": actions.card_view(card), "errors": errors, "refusal": refusal,
        "max_failures": settings.CARD_PIN_MAX_FAILURES,
    }, status=422 if refusal else 200)


@citizen_required
def reset_pin(request, card_id):
    card = _own(request, card_id)
    citizen = request.citizen
    errors, refusal, sent = {}, "", ""
    if request.method == "POST" and request.POST.get("step") == "send_code":
        try:
            outcome = activation.request_pin_reset_code(card, citizen.phone, ip=client_address(request))
        except CardError as exc:
            refusal = exc.message
        else:
            sent, refusal = (outcome.message, "") if outcome.ok else ("", outcome.message)
    elif request.method == "POST":
        try:
            activation.reset_pin(card, phone=citizen.phone, code=request.POST.get("code", ""),
                                 pin=request.POST.get("pin", ""), pin_confirm=request.POST.get("pin_confirm", ""),
                                 actor=_actor(request))
        except CardError as exc:
            errors, refusal = exc.errors, exc.message
        else:
            messages.success(request, "服务密码已重置")
            return redirect(LIST_URL)
    return render(request, "citizen/cards_pin_reset.html", {
        "view": actions.card_view(card), "rules": pin_policy.RULES_FOR_PEOPLE, "errors": errors,
        "refusal": refusal, "sent": sent, "masked_phone": citizen.masked_phone,
    }, status=422 if refusal else 200)


@citizen_required
@require_POST
def replace(request, card_id):
    card = _own(request, card_id)
    try:
        application, created = loss.start_replacement(card, request.citizen, channel=_channel(request))
    except Refusal as exc:
        messages.error(request, exc.message)
        return redirect(LIST_URL)
    if created:
        messages.success(request, "补卡申请已创建，联系方式、地址和领卡方式已按上次申领填好，请核对后上传照片并提交")
    step = drafts.resume_step(application)
    if step is None:
        return redirect(reverse("citizen:detail", args=[application.public_id]))
    return redirect(reverse("citizen:step", args=[application.public_id, step]))
