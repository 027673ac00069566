"""The reviewer's workbench under /staff/review/ (namespace ``review``): the queue, one review screen, decisions.

Who may do what (roles in ``accounts.roles``):
- a reviewer (``staff.review_application``) sees the queue and the screen, claims, decides; with
  ``staff.view_personal_data`` they see full names, ID numbers and the images;
- a supervisor (``staff.view_dashboard``) may look — the queue, a screen with masked values and no images,
  the overdue list — but not claim or decide: oversight, not casework;
- anyone else (production, clerk) gets the staff 403 page.

Every view of personal data, every image served, every search and every action is written to the audit trail.
The decisions' rules and races are the services' (``review.claims``, ``review.decisions``): a ``ReviewError``
is shown as it is and changes nothing.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sscard import audit
from sscard.applications.models import Application, UploadKind
from sscard.applications.queries import uploads_by_kind
from sscard.review import claims, decisions, queries, screen
from sscard.review.constants import ReviewError
from sscard.review.forms import PickupDecisionForm, RefuseForm, ReturnForm, search_key
from sscard.review.models import ReturnReason
from sscard.staff.access import forbidden, require_perm, require_staff

REVIEW = "staff.review_application"
PERSONAL = "staff.view_personal_data"
SUPERVISE = "staff.view_dashboard"
# Errors that mean "the world changed under you" (409) rather than "fix what you typed" (400).
RACES = {"already_decided", "withdrawn", "claimed_by_other", "claim_expired", "not_claimed"}


def may_view(view):
    """A reviewer or a supervisor (looking only); anyone else gets the 403 page naming the review permission."""

    @require_staff
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.has_perm(REVIEW) or request.user.has_perm(SUPERVISE)):
            return forbidden(request, [REVIEW])
        return view(request, *args, **kwargs)

    return wrapper


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


# --- The queue ---------------------------------------------------------------------------------------------

@may_view
@never_cache
def queue(request):
    now = timezone.now()
    tab = "pickup" if request.GET.get("tab") == "pickup" else "review"
    key, search_error = search_key(request.GET.get("q", ""))
    results = None
    if key is not None:
        results = queries.search(acceptance_number=key.acceptance_number, id_digest=key.id_digest,
                                 phone_digest=key.phone_digest)
        audit.record(request, "review.search", obj_kind="application", obj_id="",
                     acceptance_number=key.acceptance_number,
                     details={"by": key.by, "found": [a.acceptance_number for a in results]})
    changes = queries.pickup_change_queue()
    codes = {data.get("branch", "") for c in changes for data in (c.previous, c.requested)}
    names = queries.branch_names(codes - {""})
    for change in changes:
        change.previous_text = screen.pickup_text(change.previous, names)
        change.requested_text = screen.pickup_text(change.requested, names)
    context = {
        "tab": tab,
        "entries": queries.human_queue(now),
        "pickup_changes": changes,
        "today": timezone.localdate(now),
        "q": request.GET.get("q", "").strip(),
        "search_key": key,
        "search_error": search_error,
        "results": results,
        "may_decide": request.user.has_perm(REVIEW),
    }
    return _no_store(render(request, "review/queue.html", context, status=400 if search_error else 200))


@require_POST
@require_perm(REVIEW)
def claim_next(request):
    application = claims.claim_next(request.user)
    if application is None:
        messages.info(request, "待审队列已经清空，没有可以领取的申领。")
        return redirect("review:workbench")
    audit.record(request, "review.claim", obj_kind="application", obj_id=application.pk,
                 acceptance_number=application.acceptance_number)
    return redirect("review:screen", reference=application.acceptance_number)


# --- One application -----------------------------------------------------------------------------------------

def _application(reference: str) -> Application:
    application = queries.by_reference(reference)
    if application is None:
        raise Http404("没有找到这份申领")
    return application


def _screen(request, application, *, return_form=None, refuse_form=None, error="", status=200):
    user = request.user
    unmasked = user.has_perm(PERSONAL)
    claim = queries.claim_of(application)
    now = timezone.now()
    claim_live = bool(claim and application.state == "reviewing" and claim.last_activity_at >= queries.idle_since(now))
    mine = claim_live and claim.reviewer_id == user.pk
    reasons = list(ReturnReason.objects.filter(active=True))
    context = {
        "application": application,
        "unmasked": unmasked,
        "comparison": screen.comparison(application, application.person, unmasked=unmasked),
        "contact": screen.contact_rows(application, unmasked=unmasked),
        "images": screen.images(uploads_by_kind(application)) if unmasked else [],
        "auto_review": queries.latest_auto_review(application),
        "history": queries.history(application),
        "claim": claim if claim_live else None,
        "mine": mine,
        "may_decide": user.has_perm(REVIEW),
        "may_claim": user.has_perm(REVIEW) and application.state in queries.UNDER_REVIEW and not claim_live,
        "return_form": return_form or ReturnForm(reasons=reasons),
        "refuse_form": refuse_form or RefuseForm(),
        "error": error,
        "relationship_kind": UploadKind.RELATIONSHIP_PROOF,
    }
    if unmasked:
        audit.record(request, "review.view", obj_kind="application", obj_id=application.pk,
                     acceptance_number=application.acceptance_number or "")
    return _no_store(render(request, "review/screen.html", context, status=status))


@may_view
@never_cache
def review_screen(request, reference):
    application = _application(reference)
    if request.user.has_perm(REVIEW):
        try:
            claims.touch(application, request.user)  # opening the case keeps the reviewer's claim alive
        except ReviewError:
            pass  # not (or no longer) this reviewer's: the screen says who holds it
    return _screen(request, application)


@require_perm(REVIEW, PERSONAL)
@never_cache
def image(request, reference, kind):
    application = _application(reference)
    if kind not in UploadKind.values:
        raise Http404("没有这种材料")
    upload = uploads_by_kind(application).get(kind)
    if upload is None:
        raise Http404("申领人没有上传这项材料")
    audit.record(request, "review.view_image", obj_kind="upload", obj_id=upload.pk,
                 acceptance_number=application.acceptance_number or "", details={"kind": kind})
    response = FileResponse(upload.file.open("rb"), content_type="image/jpeg")
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return _no_store(response)


def _act(request, reference, action: str, do, *, details: dict | None = None, form_kwargs: dict | None = None):
    """Run one reviewer action; a ReviewError redraws the screen with its message and the form as typed."""
    application = _application(reference)
    try:
        do(application)
    except ReviewError as error:
        audit.record(request, f"review.{action}_refused", obj_kind="application", obj_id=application.pk,
                     acceptance_number=application.acceptance_number or "", details={"code": error.code})
        application.refresh_from_db()
        status = 409 if error.code in RACES else 400
        return _screen(request, application, error=error.message, status=status, **(form_kwargs or {}))
    audit.record(request, f"review.{action}", obj_kind="application", obj_id=application.pk,
                 acceptance_number=application.acceptance_number or "", details=details or {})
    return None


def _to_next(request, done: str):
    """After a decision, straight to the next application (claimed now), or back to the empty queue."""
    following = claims.claim_next(request.user)
    if following is None:
        messages.success(request, f"{done}。待审队列已经清空。")
        return redirect("review:workbench")
    audit.record(request, "review.claim", obj_kind="application", obj_id=following.pk,
                 acceptance_number=following.acceptance_number)
    messages.success(request, f"{done}。已为您领取下一件：{following.acceptance_number}。")
    return redirect("review:screen", reference=following.acceptance_number)


@require_POST
@require_perm(REVIEW)
def claim_one(request, reference):
    refused = _act(request, reference, "claim", lambda a: claims.claim(a, request.user))
    return refused or redirect("review:screen", reference=reference)


@require_POST
@require_perm(REVIEW)
def release(request, reference):
    refused = _act(request, reference, "release", lambda a: claims.release(a, request.user))
    if refused:
        return refused
    messages.info(request, f"已放回待审队列：{reference}。")
    return redirect("review:workbench")


@require_POST
@require_perm(REVIEW)
def approve(request, reference):
    refused = _act(request, reference, "approve", lambda a: decisions.approve(a, request.user))
    return refused or _to_next(request, f"{reference} 审核通过")


@require_POST
@require_perm(REVIEW)
def return_for_correction(request, reference):
    form = ReturnForm(request.POST, reasons=list(ReturnReason.objects.filter(active=True)))
    codes = request.POST.getlist("reasons")
    note = request.POST.get("note", "")

    refused = _act(request, reference, "return",
                   lambda a: decisions.return_for_correction(a, request.user, codes, note),
                   details={"reasons": codes}, form_kwargs={"return_form": form})
    return refused or _to_next(request, f"{reference} 已退回补正")


@require_POST
@require_perm(REVIEW)
def refuse(request, reference):
    form = RefuseForm(request.POST)
    reason = request.POST.get("reason", "")

    refused = _act(request, reference, "refuse", lambda a: decisions.refuse(a, request.user, reason),
                   details={"reason": reason.strip()}, form_kwargs={"refuse_form": form})
    return refused or _to_next(request, f"{reference} 不予受理")


# --- Pickup changes and overdue ------------------------------------------------------------------------------

@require_POST
@require_perm(REVIEW)
def decide_pickup_change(request, change_id):
    change = queries.pickup_change(change_id)
    if change is None:
        raise Http404("没有找到这条领卡信息修改申请")
    form = PickupDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择同意或不同意；原因请控制在200字以内。")
        return redirect(f"{_workbench_url()}?tab=pickup")
    accept, reason = form.cleaned_data["accept"], form.cleaned_data["reason"]
    number = change.application.acceptance_number or ""
    try:
        decisions.decide_pickup_change(change, request.user, accept, reason)
    except ReviewError as error:
        audit.record(request, "review.pickup_change_refused", obj_kind="pickup_change", obj_id=change.pk,
                     acceptance_number=number, details={"code": error.code})
        messages.error(request, error.message)
        return redirect(f"{_workbench_url()}?tab=pickup")
    audit.record(request, "review.pickup_change", obj_kind="pickup_change", obj_id=change.pk,
                 acceptance_number=number, details={"accept": accept, "reason": reason})
    messages.success(request, f"{number} 的领卡信息修改：{'已同意' if accept else '未同意，已短信告知原因'}。")
    return redirect(f"{_workbench_url()}?tab=pickup")


def _workbench_url() -> str:
    return reverse("review:workbench")


@may_view
@never_cache
def overdue(request):
    context = {"flags": queries.overdue_list(), "today": timezone.localdate()}
    return _no_store(render(request, "review/overdue.html", context))
