"""Alibaba Cloud SMS (dysmsapi 2017-05-25) through the official SDK ``alibabacloud-dysmsapi20170525``."""

from __future__ import annotations

import datetime
import json
from zoneinfo import ZoneInfo

from alibabacloud_dysmsapi20170525 import models
from alibabacloud_dysmsapi20170525.client import Client
from alibabacloud_tea_openapi.exceptions import ClientException, ServerException, ThrottlingException
from alibabacloud_tea_openapi.utils_models import Config
from darabonba.exceptions import RetryError, UnretryableException
from django.conf import settings

from sscard.notifications.providers._errors import split_endpoint, transport_error_kind
from sscard.notifications.providers.base import ErrorKind, OutgoingSms, ProviderError, SendResult, SmsProvider

_PERMANENT = {
    "isv.MOBILE_NUMBER_ILLEGAL": "invalid_number",
    "isv.MOBILE_COUNT_OVER_LIMIT": "invalid_number",
    "isv.BLACK_KEY_CONTROL_LIMIT": "blacklisted",
    "isv.TEMPLATE_MISSING_PARAMETERS": "bad_parameters",
    "isv.INVALID_PARAMETERS": "bad_parameters",
    "isv.PARAM_LENGTH_LIMIT": "bad_parameters",
    "isv.SMS_TEMPLATE_ILLEGAL": "template_rejected",
    "isv.SMS_SIGNATURE_ILLEGAL": "signature_rejected",
}
_BEIJING = ZoneInfo("Asia/Shanghai")


def _classify(code: str) -> tuple[ErrorKind, str]:
    if code in _PERMANENT:
        return ErrorKind.PERMANENT, _PERMANENT[code]
    if "LIMIT_CONTROL" in code or code.startswith("Throttling"):
        return ErrorKind.TEMPORARY, "throttled"
    if code in {"isv.AMOUNT_NOT_ENOUGH", "isv.ACCOUNT_ABNORMAL", "isv.OUT_OF_SERVICE"} or "AccessKey" in code:
        return ErrorKind.TEMPORARY, "provider_account"
    return ErrorKind.TEMPORARY, "provider_error"


class AliyunProvider(SmsProvider):
    name = "aliyun"
    label = "阿里云短信"

    def __init__(self) -> None:
        conf = settings.SMS_ALIYUN
        scheme, host = split_endpoint(conf["endpoint"])
        timeout_ms = settings.SMS_PROVIDER_TIMEOUT * 1000
        self.client = Client(
            Config(
                access_key_id=conf["access_key_id"],
                access_key_secret=conf["access_key_secret"],
                endpoint=host,
                protocol=scheme,
                read_timeout=timeout_ms,
                connect_timeout=min(timeout_ms, 3000),
            )
        )

    def send(self, sms: OutgoingSms) -> SendResult:
        if not sms.aliyun_template_code:
            raise ProviderError(ErrorKind.TEMPORARY, "template_not_registered", sms.template_code)
        request = models.SendSmsRequest(
            phone_numbers=sms.phone,
            sign_name=sms.sign_name,
            template_code=sms.aliyun_template_code,
            template_param=json.dumps(sms.params, ensure_ascii=False),
            # OutId comes back in receipts and QuerySendDetails: how a retry finds out the first try got through.
            out_id=sms.idempotency_key,
        )
        body = self._call(self.client.send_sms, request).body
        if body.code != "OK":
            kind, reason = _classify(body.code or "")
            raise ProviderError(kind, reason, f"{body.code} {body.message}")
        return SendResult(body.biz_id)

    def lookup(self, sms: OutgoingSms) -> SendResult | None:
        day = datetime.datetime.fromtimestamp(sms.sent_after or 0, _BEIJING)
        request = models.QuerySendDetailsRequest(
            phone_number=sms.phone, send_date=f"{day:%Y%m%d}", page_size=50, current_page=1
        )
        try:
            body = self._call(self.client.query_send_details, request).body
        except ProviderError as exc:
            raise ProviderError(ErrorKind.UNKNOWN, f"lookup_{exc.reason}", exc.detail) from exc
        if body.code != "OK":
            raise ProviderError(ErrorKind.UNKNOWN, "lookup_refused", f"{body.code} {body.message}")
        details = body.sms_send_detail_dtos.sms_send_detail_dto if body.sms_send_detail_dtos else []
        for detail in details or []:
            if detail.out_id == sms.idempotency_key:
                # The detail has no BizId; receipts still find the row through OutId.
                return SendResult("")
        return None

    @staticmethod
    def _call(method, request):
        try:
            return method(request)
        except ThrottlingException as exc:
            raise ProviderError(ErrorKind.TEMPORARY, "throttled", str(exc.code)) from exc
        except ServerException as exc:
            raise ProviderError(ErrorKind.TEMPORARY, "server_error", f"{exc.code} {exc.status_code}") from exc
        except ClientException as exc:
            kind, reason = _classify(str(exc.code))
            raise ProviderError(kind, reason, f"{exc.code} {exc.status_code}") from exc
        except (RetryError, UnretryableException) as exc:
            kind, reason = transport_error_kind(str(exc))
            raise ProviderError(kind, reason, str(exc)[:150]) from exc
