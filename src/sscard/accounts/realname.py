"""Real-name binding: an account becomes a registered person once the name and ID number are found in
the registry; otherwise the citizen reads why (and what to do instead).

The rules (issue #10):
- one person is bound to one citizen account at a time (a database constraint, ``one_account_per_person``);
  moving it needs the old phone (which unbinds) or a counter;
- a wrong name for a registered number and a number the registry does not hold get the same answer, so the
  form cannot be used to learn whether a stranger's number is registered;
- attempts are limited per account and per client address;
- the binding does not change while something above this layer says it must not (an open application:
  the applications app registers that guard, as an account never needs to know about applications).
Every change sends ``binding_changed`` inside its transaction (the applications app records it in the audit trail).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import Signal

from sscard.accounts.models import Citizen
from sscard.common import ratelimit
from sscard.common.errors import Refusal
from sscard.registry import absence
from sscard.registry.lookup import check_identity, find_person
from sscard.registry.models import Person

ATTEMPT_WINDOW = 3600  # seconds: the limits in settings are per hour

# One answer for "this name does not go with this registered number" and "no such number registered".
NOT_MATCHED = f"{absence.NOT_IN_REGISTRY.title}。{absence.NOT_IN_REGISTRY.reasons[0]}"
BOUND_ELSEWHERE = (
    "这个身份已经绑定在另一个手机号的账号上。如需改用本手机号：请用原手机号登录，"
    "在“我的申领”中点“解除实名绑定”后再来绑定；原手机号已不用的，请带身份证原件到网点（人社服务窗口）办理。"
)
TOO_MANY = "核验次数太多，请1小时后再试；着急办理的，可带身份证到网点办理或拨打12333。"

# Signal: sent inside the binding's transaction with ``citizen``, ``action`` ("bind" | "rebind" | "unbind"),
# ``person`` (the new binding, None after unbind), ``previous`` (the person bound before, or None) and
# ``client_address``.
binding_changed = Signal()

# Each guard answers "may this account's binding change now?": None for yes, else the Chinese reason.
BindingGuard = Callable[[Citizen], str | None]
BINDING_GUARDS: list[BindingGuard] = []


def register_binding_guard(guard: BindingGuard) -> None:
    if guard not in BINDING_GUARDS:
        BINDING_GUARDS.append(guard)


class RealNameRefused(Refusal):
    """The name and ID number could not be bound (see ``Refusal``). Codes: ``realname_mismatch`` (a typing
    error in either field, or no such name and number in the registry: one answer for both),
    ``counter_required``, ``realname_bound_elsewhere``, ``binding_locked``, ``too_many_attempts``,
    ``not_bound``."""


def _count_attempt(citizen: Citizen, client_address: str) -> None:
    # Both counters move on every attempt: a refused account must not spare the address its count.
    per_account = ratelimit.hit(f"realname:account:{citizen.pk}", limit=settings.REALNAME_ATTEMPTS_PER_ACCOUNT,
                                window=ATTEMPT_WINDOW)
    per_address = not client_address or ratelimit.hit(
        f"realname:address:{client_address}", limit=settings.REALNAME_ATTEMPTS_PER_ADDRESS, window=ATTEMPT_WINDOW
    )
    if not (per_account and per_address):
        raise RealNameRefused("too_many_attempts", TOO_MANY, errors={"id_number": TOO_MANY})


def _ensure_may_change(citizen: Citizen) -> None:
    for guard in BINDING_GUARDS:
        reason = guard(citizen)
        if reason:
            raise RealNameRefused("binding_locked", reason)


def find_for_binding(name: str, id_number: str) -> Person:
    """The registered person for a name and ID number as typed, or a refusal that never tells a registered
    number from an unknown one."""
    id_check, _name_check, errors = check_identity(name, id_number)
    if errors:  # a typing error in the fields themselves (checksum, a letter O): says nothing about the registry
        raise RealNameRefused("realname_mismatch", "实名信息没有通过核验", errors=errors)
    person = find_person(name, id_number).person
    if person is None:
        # The counter's answer depends on the kind of number alone, never on what the registry holds.
        counter = absence.counter_only(id_check.type.value)
        if counter is not None:
            raise RealNameRefused("counter_required", counter.title, errors={"id_number": "；".join(counter.next_steps)})
        raise RealNameRefused("realname_mismatch", NOT_MATCHED, errors={"id_number": "；".join(absence.NOT_IN_REGISTRY.next_steps)})
    return person


def bind_real_name(citizen: Citizen, name: str, id_number: str, *, client_address: str = "") -> Person:
    _count_attempt(citizen, client_address)
    person = find_for_binding(name, id_number)
    with transaction.atomic():
        # The row lock orders two binds of one account (two devices); the constraint orders two accounts.
        locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
        previous = locked.person
        if previous is not None and previous.pk == person.pk:
            citizen.person = person
            return person  # already bound to this person: nothing changes
        _ensure_may_change(locked)
        if Citizen.objects.filter(person=person).exclude(pk=citizen.pk).exists():
            raise RealNameRefused("realname_bound_elsewhere", BOUND_ELSEWHERE)
        locked.person = person
        try:
            with transaction.atomic():
                locked.save(update_fields=["person"])
        except IntegrityError:  # another phone bound this person between the check and the write
            raise RealNameRefused("realname_bound_elsewhere", BOUND_ELSEWHERE) from None
        binding_changed.send(sender=Citizen, citizen=locked, action="rebind" if previous else "bind",
                             person=person, previous=previous, client_address=client_address)
    citizen.person = person
    return person


def unbind_real_name(citizen: Citizen, *, client_address: str = "") -> Person:
    """Release the account's binding (the old phone's side of moving it to a new phone)."""
    with transaction.atomic():
        locked = Citizen.objects.select_for_update().get(pk=citizen.pk)
        previous = locked.person
        if previous is None:
            raise RealNameRefused("not_bound", "这个账号还没有实名绑定")
        _ensure_may_change(locked)
        locked.person = None
        locked.save(update_fields=["person"])
        binding_changed.send(sender=Citizen, citizen=locked, action="unbind", person=None, previous=previous,
                             client_address=client_address)
    citizen.person = None
    return previous
