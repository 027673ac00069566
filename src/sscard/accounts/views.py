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
from sscard.accounts.realname import RealNameRefused, bind_real_name
from sscard.accounts.web import ELDER_KEY, citizen_required, client_ip, sign_in
from sscard.common import ratelimit


def _next(request, default="/"):
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def login(request):
    values = {"phone": request.POST.get("phone", ""), "code": ""}
    errors = {}
    if request.method == "POST":
        outcome = signin.verify_code(values["phone"], request.POST.get("code", ""))
        if outcome.ok:
            sign_in(request, outcome.citizen)
            my = reverse("citizen:my")
            if outcome.citizen.person_id:
                return redirect(_next(request, my))
            return redirect(f"{reverse('citizen:realname')}?{urlencode({'next': _next(request, my)})}")
        errors["code"] = outcome.message
    return render(request, "citizen/login.html", {"values": values, "errors": errors, "next": _next(request, "")},
                  status=400 if errors else 200)


@require_POST
def send_code(request):
    """htmx: send a sign-in code; answers the same whether or not the phone has an account."""
    outcome = signin.request_code(request.POST.get("phone", ""), ip=client_ip(request))
    status = 200 if outcome.ok else (429 if outcome.retry_after else 400)
    return render(request, "partials/code_sent.html", {"outcome": outcome}, status=status)


@require_POST
def logout(request):
    elder = request.session.get(ELDER_KEY, False)
    request.session.flush()
    request.session[ELDER_KEY] = elder
    messages.info(request, "已退出登录")
    return redirect("/")


@citizen_required
def realname(request):
    values = {"name": request.POST.get("name", ""), "id_number": request.POST.get("id_number", "")}
    errors = {}
    notice = ""
    if request.citizen.person_id and request.method == "GET":
        return redirect(_next(request, reverse("citizen:my")))
    if request.method == "POST":
        if not ratelimit.hit(f"realname:{request.citizen.pk}", limit=10, window=86400):
            errors["id_number"] = "今天核验次数太多,请明天再试,或带身份证到网点办理"
        else:
            try:
                bind_real_name(request.citizen, values["name"], values["id_number"])
                messages.success(request, "实名认证成功")
                return redirect(_next(request, reverse("citizen:start")))
            except RealNameRefused as exc:
                errors, notice = exc.errors, exc.message
    return render(request, "citizen/realname.html",
                  {"values": values, "errors": errors, "notice": notice, "next": _next(request, "")},
                  status=400 if errors else 200)


@require_POST
def elder_mode(request):
    on = not request.session.get(ELDER_KEY, False)
    request.session[ELDER_KEY] = on
    citizen = getattr(request, "citizen", None)
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
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "send_old":
            outcome = signin.request_code(citizen.phone, ip=client_ip(request), purpose="phone_old")
            (messages.success if outcome.ok else messages.error)(request, outcome.message)
        elif action == "verify_old":
            outcome = signin.verify_code(citizen.phone, request.POST.get("code", ""), purpose="phone_old")
            if outcome.ok:
                request.session["phone_change_stage"] = stage = "new"
            else:
                errors["code"] = outcome.message
        elif action == "send_new" and stage == "new":
            outcome = signin.request_code(values["new_phone"], ip=client_ip(request), purpose="phone_new")
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
