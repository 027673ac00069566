"""Sign-in with a phone number and a 6-digit SMS code.

Codes live 5 minutes, allow 5 tries, at most one per 60 s and 10 a day per phone, with per-IP
limits; only a hash of the code is stored. The answer to "send me a code" is the same whether
or not the phone is known, so the form cannot be used to find out who has an account.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sscard.accounts.models import Citizen, LoginCode
from sscard.accounts.notices import send_login_code
from sscard.common import ratelimit
from sscard.identity import mask_phone
from sscard.identity.phones import check_mobile
from sscard.notifications.dao import take_quota
from sscard.privacy.fields import digest

log = logging.getLogger("sscard.accounts")

CODE_TTL = datetime.timedelta(minutes=5)
MAX_TRIES = 5
RESEND_SECONDS = 60
PER_PHONE_PER_DAY = 10
PER_IP_PER_HOUR = 30


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    citizen: Citizen | None = None
    retry_after: int = 0
    field: str = ""


def _hash(code: str, phone_digest: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone_digest}:{code}".encode(), hashlib.sha256).hexdigest()


def _resend_wait(phone_digest: str, now) -> int:
    """Seconds until this phone may have another code (0: now)."""
    last = LoginCode.objects.filter(phone_digest=phone_digest).order_by("-created_at").first()
    if last is None:
        return 0
    elapsed = (now - last.created_at).total_seconds()
    return 0 if elapsed >= RESEND_SECONDS else min(RESEND_SECONDS, max(1, RESEND_SECONDS - int(elapsed)))


def resend_wait(raw_phone: str) -> int:
    """Seconds until this phone may ask for another code (0: now, or not a valid number): the sign-in
    page counts them down on its button; ``request_code`` stays the authority."""
    phone = check_mobile(raw_phone)
    return _resend_wait(digest(phone.normalized), timezone.now()) if phone.valid else 0


def request_code(raw_phone: str, *, ip: str = "", purpose: str = "login") -> Outcome:
    phone = check_mobile(raw_phone)
    if not phone.valid:
        return Outcome(False, phone.message)
    phone_digest = digest(phone.normalized)
    if ip and not ratelimit.hit(f"otp-ip:{ip}", limit=PER_IP_PER_HOUR, window=3600):
        log.info("otp_refused reason=ip_limit")
        return Outcome(False, "这台设备请求验证码太频繁，请1小时后再试", retry_after=3600)
    wait = _resend_wait(phone_digest, timezone.now())
    if wait:
        return Outcome(False, f"验证码已发送，请{wait}秒后再获取", retry_after=wait)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        if not take_quota(f"otp:{phone_digest}", timezone.now(), PER_PHONE_PER_DAY):
            log.info("otp_refused reason=daily_limit phone=%s", mask_phone(phone.normalized))
            return Outcome(False, f"这个手机号今天获取验证码已达{PER_PHONE_PER_DAY}次，请明天再试或拨打12333")
        # The quota row stays locked until this transaction ends, so a second request for this phone
        # made at the same instant waits here and then sees this code: one code, not two.
        now = timezone.now()
        wait = _resend_wait(phone_digest, now)
        if wait:
            transaction.set_rollback(True)  # and gives its slot back
            return Outcome(False, f"验证码已发送，请{wait}秒后再获取", retry_after=wait)
        LoginCode.objects.create(
            phone_digest=phone_digest, code_hash=_hash(code, phone_digest), purpose=purpose,
            created_at=now, expires_at=now + CODE_TTL,
        )
        send_login_code(phone.normalized, code, purpose)
    log.info("otp_sent phone=%s purpose=%s", mask_phone(phone.normalized), purpose)
    return Outcome(True, f"验证码已发送到{mask_phone(phone.normalized)},5分钟内有效", retry_after=RESEND_SECONDS)


def verify_code(raw_phone: str, code: str, *, purpose: str = "login") -> Outcome:
    """Check a code; on success return the citizen account (created on first sign-in)."""
    phone = check_mobile(raw_phone)
    if not phone.valid:
        return Outcome(False, phone.message)
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        return Outcome(False, "验证码是6位数字")
    phone_digest = digest(phone.normalized)
    now = timezone.now()
    with transaction.atomic():
        current = (
            LoginCode.objects.select_for_update()
            .filter(phone_digest=phone_digest, purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if current is None or current.expires_at <= now:
            return Outcome(False, "验证码已过期或未获取，请重新获取")
        if current.attempts >= MAX_TRIES:
            return Outcome(False, "验证码输错次数太多，请重新获取")
        current.attempts += 1
        if not hmac.compare_digest(current.code_hash, _hash(code, phone_digest)):
            current.save(update_fields=["attempts"])
            left = MAX_TRIES - current.attempts
            return Outcome(False, f"验证码不正确，还可以再试{left}次" if left else "验证码输错次数太多，请重新获取")
        current.used_at = now
        current.save(update_fields=["attempts", "used_at"])
        citizen = Citizen.objects.filter(phone_digest=phone_digest).first()
        if citizen is None and purpose == "login":
            citizen = Citizen.objects.create(phone=phone.normalized)
    return Outcome(True, "登录成功", citizen=citizen)


def change_phone(citizen: Citizen, new_phone: str, code: str) -> Outcome:
    """Bind a new phone once its code is verified (the old phone was verified the step before)."""
    outcome = verify_code(new_phone, code, purpose="phone_new")
    if not outcome.ok:
        return outcome
    normalized = check_mobile(new_phone).normalized
    if Citizen.objects.filter(phone_digest=digest(normalized)).exclude(pk=citizen.pk).exists():
        return Outcome(False, "这个手机号已绑定其他账号，请换一个号码或到网点处理", field="new_phone")
    citizen.phone = normalized
    citizen.save()
    log.info("phone_changed citizen=%s", citizen.pk)
    return Outcome(True, f"手机号已改为{citizen.masked_phone}", citizen=citizen)
