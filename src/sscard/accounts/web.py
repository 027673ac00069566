"""Who is signed in on the citizen side: the session holds a citizen id, never a phone number."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect

from sscard.accounts.models import Citizen

SESSION_KEY = "citizen_id"
ELDER_KEY = "elder_mode"


class CitizenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        citizen_id = request.session.get(SESSION_KEY)
        request.citizen = Citizen.objects.filter(pk=citizen_id).select_related("person").first() if citizen_id else None
        return self.get_response(request)


def citizen_context(request):
    citizen = getattr(request, "citizen", None)
    elder = request.session.get(ELDER_KEY, False) or bool(citizen and citizen.elder_mode)
    return {"citizen": citizen, "elder_mode": elder}


def sign_in(request, citizen: Citizen) -> None:
    elder = request.session.get(ELDER_KEY, False)
    request.session.cycle_key()  # a new session id at sign-in (session fixation)
    request.session[SESSION_KEY] = citizen.pk
    if elder and not citizen.elder_mode:
        citizen.elder_mode = True
        citizen.save(update_fields=["elder_mode"])
    request.session[ELDER_KEY] = elder or citizen.elder_mode


def citizen_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if getattr(request, "citizen", None) is None:
            return redirect(f"/login/?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper


def realname_required(view):
    @wraps(view)
    @citizen_required
    def wrapper(request, *args, **kwargs):
        if request.citizen.person_id is None:
            return redirect(f"/realname/?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)

    return wrapper

