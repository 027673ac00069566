"""Demo channel partners (粤省事 mini-program, 中山人社 official account), for ``load_demo``.

The secrets are fixed (and published in docs/api.md) so a demo front-end can be configured once;
they are refused outside demo mode: a production database must never hold a published secret.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sscard.api.models import ChannelPartner
from sscard.applications.constants import Channel

DEMO_PARTNERS = [
    # app id, name, channel, default secret (published in docs/api.md: demo only)
    ("demo-yueshengshi", "粤省事小程序（演示）", Channel.YUESHENGSHI, "demo-yueshengshi-secret-not-for-production"),
    ("demo-zsrs-h5", "中山人社公众号（演示）", Channel.H5, "demo-zsrs-h5-secret-not-for-production"),
]


def ensure_demo_partners() -> list[ChannelPartner]:
    """Create or update the two demo partners; idempotent. Only in demo mode (SSCARD_DEMO=true)."""
    if settings.SSCARD_PRODUCTION or not settings.SSCARD_DEMO:
        raise ImproperlyConfigured(
            "demo channel partners are only made in demo mode (SSCARD_DEMO=true), never in production"
        )
    partners = []
    for app_id, name, channel, secret in DEMO_PARTNERS:
        partner = ChannelPartner.objects.filter(app_id=app_id).first()
        if partner is None:
            partner = ChannelPartner.objects.create(app_id=app_id, name=name, channel=channel, secret=secret)
        elif (partner.secret, partner.name, partner.channel, partner.active) != (secret, name, channel, True):
            partner.secret, partner.name, partner.channel, partner.active = secret, name, channel, True
            partner.save()
        partners.append(partner)
    return partners


def refused_in_production(partner: ChannelPartner) -> bool:
    """A demo partner (by App ID or by its published secret) in a production service: treated as unknown.

    Production refuses demo mode at start-up, but a database once loaded in demo mode may still hold the rows.
    """
    if not settings.SSCARD_PRODUCTION:
        return False
    return any(partner.app_id == app_id or partner.secret == secret for app_id, _, _, secret in DEMO_PARTNERS)
