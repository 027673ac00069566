"""Citizen sign-in, real-name binding, change of phone, elder mode."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from sscard.accounts import signin
from sscard.accounts.realname import RealNameRefused, bind_real_name, unbind_real_name
from sscard.accounts.web import ELDER_KEY, citizen_required, sign_in
from sscard.common.clientaddr import client_address
from sscard.common.text import CONTROL_CHARS_MESSAGE, control_char_errors, storable


def _next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def login(request):
    values = {"phone": request.POST.get("phone", ""), "code": ""}
    errors = {}
    if request.method == "POST" and control_char_errors(request.POST, ("phone", "code")):
        # The page shows one message, under the code (the phone box has no slot of its own).
        errors["code"], values["phone"] = CONTROL_CHARS_MESSAGE, storable(values["phone"])
    elif request.method == "POST":
        outcome = signin.verify_code(values["phone"], request.POST.get("code", ""))
        if outcome.ok:
            sign_in(request, outcome.citizen)
            my = reverse("citizen:my")
            if outcome.citizen.person_id:
                return redirect(_next(request, my))
            return redirect(f"{reverse('citizen:realname')}?{urlencode({'next': _next(request, my)})}")
        errors["code"] = outcome.message
    # A code already sent keeps the button counting down after the page is shown again.
    wait = signin.resend_wait(values["phone"]) if request.method == "POST" else 0
    return render(request, "citizen/login.html",
                  {"values": values, "errors": errors, "next": _next(request, ""), "resend_wait": wait},
                  status=400 if errors else 200)


@require_POST
def send_code(request):
    """htmx: send a sign-in code; answers the same whether or not the phone has an account."""
    outcome = signin.request_code(request.POST.get("phone", ""), ip=client_address(request))
    status = 200 if outcome.ok else (429 if outcome.retry_after else 400)
    # The button counts down the resend wait; an hour-long device limit is only said, not counted.
    countdown = outcome.retry_after if outcome.retry_after <= signin.RESEND_SECONDS else 0
    return render(request, "partials/code_sent.html", {"outcome": outcome, "countdown": countdown}, status=status)


@require_POST
def logout(request):
    elder = request.session.get(ELDER_KEY, False)
    request.session.flush()
    request.session[ELDER_KEY] = elder
    messages.info(request, "已退出登录")
    return redirect("/")


# A refusal about the account rather than about what was typed answers with its own status.
REFUSAL_STATUS = {"too_many_attempts": 429, "realname_bound_elsewhere": 409, "binding_locked": 409}


@citizen_required
def realname(request):
    values = {"name": request.POST.get("name", ""), "id_number": request.POST.get("id_number", "")}
    errors = {}
    notice = ""
    status = 200
    if request.citizen.person_id and request.method == "GET":
        return redirect(_next(request, reverse("citizen:my")))
    if request.method == "POST":
        try:
            bind_real_name(request.citizen, values["name"], values["id_number"], client_address=client_address(request))
            messages.success(request, "实名认证成功")
            return redirect(_next(request, reverse("citizen:start")))
        except RealNameRefused as exc:
            errors, notice = exc.errors, exc.message
            status = REFUSAL_STATUS.get(exc.code, 400)
    return render(request, "citizen/realname.html",
                  {"values": values, "errors": errors, "notice": notice, "next": _next(request, "")}, status=status)


@citizen_required
def unbind(request):
    """解除实名绑定: the old phone's half of moving a binding to a new phone. A confirmation page, then a POST;
    refused while the account's own application is open."""
    citizen = request.citizen
    if citizen.person_id is None:
        messages.info(request, "这个账号还没有实名绑定")
        return redirect("citizen:realname")
    refusal, status = "", 200
    if request.method == "POST" and request.POST.get("confirm") != "yes":
        refusal, status = "请勾选“我已了解”后再解除绑定", 400
    elif request.method == "POST":
        try:
            unbind_real_name(citizen, client_address=client_address(request))
            messages.success(request, "已解除实名绑定。现在可以用新手机号登录并完成实名认证。")
            return redirect("citizen:my")
        except RealNameRefused as exc:  # an open application holds the binding
            refusal, status = exc.message, 409
    return render(request, "citizen/unbind.html", {"person": citizen.person, "refusal": refusal}, status=status)


@require_POST
def elder_mode(request):
    citizen = getattr(request, "citizen", None)
    # Flip the mode the page shows (this session's choice or the account's, set on another device), so
    # the switch labelled 标准模式 always leaves elder mode in one tap.
    on = not (request.session.get(ELDER_KEY, False) or bool(citizen and citizen.elder_mode))
    request.session[ELDER_KEY] = on
    if citizen is not None:
        citizen.elder_mode = on
        citizen.save(update_fields=["elder_mode"])
    if request.htmx:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return redirect(_next(request, "/"))


@citizen_required
def change_phone(request):
    """Step 1: a code to the old phone. Step 2: a code to the new phone. Lost old phone: the counter."""
    citizen = request.citizen
    stage = request.session.get("phone_change_stage", "old")
    values = {"new_phone": request.POST.get("new_phone", request.session.get("phone_change_new", ""))}
    errors = {}
    if request.method == "POST" and (errors := control_char_errors(request.POST, ("new_phone", "code"))):
        values = {k: storable(v) for k, v in values.items()}
    elif request.method == "POST":
        action = request.POST.get("action")
        if action == "send_old":
            outcome = signin.request_code(citizen.phone, ip=client_address(request), purpose="phone_old")
            (messages.success if outcome.ok else messages.error)(request, outcome.message)
        elif action == "verify_old":
            outcome = signin.verify_code(citizen.phone, request.POST.get("code", ""), purpose="phone_old")
            if outcome.ok:
                request.session["phone_change_stage"] = stage = "new"
            else:
                errors["code"] = outcome.message
        elif action == "send_new" and stage == "new":
            outcome = signin.request_code(values["new_phone"], ip=client_address(request), purpose="phone_new")
            if outcome.ok:
                request.session["phone_change_new"] = values["new_phone"]
                messages.success(request, outcome.message)
            else:
                errors["new_phone"] = outcome.message
        elif action == "verify_new" and stage == "new":
            outcome = signin.change_phone(
                citizen, request.session.get("phone_change_new", ""), request.POST.get("code", "")
            )
            if outcome.ok:
                for key in ("phone_change_stage", "phone_change_new"):
                    request.session.pop(key, None)
                messages.success(request, outcome.message)
                return redirect("citizen:my")
            errors["new_phone" if outcome.field == "new_phone" else "code"] = outcome.message
    return render(request, "citizen/change_phone.html",
                  {"stage": stage, "values": values, "errors": errors}, status=400 if errors else 200)
