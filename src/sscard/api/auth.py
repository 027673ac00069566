"""Who is calling (a signed channel partner) and for whom (the citizen the channel asserts).

Order of the checks, cheapest and least revealing first: the size of the body (from
Content-Length, before a byte is read), the header syntax, the partner, the clock, then the body
hash and signature, and only for a correctly signed request the nonce and the rate limit — so a
forger can neither burn a partner's nonces nor use up its rate limit.
"""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja.security.base import AuthBase

from sscard.accounts.models import Citizen
from sscard.api import demo, signing
from sscard.api.errors import ApiError, auth_error
from sscard.api.models import ChannelPartner
from sscard.applications.constants import MAX_UPLOAD_BYTES, MULTIPART_ENVELOPE_BYTES
from sscard.common import ratelimit, sharedstore
from sscard.identity.phones import check_mobile
from sscard.privacy.fields import digest

JSON_MAX_BYTES = 256 * 1024
# The body of an upload request: the largest photo plus the multipart envelope around it.
UPLOAD_MAX_BYTES = MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE_BYTES


class ChannelAuth(AuthBase):
    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = signing.HEADER_SIGNATURE
    openapi_description = (
        "HMAC-SHA256 签名。每个请求带 X-Sscard-App-Id、X-Sscard-Timestamp、X-Sscard-Nonce、X-Sscard-Signature；"
        "签名串各行以换行连接，详见 docs/api.md：METHOD, PATH, QUERY (sorted), TIMESTAMP, NONCE, sha256hex(BODY), "
        "and USER_PHONE (the X-Sscard-User-Phone header, only on requests made for a user)"
    )

    def __init__(self, max_body: int = JSON_MAX_BYTES):
        self.max_body = max_body
        super().__init__()

    def __call__(self, request: HttpRequest) -> ChannelPartner:
        return authenticate(request, max_body=self.max_body)


def _content_length(request: HttpRequest) -> int:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    if not raw.isascii() or not raw.isdigit():
        raise auth_error("bad_content_length")
    return int(raw)


def authenticate(request: HttpRequest, *, max_body: int) -> ChannelPartner:
    if _content_length(request) > max_body:
        raise auth_error("payload_too_large")
    headers = request.headers
    app_id = headers.get(signing.HEADER_APP_ID, "")
    timestamp = headers.get(signing.HEADER_TIMESTAMP, "")
    nonce = headers.get(signing.HEADER_NONCE, "")
    signature = headers.get(signing.HEADER_SIGNATURE, "")
    refusal = signing.check_format(app_id, timestamp, nonce, signature)
    if refusal:
        raise auth_error(refusal.reason)
    partner = ChannelPartner.objects.filter(app_id=app_id, active=True).first()
    if partner is None or demo.refused_in_production(partner):  # published demo secrets open nothing in production
        raise auth_error("unknown_app")
    refusal = signing.check_timestamp(timestamp)
    if refusal:
        raise auth_error(refusal.reason)
    try:
        body = request.body  # the exact bytes, multipart included; Django re-reads them for FILES
    except RequestDataTooBig:
        raise auth_error("payload_too_large") from None
    refusal = signing.check_signature(
        partner.secret, signature, request.method or "", request.path, request.META.get("QUERY_STRING", ""),
        timestamp, nonce, body, headers.get(signing.HEADER_USER_PHONE, ""),
    )
    if refusal:
        raise auth_error(refusal.reason)
    # Claimed in the store every worker shares (Redis SET NX, or one INSERT … ON CONFLICT in the database):
    # of two requests with one nonce only the first gets in, whichever process each reaches.
    if not sharedstore.claim_once(f"api-nonce:{partner.app_id}:{nonce}", ttl=signing.NONCE_TTL):
        raise auth_error("replayed_nonce")
    request.channel_partner = partner
    if not ratelimit.hit(f"api:{partner.app_id}", limit=partner.rate_limit_per_minute, window=60):
        raise auth_error("rate_limited")
    return partner


# --- the citizen the channel acts for -----------------------------------------------------------


def asserted_phone(request: HttpRequest) -> str:
    raw = request.headers.get(signing.HEADER_USER_PHONE, "")
    if not raw:
        raise ApiError(400, "user_required", "请在 X-Sscard-User-Phone 中提供渠道已验证的用户手机号")
    phone = check_mobile(raw)
    if not phone.valid:
        raise ApiError(400, "invalid_user_phone", "X-Sscard-User-Phone 不是有效的手机号",
                       errors={signing.HEADER_USER_PHONE: phone.message})
    return phone.normalized


def acting_citizen(request: HttpRequest, *, create: bool = False) -> Citizen | None:
    """The account behind the asserted phone; made on first use when ``create``."""
    phone = asserted_phone(request)
    phone_digest = digest(phone)
    citizen = Citizen.objects.filter(phone_digest=phone_digest).first()
    if citizen is not None or not create:
        return citizen
    try:
        with transaction.atomic():
            return Citizen.objects.create(phone=phone)
    except IntegrityError:  # the same user on two devices at once: the other request made it
        return Citizen.objects.get(phone_digest=phone_digest)
