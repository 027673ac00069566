"""Citizens for ``test_postgres_restart``: run as a process of its own against the throw-away cluster.

``python pg_load.py N`` signs N citizens in through the real web code (the SMS code, real-name binding), and
walks each one's draft to the point of submission (contact, address, pickup, the three photos, whose checks
are let pass: they are tested in tests/photos). One JSON line per citizen on stdout: the session and CSRF
cookies a browser would hold, and the application's id, so the test can drive the live server over HTTP.
"""

from __future__ import annotations

import io
import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sscard.settings")
django.setup()

from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

import sscard.photos  # noqa: E402
from sscard.applications.models import Application  # noqa: E402
from sscard.photos.report import Report  # noqa: E402
from tests.factories import PersonFactory  # noqa: E402
from tests.helpers import sign_in  # noqa: E402


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 200, 200)).save(out, "JPEG", quality=90)
    return out.getvalue()


def prepare(n: int) -> dict:
    phone = f"1381234{n:04d}"
    person = PersonFactory()
    # A client address of its own: the sign-in limits count per address, and these are different people.
    client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
    sign_in(client, phone)
    client.post("/realname/", {"name": person.name, "id_number": person.id_number})
    assert client.post("/apply/").status_code == 302
    application = Application.objects.order_by("-id").first()  # citizens are prepared one after another
    base = f"/apply/{application.public_id}"
    for step, data in (("contact", {"phone": phone}), ("address", {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"}),
                       ("pickup", {"pickup_method": "mail"})):
        response = client.post(f"{base}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:500])
    for kind in ("id_front", "id_back", "portrait"):
        response = client.post(f"{base}/upload/{kind}/", {"file": io.BytesIO(_jpeg())}, headers={"HX-Request": "true"})
        assert response.status_code == 200, (kind, response.content.decode()[:500])
    assert client.get(f"{base}/confirm/").status_code == 200  # sets the CSRF cookie a browser would hold
    return {"pk": application.pk, "public_id": str(application.public_id),
            "sessionid": client.cookies["sessionid"].value, "csrftoken": client.cookies["csrftoken"].value}


def main(count: int) -> None:
    sscard.photos.check_portrait = lambda data, **_: Report("portrait")
    sscard.photos.check_id_card = lambda data, side, **_: Report(f"id_{side}")
    for n in range(count):
        print(json.dumps(prepare(n)), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
