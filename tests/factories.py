"""Factories with one trait per lifecycle state: ``ApplicationFactory(approved=True)``.

A state trait drives the application through the real lifecycle (never writes ``state``
directly), so a factory-made application has the same history a real one would.
"""

from __future__ import annotations

import datetime
import itertools

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from sscard.applications import lifecycle
from sscard.applications.constants import Channel, State
from sscard.delivery.constants import PickupMethod
from sscard.demo.people import make_id
from sscard.registry.models import Person

_seq = itertools.count(1)


def make_id_number(region: str = "442000", born: datetime.date = datetime.date(1990, 1, 1), male=True) -> str:
    """A fresh valid number for each call (the demo data's generator, moved on a day every 500)."""
    n = next(_seq)
    return make_id(region, born + datetime.timedelta(days=n // 500), n, male)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.LazyFunction(make_id_number)
    name = factory.Iterator(["张伟", "李娜", "黎明", "陈静", "程刚"])
    sex = factory.LazyAttribute(lambda o: "M" if int(o.id_number[16]) % 2 else "F")
    birth_date = factory.LazyAttribute(
        lambda o: datetime.date(int(o.id_number[6:10]), int(o.id_number[10:12]), int(o.id_number[12:14]))
    )
    hukou_region = "442000"
    insurance = "employee"


# The path from draft to each state, as lifecycle actions.
PATHS: dict[str, list[str]] = {
    State.DRAFT: [],
    State.SUBMITTED: ["submit"],
    State.REVIEWING: ["submit", "start_review"],
    State.APPROVED: ["submit", "start_review", "approve"],
    State.RETURNED: ["submit", "start_review", "return_for_correction"],
    State.REFUSED: ["submit", "start_review", "refuse"],
    State.CANCELLED: ["cancel"],
    State.PRODUCING: ["submit", "start_review", "approve", "send_to_production"],
    State.PRODUCTION_FAILED: ["submit", "start_review", "approve", "send_to_production", "production_failed"],
    State.PRODUCED: ["submit", "start_review", "approve", "send_to_production", "mark_produced"],
    State.MAILED: ["submit", "start_review", "approve", "send_to_production", "mark_produced", "mail"],
    State.DELIVERED: ["submit", "start_review", "approve", "send_to_production", "mark_produced", "mail",
                      "confirm_delivery"],
    State.AT_BRANCH: ["submit", "start_review", "approve", "send_to_production", "mark_produced", "ready_at_branch"],
    State.COLLECTED: ["submit", "start_review", "approve", "send_to_production", "mark_produced", "ready_at_branch",
                      "collect"],
}


class ApplicationFactory(factory.Factory):
    """Builds through ``lifecycle.create_draft`` and then the actions for the requested state."""

    class Meta:
        model = dict

    person = factory.SubFactory(PersonFactory)
    channel = Channel.WEBSITE
    phone = "13812345678"
    town = "shiqi"
    address_detail = "幸福小区5栋3单元602"
    pickup_method = PickupMethod.MAIL

    @classmethod
    def _create(cls, model_class, *, state=State.DRAFT, person=None, **fields):
        for trait in PATHS:  # ApplicationFactory(approved=True)
            if fields.pop(trait, False):
                state = trait
        application = lifecycle.create_draft(
            actor="test", person=person, name=person.name, id_number=person.id_number, **fields
        )
        for action in PATHS[state]:
            lifecycle.perform(application, action, actor="test", reason="测试原因")
        return application

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("applications are only made through the lifecycle")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "delivery.Branch"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"测试网点{n}")
    kind = "hr"
    town = "shiqi"
    address = "孙文中路1号"
    opening_hours = "工作日 9:00-17:00"


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A staff member with a role (``StaffUserFactory(role="clerk")`` gets a branch too) and, with
    ``totp_key="<hex>"``, a confirmed TOTP device with that key."""

    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "测试"
    role = "reviewer"
    password = factory.PostGenerationMethodCall("set_password", "Test@Pass-2025")
    branch = factory.Maybe(factory.LazyAttribute(lambda o: o.role == "clerk"), factory.SubFactory(BranchFactory), None)

    @factory.post_generation
    def totp_key(self, create, key, **kwargs):
        self.save()
        if key:
            TOTPDevice.objects.create(user=self, name="测试设备", key=key, confirmed=True)
