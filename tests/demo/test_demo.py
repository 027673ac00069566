import pytest
from django.core.management import call_command

from sscard.accounts.constants import Role
from sscard.accounts.models import User
from sscard.addresses import TOWNS
from sscard.delivery.models import Branch
from sscard.demo.people import demo_people, people_not_in_registry
from sscard.identity import check_id_number
from sscard.registry.models import ExistingCard, Person


def test_every_case_is_covered_with_valid_numbers():
    people = demo_people()
    assert 190 <= len(people) <= 210
    cases = {p.case for p in people}
    for needed in ["户籍在中山，职工社保", "外地户籍，在中山缴职工社保", "户籍在中山，城乡居民社保", "在中山读书的学生",
                   "未满16周岁", "60岁以上", "香港居民居住证", "澳门居民居住证", "台湾居民居住证",
                   "外国人永久居留身份证", "已有第三代社保卡"]:
        assert needed in cases
    kinds = {check_id_number(p.id_number).type for p in people}
    assert kinds == {"resident", "hk_macao_resident", "taiwan_resident", "foreign_permanent"}
    assert all(check_id_number(p.id_number).valid for p in people + people_not_in_registry())
    assert sum(p.id_number.startswith("442000") for p in people) > 100


@pytest.mark.django_db
def test_load_demo_is_idempotent(capsys):
    call_command("load_demo")
    counts = (Person.objects.count(), Branch.objects.count(), User.objects.count(), ExistingCard.objects.count())
    call_command("load_demo")
    assert "新增0/更新0" in capsys.readouterr().out.splitlines()[-1]
    assert counts == (Person.objects.count(), Branch.objects.count(), User.objects.count(),
                      ExistingCard.objects.count())
    assert {b.town for b in Branch.objects.all()} == {t.code for t in TOWNS}
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert not Person.objects.filter(id_digest__in=[]).exists()
    absent = people_not_in_registry()[0]
    from sscard.privacy.fields import digest

    assert not Person.objects.filter(id_digest=digest(absent.id_number)).exists()


@pytest.mark.django_db
def test_demo_mode_also_loads_the_channel_partners(settings):
    from sscard.api.models import ChannelPartner

    settings.SSCARD_DEMO = True
    call_command("load_demo")
    assert set(ChannelPartner.objects.values_list("app_id", flat=True)) == {"demo-yueshengshi", "demo-zsrs-h5"}
