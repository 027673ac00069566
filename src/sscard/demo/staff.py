"""Demo staff: one account per role, password ``Demo@12345``, and a fixed TOTP secret each.

The secret of a demo account is derived, not random, so that the demo and the tests can sign in:
key = SHA-1 of ``"sscard-demo-totp:" + username`` (20 bytes), shown in base32 by ``sscard demo-staff``.
These accounts exist only outside production mode (``sscard load-demo`` refuses to create them there).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.accounts.constants import Role
from sscard.accounts.models import User
from sscard.delivery.models import Branch
from sscard.demo.guard import refuse_in_production

DEMO_PASSWORD = "Demo@12345"
DEMO_DEVICE_NAME = "演示动态口令"
STAFF = [
    ("reviewer", Role.REVIEWER, "审核员（演示）"),
    ("production", Role.PRODUCTION, "制卡员（演示）"),
    ("clerk", Role.CLERK, "柜员（演示）"),
    ("supervisor", Role.SUPERVISOR, "主管（演示）"),
    ("admin", Role.ADMIN, "管理员（演示）"),
]
CLERK_BRANCH = "HR02"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    password: str
    secret: str  # base32, as authenticator apps take it
    code: str  # the code valid now


def totp_key(username: str) -> str:
    """The hex key stored on the demo account's TOTPDevice."""
    return hashlib.sha1(f"sscard-demo-totp:{username}".encode()).hexdigest()


def current_code(username: str) -> str:
    return f"{TOTP(bytes.fromhex(totp_key(username))).token():06d}"


def demo_logins() -> list[DemoLogin]:
    return [
        DemoLogin(username, Role(role).label, DEMO_PASSWORD,
                  base64.b32encode(bytes.fromhex(totp_key(username))).decode(), current_code(username))
        for username, role, _ in STAFF
    ]


def ensure_demo_staff() -> int:
    """Create the accounts that are missing, and keep every one's role and device as documented."""
    refuse_in_production("demo staff accounts")  # published passwords must never open a real back office
    validate_password(DEMO_PASSWORD)  # the demo password passes the same rules as everyone's
    clerk_branch = Branch.objects.get(code=CLERK_BRANCH)
    created_count = 0
    for username, role, label in STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": label, "role": role,
                      "branch": clerk_branch if role == Role.CLERK else None},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created_count += 1
        elif user.role != role:
            user.role = role
            user.save(update_fields=["role", "is_staff"])
        TOTPDevice.objects.update_or_create(
            user=user, name=DEMO_DEVICE_NAME, defaults={"key": totp_key(username), "confirmed": True}
        )
    return created_count
