"""Unknown paths under /api/v1/ answer in the API's own JSON error shape, not Django's HTML page."""

from __future__ import annotations

from django.urls import register_converter
from ninja import Router

from sscard.api.errors import ApiError

router = Router()


class AnythingConverter:
    """Like Django's ``path`` converter, but also across newlines (``%0A`` in a URL)."""

    regex = r"[\s\S]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AnythingConverter, "sscard_anything")


METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@router.api_operation(METHODS, "/", include_in_schema=False)
def root(request):
    raise ApiError(404, "not_found", "没有这个接口，请核对地址（见 /api/v1/docs）")


@router.api_operation(METHODS, "/{sscard_anything:rest}", include_in_schema=False)
def unknown(request, rest: str):
    raise ApiError(404, "not_found", "没有这个接口，请核对地址（见 /api/v1/docs）")
