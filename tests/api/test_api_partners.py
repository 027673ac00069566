"""Channel partners: the secret is generated, encrypted at rest, shown once; demo partners; a live server."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from sscard.api.client import ChannelClient
from sscard.api.demo import ensure_demo_partners
from sscard.api.models import ChannelPartner


def test_create_channel_partner_prints_the_secret_once(db):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_channel_partner", "--name", "粤省事小程序", "--channel", "yueshengshi",
                 "--app-id", "yss", stdout=out, stderr=err)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    partner = ChannelPartner.objects.get(app_id="yss")
    assert lines["app_id"] == "yss" and partner.secret == lines["secret"] and len(lines["secret"]) >= 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM api_channelpartner WHERE app_id = %s", ["yss"])
        assert lines["secret"] not in cursor.fetchone()[0]  # encrypted at rest


def test_counter_is_not_a_partner_channel(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("create_channel_partner", "--name", "x", "--channel", "counter", stdout=io.StringIO())


def test_admin_never_shows_the_secret(admin_client, db):
    response = admin_client.get("/staff/admin/api/channelpartner/add/")
    assert response.status_code == 200 and b'name="secret"' not in response.content
    response = admin_client.post("/staff/admin/api/channelpartner/add/", {
        "app_id": "h5", "name": "公众号", "channel": "h5", "active": "on", "rate_limit_per_minute": "600",
    }, follow=True)
    partner = ChannelPartner.objects.get(app_id="h5")
    assert len(partner.secret) >= 40
    assert partner.secret in response.content.decode()  # shown once, right after creation
    change = admin_client.get(f"/staff/admin/api/channelpartner/{partner.pk}/change/")
    assert partner.secret not in change.content.decode()


def test_demo_partners_only_in_demo_mode(db, settings):
    settings.SSCARD_DEMO = False
    with pytest.raises(ImproperlyConfigured):
        ensure_demo_partners()
    settings.SSCARD_DEMO = True
    first = ensure_demo_partners()
    again = ensure_demo_partners()
    assert [p.pk for p in first] == [p.pk for p in again]
    assert {p.channel for p in again} == {"yueshengshi", "h5"}


def test_the_client_works_against_a_live_server(live_server, transactional_db):
    from django.core.cache import cache

    cache.clear()
    ChannelPartner.objects.create(app_id="live", name="live", channel="h5", secret="live-secret")
    client = ChannelClient(f"{live_server.url}/api/v1", "live", "live-secret")  # stdlib transport
    assert len(client.towns().json()) == 23
    me = client.for_user("13812345678").me()
    assert me.status_code == 200 and me.json()["phone"] == "138****5678"
    assert ChannelClient(f"{live_server.url}/api/v1", "live", "wrong").towns().status_code == 401
