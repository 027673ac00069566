"""A local stand-in for Tencent Cloud SMS and Alibaba Cloud SMS, for tests and the benchmark.

It answers on 127.0.0.1 the requests the official SDKs really produce, and checks them the way the providers do:
the action and version headers, the request parameters, and the signature (TC3-HMAC-SHA256 for Tencent,
ACS3-HMAC-SHA256 for Aliyun) recomputed from the secret. A request with a bad signature is answered with the
provider's authentication error and counted in ``signature_failures``.

Behaviour per provider: a script of outcomes for the next SendSms calls (``plan``), a default, an optional random
fault mix, or ``down`` (every call answered 503). Outcomes: ``ok``, ``throttled``, ``invalid_number``,
``server_error``, and ``lost_answer`` (the message is accepted, then the connection is closed without an answer:
the caller cannot know it was sent). Every accepted message is recorded with its idempotency key
(Tencent ``SessionContext``, Aliyun ``OutId``), so a test can count exactly what a phone would have received.
"""

from __future__ import annotations

import collections
import datetime
import hashlib
import hmac
import json
import random
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

OUTCOMES = ("ok", "throttled", "invalid_number", "server_error", "lost_answer")


@dataclass
class Accepted:
    provider: str
    message_id: str
    idempotency_key: str
    phone: str
    template: str
    params: object
    sign_name: str
    at: float


@dataclass
class FakeSmsServer:
    tencent_secret_id: str = "AKIDfake000000000000"
    tencent_secret_key: str = "fake-tencent-secret-key"
    tencent_sdk_app_id: str = "1400000001"
    aliyun_key_id: str = "LTAIfake00000000"
    aliyun_secret: str = "fake-aliyun-secret"
    seed: int = 1
    default: dict = field(default_factory=lambda: {"tencent": "ok", "aliyun": "ok"})
    faults: dict = field(default_factory=lambda: {"tencent": {}, "aliyun": {}})

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.plans: dict[str, collections.deque] = {"tencent": collections.deque(), "aliyun": collections.deque()}
        self.down: set[str] = set()
        # Like the real service, Tencent's status pull lists a message only once the carrier has reported
        # on it; while this is True the carrier has not reported yet.
        self.reports_pending = False
        self.accepted: list[Accepted] = []
        self.calls: collections.Counter = collections.Counter()  # (provider, action, outcome) → count
        self.signature_failures = 0
        self.rng = random.Random(self.seed)
        self._server: ThreadingHTTPServer | None = None

    # --- control ------------------------------------------------------------------------------------------
    def plan(self, provider: str, outcomes: list[str]) -> None:
        with self.lock:
            self.plans[provider].extend(outcomes)

    def sends(self, provider: str | None = None) -> int:
        """SendSms calls that reached the provider (whatever the answer)."""
        return sum(n for (p, action, _o), n in self.calls.items() if action == "SendSms" and provider in (None, p))

    def accepted_for(self, key: str) -> list[Accepted]:
        return [a for a in self.accepted if a.idempotency_key == key]

    def duplicates(self) -> dict[str, int]:
        counts = collections.Counter(a.idempotency_key for a in self.accepted)
        return {k: n for k, n in counts.items() if n > 1}

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self) -> dict:
        """Django settings that point both SDKs here."""
        return {
            "SMS_TENCENT": {
                "secret_id": self.tencent_secret_id, "secret_key": self.tencent_secret_key,
                "sdk_app_id": self.tencent_sdk_app_id, "region": "ap-guangzhou", "endpoint": self.url,
            },
            "SMS_ALIYUN": {
                "access_key_id": self.aliyun_key_id, "access_key_secret": self.aliyun_secret, "endpoint": self.url,
            },
        }

    def start(self) -> FakeSmsServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeSmsServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- receipts the provider would post back -----------------------------------------------------------
    def receipt_payload(self, accepted: Accepted, delivered: bool = True) -> list[dict]:
        now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        if accepted.provider == "tencent":
            return [{
                "user_receive_time": now, "nationcode": "86", "mobile": accepted.phone.removeprefix("+86"),
                "report_status": "SUCCESS" if delivered else "FAIL", "errmsg": "DELIVRD" if delivered else "MK:0001",
                "description": "用户短信送达成功" if delivered else "用户关机", "sid": accepted.message_id,
            }]
        return [{
            "phone_number": accepted.phone, "send_time": now, "report_time": now, "success": delivered,
            "err_code": "DELIVERED" if delivered else "MK:0001", "err_msg": "用户接收成功" if delivered else "用户关机",
            "sms_size": "1", "biz_id": accepted.message_id, "out_id": accepted.idempotency_key,
        }]

    # --- decisions ----------------------------------------------------------------------------------------
    def _next_outcome(self, provider: str) -> str:
        with self.lock:
            if provider in self.down:
                return "down"
            if self.plans[provider]:
                return self.plans[provider].popleft()
            roll = self.rng.random()
            for outcome, probability in self.faults.get(provider, {}).items():
                if roll < probability:
                    return outcome
                roll -= probability
            return self.default[provider]


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSmsServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("X-TC-Action"):
            self._tencent(body)
        elif self.headers.get("x-acs-action"):
            self._aliyun(body)
        else:
            self._reply(404, {"error": "unknown API"})

    def _reply(self, status: int, payload) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        # Exactly what each provider sends: the Tencent SDK only parses errors out of "application/json".
        tencent = self.headers.get("X-TC-Action") is not None
        self.send_header("Content-Type", "application/json" if tencent else "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        # Close without any answer: the client sees a reset / "closed without response".
        self.close_connection = True

    def _count(self, provider: str, action: str, outcome: str) -> None:
        with self.fake.lock:
            self.fake.calls[(provider, action, outcome)] += 1

    # --- Tencent Cloud API 3.0 --------------------------------------------------------------------------
    def _tencent_signature_ok(self, body: bytes) -> bool:
        fake = self.fake
        auth = self.headers.get("Authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(p.strip().split("=", 1) for p in rest.split(","))
            secret_id, date, service, _ = parts["Credential"].split("/")
        except ValueError:
            return False
        timestamp = self.headers.get("X-TC-Timestamp", "")
        if algorithm != "TC3-HMAC-SHA256" or secret_id != fake.tencent_secret_id or service != "sms":
            return False
        if parts.get("SignedHeaders") != "content-type;host":
            return False
        canonical = "\n".join([
            "POST", "/", "",
            f"content-type:{self.headers.get('Content-Type')}\nhost:{self.headers.get('Host')}\n",
            "content-type;host", hashlib.sha256(body).hexdigest(),
        ])
        to_sign = "\n".join([
            "TC3-HMAC-SHA256", timestamp, f"{date}/sms/tc3_request", hashlib.sha256(canonical.encode()).hexdigest()
        ])

        def mac(key: bytes, msg: str) -> bytes:
            return hmac.new(key, msg.encode(), hashlib.sha256).digest()

        key = mac(mac(mac(("TC3" + fake.tencent_secret_key).encode(), date), "sms"), "tc3_request")
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("Signature", ""))

    def _tencent(self, body: bytes) -> None:
        fake = self.fake
        action = self.headers["X-TC-Action"]
        request_id = str(uuid.uuid4())
        if self.headers.get("X-TC-Version") != "2021-01-11" or not self._tencent_signature_ok(body):
            with fake.lock:
                fake.signature_failures += 1
            self._count("tencent", action, "auth_failure")
            self._reply(200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure",
                                                      "Message": "The provided credentials could not be validated."},
                                           "RequestId": request_id}})
            return
        params = json.loads(body or b"{}")
        if action == "PullSmsSendStatusByPhoneNumber":
            self._count("tencent", action, "ok")
            phone = params.get("PhoneNumber", "")
            with fake.lock:
                found = [a for a in fake.accepted if a.provider == "tencent" and a.phone == phone]
                if fake.reports_pending:
                    found = []
            self._reply(200, {"Response": {"PullSmsSendStatusSet": [
                {"UserReceiveTime": int(a.at), "CountryCode": "86", "SubscriberNumber": phone.removeprefix("+86"),
                 "PhoneNumber": phone, "SerialNo": a.message_id, "ReportStatus": "SUCCESS",
                 "Description": "用户短信送达成功", "SessionContext": a.idempotency_key} for a in found
            ], "RequestId": request_id}})
            return
        if action != "SendSms":
            self._reply(200, {"Response": {"Error": {"Code": "InvalidAction", "Message": action},
                                           "RequestId": request_id}})
            return
        missing = [k for k in ("PhoneNumberSet", "SmsSdkAppId", "TemplateId", "SignName") if not params.get(k)]
        if missing or params["SmsSdkAppId"] != fake.tencent_sdk_app_id:
            self._count("tencent", action, "bad_request")
            self._reply(200, {"Response": {"Error": {"Code": "InvalidParameter", "Message": f"missing {missing}"},
                                           "RequestId": request_id}})
            return
        outcome = fake._next_outcome("tencent")
        phone = params["PhoneNumberSet"][0]
        if outcome == "ok" and not (phone.startswith("+861") and len(phone) == 14 and phone[1:].isdigit()):
            outcome = "invalid_number"
        self._count("tencent", action, outcome)
        if outcome == "down":
            self._reply(503, {"message": "Service Unavailable"})
            return
        if outcome == "server_error":
            self._reply(200, {"Response": {"Error": {"Code": "InternalError.RequestTimeException",
                                                      "Message": "内部错误"}, "RequestId": request_id}})
            return
        status = {"SerialNo": "", "PhoneNumber": phone, "Fee": 0, "SessionContext": params.get("SessionContext", ""),
                  "IsoCode": "CN"}
        if outcome == "throttled":
            status.update(Code="LimitExceeded.PhoneNumberThirtySecondLimit", Message="单个手机号30秒内下发短信条数超过设定的上限")
        elif outcome == "invalid_number":
            status.update(Code="InvalidParameterValue.IncorrectPhoneNumber", Message="手机号格式错误")
        else:
            message_id = f"2433:{uuid.uuid4().int % 10**20}"
            self._accept("tencent", message_id, params.get("SessionContext", ""), phone, params["TemplateId"],
                         params.get("TemplateParamSet", []), params["SignName"])
            if outcome == "lost_answer":
                self._drop()
                return
            status.update(SerialNo=message_id, Fee=1, Code="Ok", Message="send success")
        self._reply(200, {"Response": {"SendStatusSet": [status], "RequestId": request_id}})

    def _accept(self, provider, message_id, key, phone, template, params, sign_name) -> None:
        import time

        with self.fake.lock:
            self.fake.accepted.append(Accepted(provider, message_id, key, phone, template, params, sign_name, time.time()))

    # --- Alibaba Cloud RPC (ACS3) -----------------------------------------------------------------------
    def _aliyun_signature_ok(self, query: dict, body: bytes) -> bool:
        fake = self.fake
        auth = self.headers.get("Authorization", "")
        try:
            algorithm, rest = auth.split(" ", 1)
            parts = dict(p.strip().split("=", 1) for p in rest.split(","))
        except ValueError:
            return False
        if algorithm != "ACS3-HMAC-SHA256" or parts.get("Credential") != fake.aliyun_key_id:
            return False
        payload_hash = hashlib.sha256(body).hexdigest()
        if self.headers.get("x-acs-content-sha256") != payload_hash:
            return False
        signed = parts.get("SignedHeaders", "").split(";")
        if not {"host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce"} <= set(signed):
            return False
        canonical_query = "&".join(f"{k}={quote(query[k], safe='~')}" for k in sorted(query))
        canonical_headers = "".join(f"{h}:{(self.headers.get(h) or '').strip()}\n" for h in signed)
        canonical = f"POST\n/\n{canonical_query}\n{canonical_headers}\n{';'.join(signed)}\n{payload_hash}"
        to_sign = f"ACS3-HMAC-SHA256\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        expected = hmac.new(fake.aliyun_secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("Signature", ""))

    def _aliyun(self, body: bytes) -> None:
        fake = self.fake
        action = self.headers["x-acs-action"]
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        request_id = str(uuid.uuid4()).upper()
        if self.headers.get("x-acs-version") != "2017-05-25" or not self._aliyun_signature_ok(query, body):
            with fake.lock:
                fake.signature_failures += 1
            self._count("aliyun", action, "auth_failure")
            self._reply(400, {"Code": "IncompleteSignature", "Message": "The request signature does not conform to Aliyun standards.",
                              "RequestId": request_id})
            return
        if action == "QuerySendDetails":
            self._count("aliyun", action, "ok")
            with fake.lock:
                found = [a for a in fake.accepted if a.provider == "aliyun" and a.phone == query.get("PhoneNumber")]
            self._reply(200, {"Code": "OK", "Message": "OK", "TotalCount": len(found), "RequestId": request_id,
                              "SmsSendDetailDTOs": {"SmsSendDetailDTO": [
                                  {"OutId": a.idempotency_key, "PhoneNum": a.phone, "SendStatus": 3,
                                   "ErrCode": "DELIVERED", "TemplateCode": a.template, "Content": "",
                                   "SendDate": "", "ReceiveDate": ""} for a in found]}})
            return
        if action != "SendSms":
            self._reply(404, {"Code": "InvalidAction.NotFound", "Message": action, "RequestId": request_id})
            return
        missing = [k for k in ("PhoneNumbers", "SignName", "TemplateCode") if not query.get(k)]
        if missing:
            self._count("aliyun", action, "bad_request")
            self._reply(400, {"Code": "MissingParameter", "Message": f"missing {missing}", "RequestId": request_id})
            return
        try:
            template_params = json.loads(query.get("TemplateParam") or "{}")
        except ValueError:
            self._reply(200, {"Code": "isv.INVALID_JSON_PARAM", "Message": "JSON参数不合法", "RequestId": request_id})
            return
        outcome = fake._next_outcome("aliyun")
        phone = query["PhoneNumbers"]
        if outcome == "ok" and not (phone.startswith("1") and len(phone) == 11 and phone.isdigit()):
            outcome = "invalid_number"
        self._count("aliyun", action, outcome)
        if outcome == "down":
            self._reply(503, {"Code": "ServiceUnavailable", "Message": "The request has failed due to a temporary failure of the server.",
                              "RequestId": request_id})
        elif outcome == "server_error":
            self._reply(500, {"Code": "InternalError", "Message": "The request processing has failed due to some unknown error.",
                              "RequestId": request_id})
        elif outcome == "throttled":
            self._reply(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1", "RequestId": request_id})
        elif outcome == "invalid_number":
            self._reply(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": request_id})
        else:
            message_id = f"{uuid.uuid4().int % 10**18}^0"
            self._accept("aliyun", message_id, query.get("OutId", ""), phone, query["TemplateCode"], template_params,
                         query["SignName"])
            if outcome == "lost_answer":
                self._drop()
                return
            self._reply(200, {"Code": "OK", "Message": "OK", "BizId": message_id, "RequestId": request_id})


__all__ = ["OUTCOMES", "Accepted", "FakeSmsServer"]
