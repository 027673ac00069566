"""Tencent Cloud SMS (API 2021-01-11) through the official SDK ``tencentcloud-sdk-python-sms``."""

from __future__ import annotations

import time

from django.conf import settings
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.sms.v20210111 import models, sms_client

from sscard.notifications.providers._errors import split_endpoint, transport_error_kind
from sscard.notifications.providers.base import ErrorKind, OutgoingSms, ProviderError, SendResult, SmsProvider

# Per-message status codes (SendStatus.Code) and API error codes that mean "this message can never go".
_PERMANENT = {
    "InvalidParameterValue.IncorrectPhoneNumber": "invalid_number",
    "FailedOperation.PhoneNumberInBlacklist": "blacklisted",
    "FailedOperation.PhoneNumberParseFail": "invalid_number",
    "InvalidParameterValue.TemplateParameterFormatError": "bad_parameters",
    "InvalidParameterValue.TemplateParameterLengthLimit": "bad_parameters",
    "FailedOperation.TemplateIncorrectOrUnapproved": "template_rejected",
    "FailedOperation.SignatureIncorrectOrUnapproved": "signature_rejected",
    "UnsupportedOperation.ContainDomesticAndInternationalPhoneNumber": "invalid_number",
}


def _classify(code: str) -> tuple[ErrorKind, str]:
    if code in _PERMANENT:
        return ErrorKind.PERMANENT, _PERMANENT[code]
    if code.startswith("LimitExceeded") or code == "RequestLimitExceeded":
        return ErrorKind.TEMPORARY, "throttled"
    if code.startswith("AuthFailure") or code.startswith("FailedOperation.InsufficientBalance"):
        return ErrorKind.TEMPORARY, "provider_account"
    return ErrorKind.TEMPORARY, "provider_error"


class TencentProvider(SmsProvider):
    name = "tencent"
    label = "腾讯云短信"
    # PullSmsSendStatusByPhoneNumber lists a message only once the carrier has reported on it: usually
    # within a minute, at worst several. Aliyun's QuerySendDetails lists it at once ("waiting for receipt").
    lookup_lag = 600

    def __init__(self) -> None:
        conf = settings.SMS_TENCENT
        scheme, host = split_endpoint(conf["endpoint"])
        http = HttpProfile(protocol=scheme, endpoint=host, reqTimeout=settings.SMS_PROVIDER_TIMEOUT)
        # No SDK-level retries (the default): a retry here would be a second SMS the outbox cannot see.
        profile = ClientProfile(httpProfile=http)
        self.sdk_app_id = conf["sdk_app_id"]
        self.client = sms_client.SmsClient(
            credential.Credential(conf["secret_id"], conf["secret_key"]), conf["region"], profile
        )

    def send(self, sms: OutgoingSms) -> SendResult:
        if not sms.tencent_template_id:
            raise ProviderError(ErrorKind.TEMPORARY, "template_not_registered", sms.template_code)
        request = models.SendSmsRequest()
        request.PhoneNumberSet = [f"+86{sms.phone}"]
        request.SmsSdkAppId = self.sdk_app_id
        request.SignName = sms.sign_name
        request.TemplateId = sms.tencent_template_id
        request.TemplateParamSet = list(sms.params.values())
        # Echoed back in status reports and PullSmsSendStatus: how a retry finds out the first try got through.
        request.SessionContext = sms.idempotency_key
        try:
            response = self.client.SendSms(request)
        except TencentCloudSDKException as exc:
            raise self._error(exc) from exc
        statuses = response.SendStatusSet or []
        if not statuses:
            raise ProviderError(ErrorKind.UNKNOWN, "empty_answer")
        status = statuses[0]
        if status.Code != "Ok":
            kind, reason = _classify(status.Code or "")
            raise ProviderError(kind, reason, f"{status.Code} {status.Message}")
        return SendResult(status.SerialNo)

    def lookup(self, sms: OutgoingSms) -> SendResult | None:
        request = models.PullSmsSendStatusByPhoneNumberRequest()
        request.PhoneNumber = f"+86{sms.phone}"
        request.SmsSdkAppId = self.sdk_app_id
        request.BeginTime = int(sms.sent_after) - 60
        request.EndTime = int(time.time()) + 60
        request.Offset = 0
        request.Limit = 100
        try:
            response = self.client.PullSmsSendStatusByPhoneNumber(request)
        except TencentCloudSDKException as exc:
            error = self._error(exc)
            raise ProviderError(ErrorKind.UNKNOWN, f"lookup_{error.reason}", error.detail) from exc
        for status in response.PullSmsSendStatusSet or []:
            if status.SessionContext == sms.idempotency_key:
                return SendResult(status.SerialNo)
        return None

    @staticmethod
    def _error(exc: TencentCloudSDKException) -> ProviderError:
        code = exc.get_code() or ""
        message = exc.get_message() or ""
        if code == "ClientNetworkError":
            kind, reason = transport_error_kind(str(message))
            return ProviderError(kind, reason, str(message)[:150])
        if code == "ServerNetworkError" or code.startswith("InternalError"):
            return ProviderError(ErrorKind.TEMPORARY, "server_error", f"{code} {str(message)[:100]}")
        kind, reason = _classify(code)
        return ProviderError(kind, reason, f"{code} {message}")
