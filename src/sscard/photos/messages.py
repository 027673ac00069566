"""Problem codes and what we tell the citizen about each.

The codes are stable: the API, the web pages and the reviewers' workbench key on them.
Messages and tips are written for someone who has never heard of "pixels" or "EXIF":
short sentences, everyday words, one thing to do.
"""

from __future__ import annotations

# code -> (message: what is wrong, tip: what to do about it)
MESSAGES: dict[str, tuple[str, str]] = {
    # --- any upload -------------------------------------------------------------------------
    "unsupported_format": (
        "这种图片格式我们收不了。",
        "请用手机相机直接拍照后上传，JPG、PNG、WebP 或苹果手机的 HEIC 照片都可以。",
    ),
    "not_an_image": (
        "上传的文件不是照片。",
        "请选择手机相册里的照片再上传，不要上传文档或压缩包。",
    ),
    "corrupt_image": (
        "照片文件已损坏，打不开。",
        "请重新拍一张，或从相册重新选择这张照片再上传。",
    ),
    "file_too_large": (
        "照片文件太大了。",
        "请上传 20MB 以内的照片；用手机相机正常拍摄的照片就可以。",
    ),
    "image_too_large": (
        "照片尺寸大得不正常，无法处理。",
        "请用手机相机正常拍一张照片上传，不要上传拼接或放大过的图片。",
    ),
    "too_few_pixels": (
        "照片太小、不够清楚。",
        "请用手机相机直接拍摄，不要截图，也不要用聊天软件压缩后再上传。",
    ),
    # --- portrait ---------------------------------------------------------------------------
    "file_too_small": (
        "照片被压缩得太厉害（小于 100KB），细节看不清。",
        "请上传相机拍的原图，不要经过微信等聊天软件转发或压缩。",
    ),
    "no_face": (
        "照片里没有找到人脸。",
        "请正对镜头拍一张本人的头肩照，脸要完整露出来。",
    ),
    "multiple_faces": (
        "照片里不止一个人。",
        "请只拍申领人一个人，旁边和背后不要有其他人或人像。",
    ),
    "face_too_small": (
        "人离镜头太远，脸在照片里太小。",
        "请走近一些，让头和肩膀占满照片的大部分。",
    ),
    "head_cropped": (
        "头顶或下巴被照片边缘切掉了。",
        "请把整个头都拍进去，头顶上方和下巴下面都要留一点空白。",
    ),
    "face_off_center": (
        "人没有在照片中间。",
        "请让人站在画面正中间，脸在照片左右居中。",
    ),
    "head_tilted": (
        "头是歪的或侧着的。",
        "请坐直，头摆正，眼睛平视正前方的镜头。",
    ),
    "background_not_white": (
        "背景不是白色。",
        "请站在白墙前拍，或在身后挂一块白布；不要用蓝色、红色或灰色背景。",
    ),
    "background_not_uniform": (
        "背景不干净：有阴影、杂物或花纹。",
        "请站在干净的白墙前，离墙半步远，身后不要有东西；灯光从正面照，避免身后有影子。",
    ),
    "border": (
        "照片四周有边框或加了空白边。",
        "请上传拍好的原图，不要加边框、不要拼图，也不要截图。",
    ),
    "blurry": (
        "照片模糊，看不清脸。",
        "拍照时手要稳，先点一下屏幕上的脸对好焦再拍；镜头脏了先擦一擦。",
    ),
    "too_dark": (
        "脸太暗了（光线不够，或者是背着光拍的）。",
        "请在光线充足的地方重拍，面向窗户或灯光，不要背对着光源。",
    ),
    "too_bright": (
        "照片太亮，脸发白看不清。",
        "请避开强光直射，也不要开闪光灯，在柔和的光线下重拍。",
    ),
    "clothes_blend_with_background": (
        "衣服颜色太浅，和白色背景分不开。",
        "请换一件深色上衣（如黑色、深蓝色）再拍。",
    ),
    "eyebrows_or_eyes_covered": (
        "眉毛或眼睛被挡住了（头发、墨镜或帽子）。",
        "请把头发梳到眉毛和耳朵后面，摘掉墨镜和帽子，露出眉毛、眼睛和耳朵。",
    ),
    "head_covering": (
        "头上戴着帽子、头巾或兜帽。",
        "请摘下帽子、头巾和兜帽，露出整个头部和发际线再拍。",
    ),
    "ears_covered": (
        "耳朵被头发挡住了。",
        "请把头发拢到耳朵后面，或扎起来，让两只耳朵都露出来再拍。",
    ),
    "jewellery": (
        "照片里戴着首饰（耳环、项链或脸上的饰钉）。",
        "请摘下耳环、耳钉、项链和脸上的饰物再拍。",
    ),
    "grayscale": (
        "这是黑白照片。",
        "请上传彩色照片，拍照时不要用黑白滤镜。",
    ),
    "over_smoothed": (
        "照片美颜过度，看起来不像本人。",
        "请关掉美颜、滤镜和修图功能，用手机自带相机直接拍。",
    ),
    # --- ID card ----------------------------------------------------------------------------
    "card_not_found": (
        "照片里没有找到身份证。",
        "请把身份证平放在深色桌面上，从正上方拍，让身份证占满照片的大部分。",
    ),
    "corners_cut_off": (
        "身份证的四个角没有全部拍进去。",
        "请把手机拿远一点，让身份证四个角都在照片里，四周留一点空隙。",
    ),
    "two_cards_in_one_image": (
        "正面和背面拍在了同一张照片里。",
        "请把身份证的人像面和国徽面分开，各拍一张，分别上传。",
    ),
    "wrong_side": (
        "上传的身份证面不对。",
        "人像面是有照片的那一面，国徽面是有国徽的那一面，请按提示上传对应的一面。",
    ),
    "glare": (
        "身份证上有反光，部分文字看不清。",
        "请换个角度拍，避开灯光直射，不要开闪光灯。",
    ),
    # The message as shown names the date read off the card (idcard_reading.expired_problem).
    "id_card_expired": (
        "身份证已过有效期，请使用有效的身份证。",
        "可到户籍所在地派出所换领；临时身份证也可使用。",
    ),
}

# Codes that belong to the ID card check, listed for the documentation and the tests.
ID_CARD_CODES = (
    "card_not_found",
    "corners_cut_off",
    "two_cards_in_one_image",
    "wrong_side",
    "blurry",
    "glare",
    "too_few_pixels",
)

# Codes from reading the card's words (idcard_reading, SSCARD_ID_OCR); the drawn evaluation cards carry no
# Chinese text, so these are tested with cards drawn in tests/photos/test_idcard_reading.py.
ID_CARD_TEXT_CODES = ("id_card_expired",)

PORTRAIT_CODES = (
    "too_few_pixels",
    "file_too_small",
    "no_face",
    "multiple_faces",
    "face_too_small",
    "head_cropped",
    "face_off_center",
    "head_tilted",
    "background_not_white",
    "background_not_uniform",
    "border",
    "blurry",
    "too_dark",
    "too_bright",
    "clothes_blend_with_background",
    "eyebrows_or_eyes_covered",
    "head_covering",
    "ears_covered",
    "jewellery",
    "grayscale",
    "over_smoothed",
)

DECODE_CODES = ("unsupported_format", "not_an_image", "corrupt_image", "file_too_large", "image_too_large")

# Card-specific wording where the generic text would mislead.
CARD_OVERRIDES: dict[str, tuple[str, str]] = {
    "blurry": (
        "身份证照片模糊，文字看不清。",
        "拍照时手要稳，点一下屏幕上的身份证对好焦再拍。",
    ),
    "too_few_pixels": (
        "身份证在照片里太小、不够清楚。",
        "请靠近一些，让身份证占满照片的大部分，用相机直接拍，不要截图。",
    ),
}


# Wording where the bureau allows the thing in some cases (SSCARD_PHOTO_ALLOW_RELIGIOUS_HEAD_COVERING):
# the check cannot tell why a covering is worn, so it still names it and says what is allowed.
ALLOWED_VARIANTS: dict[str, tuple[str, str]] = {
    "head_covering": (
        "头上戴着帽子、头巾或兜帽。因宗教信仰或医疗原因佩戴的头巾可以保留。",
        "请摘下帽子和兜帽再拍；因宗教信仰或医疗原因需要佩戴头巾的，可以戴着拍，"
        "但要露出整张脸：额头、眉毛、两颊和下巴都不能遮挡，工作人员会人工审核。",
    ),
}


def message_for(code: str, kind: str = "portrait", variant: bool = False) -> tuple[str, str]:
    """The (message, tip) pair for a code; kind is "portrait" or "id_card"; ``variant``: the wording
    for a bureau that allows the thing in some cases (see ALLOWED_VARIANTS)."""
    if variant and code in ALLOWED_VARIANTS:
        return ALLOWED_VARIANTS[code]
    if kind == "id_card" and code in CARD_OVERRIDES:
        return CARD_OVERRIDES[code]
    return MESSAGES[code]
