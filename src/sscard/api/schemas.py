"""Request and response shapes (pydantic through ninja). No business rules here: see applications.services."""

from __future__ import annotations

import datetime
import uuid
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from sscard.common.text import CONTROL_CHARS_MESSAGE, has_control_chars


def _printable(value: str) -> str:
    # The same rule and words as every web form (common.text): refused as an input error, never a 500.
    if has_control_chars(value):
        raise ValueError(CONTROL_CHARS_MESSAGE)
    return value


Text = Annotated[str, AfterValidator(_printable)]


class ErrorOut(Schema):
    code: str = Field(description="稳定的错误代码，如 bad_signature、incomplete")
    message: str = Field(description="中文说明，可直接展示给用户")
    errors: dict[str, str] = Field(default_factory=dict, description="字段 → 中文错误说明")


class InputErrorOut(ErrorOut):
    form_data: dict[str, str] = Field(default_factory=dict, description="已保存的草稿内容（出错也不会清空）")


class UploadErrorOut(ErrorOut):
    problems: list[dict[str, str]] = Field(default_factory=list)


class In(Schema):
    model_config = ConfigDict(extra="ignore")


# --- reference -----------------------------------------------------------------------------------

class TownOut(Schema):
    code: str
    name: str
    kind: str


class BranchOut(Schema):
    code: str
    name: str
    kind: str
    town: str
    address: str
    opening_hours: str
    phone: str
    handles_permits: bool


# --- identity and eligibility --------------------------------------------------------------------

class IdentityIn(In):
    name: Text = Field(max_length=60, description="姓名（与证件一致）")
    id_number: Text = Field(max_length=40, description="证件号码")


class EligibilityIn(IdentityIn):
    for_self: bool = Field(default=True, description="本人申领为 true；为家人代办为 false")


class EligibilityOut(Schema):
    verdict: str = Field(description="online | guardian | counter_permit | not_in_registry | has_card | replacement | not_eligible")
    may_apply_online: bool
    title: str
    reasons: list[str]
    next_steps: list[str]


class MeOut(Schema):
    phone: str = Field(description="脱敏手机号")
    real_name_bound: bool
    name: str = Field(description="脱敏姓名")
    id_number: str = Field(description="脱敏证件号码")


# --- applications --------------------------------------------------------------------------------

Relationship = Literal["self", "parent", "child"]
StepName = Literal["contact", "address", "pickup"]
UploadKindName = Literal["id_front", "id_back", "portrait", "relationship_proof"]


class StartIn(In):
    relationship: Relationship = Field(default="self", description="self 本人；parent 为父母代办；child 为未满16周岁子女代办")
    name: Text = Field(default="", max_length=60, description="代办时为家人姓名；本人申领时可选，填写则先完成实名绑定")
    id_number: Text = Field(default="", max_length=40, description="代办时为家人证件号码；本人申领时可选")


class ContactIn(In):
    phone: Text = Field(default="", max_length=40, description="接收通知的手机号")


class AddressIn(In):
    town: Text = Field(default="", max_length=40, description="镇街代码，见 /towns")
    address_detail: Text = Field(default="", max_length=200, description="详细地址，精确到门牌号")


class PickupIn(In):
    pickup_method: Text = Field(default="", max_length=20, description="mail 邮寄到家 | branch 网点自取")
    branch: Text = Field(default="", max_length=40, description="网点自取时的网点编号，见 /branches")


class PickupChangeIn(PickupIn):
    town: Text = Field(default="", max_length=40, description="改为邮寄时的镇街代码")
    address_detail: Text = Field(default="", max_length=200, description="改为邮寄时的详细地址")


class WithdrawIn(In):
    reason: Text = Field(default="", max_length=200, description="撤销原因（可选）")


class BranchRef(Schema):
    code: str
    name: str
    address: str


PartName = Literal["portrait", "id_front", "id_back", "relationship_proof", "address", "contact", "pickup"]


class ReturnReasonOut(Schema):
    code: str = Field(description="退回原因代码（稳定），如 portrait_background")
    text: str = Field(description="告诉申领人哪里不对（中文，可直接展示）")
    tip: str = Field(description="怎么改（中文，可直接展示）")
    part: str = Field(description="需要修改的部分：portrait | id_front | id_back | address | relationship_proof | other")


class ApplicationOut(Schema):
    id: uuid.UUID
    acceptance_number: str | None
    state: str = Field(description="内部状态代码（稳定）")
    state_label: str = Field(description="给市民看的状态")
    channel: str
    kind: str = Field(description="申领类型：first_issue 首次申领，replacement 补换卡（挂失后补办）")
    relationship: str
    name: str = Field(description="脱敏姓名")
    id_number: str = Field(description="脱敏证件号码")
    phone: str = Field(description="脱敏通知手机号")
    town: str
    address_detail: str
    pickup_method: str
    branch: BranchRef | None
    pickup_changes: int
    decision_due: datetime.date | None
    draft_expires_at: datetime.datetime | None = Field(
        description="草稿到期时间：此前不提交，草稿将自动撤销、照片删除（只对草稿）"
    )
    editable: bool = Field(description="现在是否有可以修改的内容（即 changeable_parts 不为空）")
    changeable_parts: list[PartName] = Field(
        description="现在可以修改的部分：草稿为全部；需补正时只有审核意见列出的部分（other 为全部）；"
                    "已受理且尚未开始人工审核时为照片、address、contact；其他状态为空"
    )
    return_reasons: list[ReturnReasonOut] = Field(
        description="需补正（state=returned）时审核人员列出的原因，每项有说明和修改提示；其他状态为空列表"
    )
    return_note: str | None = Field(
        description="需补正时审核人员的补充说明（没有则为空字符串；退回没有分项原因时为退回说明）；其他状态为 null"
    )
    form_data: dict[str, str] = Field(description="草稿里已填写的内容（含未通过检查的）")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class StartOut(Schema):
    created: bool = Field(description="false：此人已有未完成的申领，返回的是那一份")
    application: ApplicationOut


class StepOut(Schema):
    saved: bool
    application: ApplicationOut


class UploadOut(Schema):
    kind: str
    ok: bool = Field(description="照片检查通过")
    stored: bool = Field(description="已保存（未通过检查的照片也会保存，但提交前需要重新上传）")
    problems: list[dict[str, str]] = Field(description="每个问题有 code、message、tip")
    warnings: list[dict[str, str]] = Field(
        default_factory=list,
        description="已接受，但请申请人再看一眼（例如身份证上识读到的号码与申领人不一致）；每条有 code、message",
    )


class MissingOut(Schema):
    complete: bool
    missing: dict[str, str]


class SubmitOut(Schema):
    acceptance_number: str
    decision_due: datetime.date | None
    application: ApplicationOut


class TimelineEntryOut(Schema):
    label: str
    at: datetime.datetime | None
    detail: str
    done: bool


class PickupChangeOut(Schema):
    state: str
    due: datetime.date
    requested: dict[str, str]


# --- cards (我的社保卡) -------------------------------------------------------------------------------

CardActionName = Literal["activate", "report_loss", "report_loss_formal", "lift_loss", "replace", "reset_pin"]


class CardOut(Schema):
    id: int = Field(description="卡在本系统的编号，用于 /cards/{id}/… 接口")
    card_number: str = Field(description="脱敏的社会保障卡卡号")
    state: str = Field(description="inactive 待激活 | active 已激活 | locked 已锁定 | lost_temporary 临时挂失 | "
                                   "lost_formal 正式挂失 | void 已作废")
    state_label: str = Field(description="给用户看的状态说明")
    where: str = Field(description="卡在哪里（已寄出 运单号、网点待领取 网点名称、在您手中……）")
    actions: list[CardActionName] = Field(description="现在可以办理的操作")
    notes: list[str] = Field(description="提醒（如锁定日期、临时挂失自动解除日期）")
    holder: str = Field(description="脱敏的持卡人姓名")
    bank: str = Field(description="合作银行")
    handed_over_at: datetime.datetime | None = Field(description="签收或领卡时间（激活期限从此起算）")
    activated_at: datetime.datetime | None
    lock_due_at: datetime.datetime | None = Field(description="未激活时：预计锁定时间")
    pin_locked: bool = Field(description="服务密码已锁定（连续输错），需用短信验证码重置")


class PinIn(In):
    pin: Text = Field(default="", max_length=20, description="6位服务密码")
    pin_confirm: Text = Field(default="", max_length=20, description="再输入一次")


class LossIn(In):
    kind: Literal["temporary", "formal"] = Field(
        description="temporary 临时挂失（仅已激活的卡，到期自动解除）；formal 正式挂失（不能解除，之后可申请补卡）")


class LiftLossIn(In):
    pin: Text = Field(default="", max_length=20, description="这张卡的6位服务密码")


class PinResetCodeOut(Schema):
    sent: bool
    message: str
    retry_after: int = Field(description="多少秒后可以再次获取")


class PinResetIn(PinIn):
    code: Text = Field(default="", max_length=10, description="短信验证码")
