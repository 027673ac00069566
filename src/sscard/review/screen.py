"""What the review screen shows, built from one application: the form beside the registry record (with the
differences marked), the images with the photo check's findings to draw on them. No database access here:
the view loads the rows (``review.queries``) and hands them in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sscard.addresses.towns import TOWN_CHOICES
from sscard.applications.models import Application, Upload, UploadKind
from sscard.delivery.constants import PickupMethod
from sscard.identity import check_id_number, mask_id_number, mask_name, mask_phone
from sscard.registry.constants import Insurance, Sex
from sscard.registry.models import Person

ZHONGSHAN = "442000"
# The order the images are shown in: the two sides of the ID card, then the portrait, then the family proof.
IMAGE_ORDER = [UploadKind.ID_FRONT, UploadKind.ID_BACK, UploadKind.PORTRAIT, UploadKind.RELATIONSHIP_PROOF]
TOWNS = dict(TOWN_CHOICES)


@dataclass(frozen=True)
class Row:
    label: str
    form: str  # what the citizen entered (or what their ID number says)
    registry: str  # what the registry holds ("" when the registry does not know it)
    differs: bool = False


@dataclass(frozen=True)
class Image:
    kind: str
    label: str
    ok: bool
    problems: list[dict]
    face_box: tuple[float, float, float, float] | None = None  # x, y, width, height in percent of the image
    card_outline: str = ""  # SVG polygon points in percent of the image
    # ID cards: what OCR read beside what the application says (the number masked), and the warnings given.
    reading: list[Row] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    @property
    def has_overlay(self) -> bool:
        return bool(self.face_box or self.card_outline)


@dataclass(frozen=True)
class Comparison:
    rows: list[Row] = field(default_factory=list)
    in_registry: bool = True

    @property
    def differences(self) -> int:
        return sum(r.differs for r in self.rows)


def comparison(application: Application, person: Person | None, *, unmasked: bool) -> Comparison:
    """The application's identity beside the registry's. ``unmasked``: the viewer may see personal data."""
    name = application.name if unmasked else mask_name(application.name)
    id_text = application.id_number if unmasked else mask_id_number(application.id_number)
    from_id = check_id_number(application.id_number)
    born = f"{from_id.birth_date:%Y-%m-%d}" if from_id.birth_date else "—"
    sex = Sex(from_id.sex).label if from_id.sex in Sex.values else "—"
    if person is None:
        return Comparison([Row("姓名", name, ""), Row("证件号码", id_text, ""), Row("出生日期（据证件号码）", born, ""),
                           Row("性别（据证件号码）", sex, "")], in_registry=False)
    person_name = person.name if unmasked else mask_name(person.name)
    person_id = person.id_number if unmasked else mask_id_number(person.id_number)
    return Comparison([
        Row("姓名", name, person_name, application.name != person.name),
        Row("证件号码", id_text, person_id, application.id_digest != person.id_digest),
        Row("出生日期（据证件号码）", born, f"{person.birth_date:%Y-%m-%d}", from_id.birth_date != person.birth_date),
        Row("性别（据证件号码）", sex, person.get_sex_display(), from_id.sex != person.sex),
        Row("户籍", "", "中山市" if person.hukou_region == ZHONGSHAN else (person.hukou_region or "—")),
        Row("参保", "", Insurance(person.insurance).label if person.insurance in Insurance.values else "—"),
        Row("在读学校", "", person.school or "—"),
    ])


def contact_rows(application: Application, *, unmasked: bool) -> list[tuple[str, str]]:
    """The rest of the form: what only the application holds."""
    phone = application.phone if unmasked else mask_phone(application.phone or "")
    pickup = application.get_pickup_method_display() or "—"
    if application.branch_id:
        pickup += f"：{application.branch.name}"
    return [
        ("代办关系", application.get_relationship_display()),
        ("申领类型", application.get_kind_display()),
        ("渠道", application.get_channel_display()),
        ("通知手机号", phone or "—"),
        ("联系地址", f"中山市{TOWNS.get(application.town, application.town)}{application.address_detail}"),
        ("领卡方式", pickup),
    ]


def images(uploads: dict[str, Upload]) -> list[Image]:
    """The uploads in screen order, each with the regions its check found (fractions → percent for SVG)."""
    shown = []
    for kind in IMAGE_ORDER:
        upload = uploads.get(kind)
        if upload is None:
            continue
        metrics = upload.metrics or {}
        shown.append(Image(
            kind=kind, label=UploadKind(kind).label, ok=upload.ok, problems=list(upload.problems or []),
            face_box=_box(metrics.get("face_box")), card_outline=_outline(metrics.get("card_quad")),
            reading=reading_rows(upload), warnings=list(upload.warnings or []),
        ))
    return shown


NOT_READ = "未能识读"


def reading_rows(upload: Upload) -> list[Row]:
    """What OCR read off an ID card (``Upload.reading``) beside the applicant's record; the ID number masked
    on both sides. Empty for other uploads and when OCR was off."""
    data = upload.card_reading
    if not data or upload.kind not in (UploadKind.ID_FRONT, UploadKind.ID_BACK):
        return []
    application = upload.application  # the cached parent: uploads come from application.uploads
    if upload.kind == UploadKind.ID_BACK:
        start, until = data.get("valid_from"), data.get("valid_until")
        text = f"{start or '?'} 至 {until}" if until else NOT_READ
        return [Row("有效期限（识读）", text, "")]
    name, number = data.get("name"), data.get("id_number")
    return [
        Row("姓名（识读）", name or NOT_READ, application.name, bool(name) and name != application.name),
        Row("证件号码（识读）", mask_id_number(number) if number else NOT_READ, mask_id_number(application.id_number),
            bool(number) and number.upper() != application.id_number.upper()),
    ]


def _box(value) -> tuple[float, float, float, float] | None:
    """``[x0, y0, x1, y1]`` as fractions → ``(x, y, width, height)`` in percent; None when absent or malformed."""
    try:
        x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in value)
    except (TypeError, ValueError):
        return None
    if x1 <= x0 or y1 <= y0:
        return None
    return round(x0 * 100, 2), round(y0 * 100, 2), round((x1 - x0) * 100, 2), round((y1 - y0) * 100, 2)


def _outline(value) -> str:
    try:
        points = [(min(max(float(x), 0.0), 1.0), min(max(float(y), 0.0), 1.0)) for x, y in value]
    except (TypeError, ValueError):
        return ""
    if len(points) != 4:
        return ""
    return " ".join(f"{x * 100:.2f},{y * 100:.2f}" for x, y in points)


def pickup_text(data: dict, branch_names: dict[str, str]) -> str:
    """One side of a pickup change (``PickupChange.previous`` / ``requested``) in words."""
    if data.get("pickup_method") == PickupMethod.BRANCH:
        code = data.get("branch", "")
        return f"{PickupMethod.BRANCH.label}：{branch_names.get(code, code) or '—'}"
    town = TOWNS.get(data.get("town", ""), data.get("town", ""))
    return f"{PickupMethod.MAIL.label}：中山市{town}{data.get('address_detail', '')}"
