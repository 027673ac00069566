"""A signing client for the channel API: what a partner back-end (or our own tests) uses.

    client = ChannelClient("https://sscard.example.gov.cn/api/v1", app_id, secret)
    me = client.for_user("13800138000")
    draft = me.start_application().json()["application"]
    me.save_step(draft["id"], "address", {"town": "shiqi", "address_detail": "幸福小区5栋3单元602"})
    me.upload(draft["id"], "portrait", open("photo.jpg", "rb").read())

The client serialises every body itself (JSON, or a multipart envelope for uploads) and signs those
exact bytes, so any transport that sends bytes unchanged works: the standard library (default), a
``requests.Session``, or Django's test ``Client`` through :class:`DjangoTestSession`. No Django
import here: a partner can copy this file alone (with ``signing.py``).
"""

from __future__ import annotations

import json as jsonlib
import urllib.error
import urllib.request
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from sscard.api import signing


@dataclass
class ChannelResponse:
    status_code: int
    headers: Mapping[str, str] = field(default_factory=dict)
    content: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        return jsonlib.loads(self.content.decode("utf-8"))


class UrllibSession:
    """The default transport: the standard library, no extra dependency."""

    def __init__(self, timeout: float = 30):
        self.timeout = timeout

    def request(self, method: str, url: str, data: bytes = b"", headers: Mapping[str, str] | None = None):
        req = urllib.request.Request(url, data=data if data else None, method=method, headers=dict(headers or {}))
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                return ChannelResponse(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as exc:
            return ChannelResponse(exc.code, dict(exc.headers), exc.read())


class DjangoTestSession:
    """Adapter: Django's test ``Client`` behind the same ``request`` call as ``requests.Session``."""

    def __init__(self, client):
        self.client = client

    def request(self, method: str, url: str, data: bytes = b"", headers: Mapping[str, str] | None = None):
        headers = dict(headers or {})
        content_type = headers.pop("Content-Type", "application/octet-stream")
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.generic(method, path, data=data, content_type=content_type, headers=headers)
        return ChannelResponse(response.status_code, dict(response.headers.items()), response.content)


def encode_multipart(files: Mapping[str, tuple[str, bytes, str]], fields: Mapping[str, str] | None = None):
    """``files``: name → (filename, bytes, content type). Returns (body, content type header)."""
    boundary = f"sscard{uuid.uuid4().hex}"
    chunks: list[bytes] = []
    for name, value in (fields or {}).items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        chunks.append(value.encode() + b"\r\n")
    for name, (filename, data, content_type) in files.items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{quote(filename)}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n".encode()
        )
        chunks.append(data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class ChannelClient:
    def __init__(self, base_url: str, app_id: str, secret: str, session=None, *, user_phone: str = ""):
        self.base_url = base_url.rstrip("/")
        self.base_path = urlsplit(self.base_url).path
        self.app_id = app_id
        self.secret = secret
        self.session = session if session is not None else UrllibSession()
        self.user_phone = user_phone

    def for_user(self, phone: str) -> ChannelClient:
        """The same client, acting for the user whose phone the channel has verified."""
        return ChannelClient(self.base_url, self.app_id, self.secret, self.session, user_phone=phone)

    # --- the one place that signs ------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        body: bytes | None = None,
        content_type: str = "",
        headers: Mapping[str, str] | None = None,
    ) -> ChannelResponse:
        method = method.upper()
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False).encode()
            content_type = content_type or "application/json"
        body = body or b""
        query = urlencode(sorted((k, v) for k, v in (params or {}).items() if v is not None), doseq=True)
        full_path = self.base_path + path
        sent = signing.signed_headers(
            self.app_id, self.secret, method, full_path, query, body, user_phone=self.user_phone
        )
        if content_type:
            sent["Content-Type"] = content_type
        sent.update(headers or {})
        url = self.base_url + path + (f"?{query}" if query else "")
        response = self.session.request(method, url, data=body, headers=sent)
        if isinstance(response, ChannelResponse):
            return response
        return ChannelResponse(response.status_code, dict(response.headers), response.content)  # requests

    # --- reference and eligibility ------------------------------------------------------------

    def towns(self) -> ChannelResponse:
        return self.request("GET", "/towns")

    def branches(self, town: str | None = None, handles_permits: bool | None = None) -> ChannelResponse:
        params: dict[str, Any] = {"town": town}
        if handles_permits is not None:
            params["handles_permits"] = "true" if handles_permits else "false"
        return self.request("GET", "/branches", params=params)

    def eligibility(self, name: str, id_number: str, *, for_self: bool = True) -> ChannelResponse:
        return self.request("POST", "/eligibility", json={"name": name, "id_number": id_number, "for_self": for_self})

    # --- acting for the user ------------------------------------------------------------------

    def me(self) -> ChannelResponse:
        return self.request("GET", "/me")

    def bind_real_name(self, name: str, id_number: str) -> ChannelResponse:
        return self.request("POST", "/me/realname", json={"name": name, "id_number": id_number})

    def applications(self) -> ChannelResponse:
        return self.request("GET", "/applications")

    def start_application(self, relationship: str = "self", name: str = "", id_number: str = "") -> ChannelResponse:
        return self.request(
            "POST", "/applications", json={"relationship": relationship, "name": name, "id_number": id_number}
        )

    def application(self, application_id: str) -> ChannelResponse:
        return self.request("GET", f"/applications/{application_id}")

    def save_step(self, application_id: str, step: str, data: Mapping[str, Any]) -> ChannelResponse:
        return self.request("PUT", f"/applications/{application_id}/{step}", json=dict(data))

    def upload(
        self, application_id: str, kind: str, data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg"
    ) -> ChannelResponse:
        body, multipart_type = encode_multipart({"file": (filename, data, content_type)})
        return self.request(
            "POST", f"/applications/{application_id}/uploads/{kind}", body=body, content_type=multipart_type
        )

    def missing(self, application_id: str) -> ChannelResponse:
        return self.request("GET", f"/applications/{application_id}/missing")

    def submit(self, application_id: str) -> ChannelResponse:
        return self.request("POST", f"/applications/{application_id}/submit")

    def timeline(self, application_id: str) -> ChannelResponse:
        return self.request("GET", f"/applications/{application_id}/timeline")

    def request_pickup_change(self, application_id: str, data: Mapping[str, Any]) -> ChannelResponse:
        return self.request("POST", f"/applications/{application_id}/pickup-change", json=dict(data))

    def withdraw(self, application_id: str, reason: str = "") -> ChannelResponse:
        return self.request("POST", f"/applications/{application_id}/withdraw", json={"reason": reason})
