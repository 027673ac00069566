"""Photo checks for the social security card application (no Django here).

    check_portrait(data) -> Report
    check_id_card(data, side="front"|"back") -> Report      # front = 人像面, back = 国徽面
    make_card_photo(data) -> bytes                           # raises CardPhotoError

A Report has ``ok``, ``problems`` (stable ``code``, Chinese ``message`` and ``tip``), ``metrics`` and
``timings`` (milliseconds). Thresholds live in ``config.PhotoConfig``.

A caller that needs the pixels too (an upload stores a re-encoded copy) decodes once with
``decode.decode`` and passes the result as ``decoded=``: the check then makes its copy from it.
"""

from .cardphoto import CardPhotoError, make_card_photo
from .config import DEFAULT_CONFIG, PhotoConfig
from .idcard import check_id_card
from .portrait import check_portrait
from .report import Problem, Report

__all__ = [
    "DEFAULT_CONFIG",
    "CardPhotoError",
    "PhotoConfig",
    "Problem",
    "Report",
    "check_id_card",
    "check_portrait",
    "make_card_photo",
]
