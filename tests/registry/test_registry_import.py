import pytest
from django.core.management import call_command

from sscard.registry.importer import import_people
from sscard.registry.models import Person
from tests.factories import make_id_number

pytestmark = pytest.mark.django_db
HEADER = "id_number,name,hukou_region,insurance,school,card_generation,card_status\n"


def test_good_rows_are_imported_and_bad_rows_reported_by_line():
    good = make_id_number()
    text = HEADER + (
        f"{good},张伟,442000,employee,,2,normal\n"
        "442000199O01011233,李娜,442000,employee,,,\n"
        f"{make_id_number()},张3,442000,resident,,,\n"
        f"{make_id_number()},王芳,442000,gold,,,\n"
        f"{good},张伟,442000,employee,,,\n"
    )
    report = import_people(text)
    assert report.created == 1
    assert [line for line, _ in report.errors] == [3, 4, 5, 6]
    assert "第10位是字母O，应为数字0" in report.errors[0][1]
    assert "姓名" in report.errors[1][1]
    assert "gold" in report.errors[2][1]
    assert "与第2行证件号码重复" in report.errors[3][1]
    person = Person.objects.get()
    assert person.name == "张伟" and person.sex == "M" and person.existing_cards.get().generation == 2


def test_strict_mode_imports_nothing_when_any_row_is_bad():
    text = HEADER + f"{make_id_number()},张伟,442000,employee,,,\n12345,李娜,442000,employee,,,\n"
    report = import_people(text, strict=True)
    assert not report.written and Person.objects.count() == 0
    assert report.errors[0][0] == 3


def test_reimport_changes_nothing_and_updates_what_changed():
    number = make_id_number()
    import_people(HEADER + f"{number},张伟,442000,employee,,,\n")
    again = import_people(HEADER + f"{number},张伟,442000,employee,,,\n")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    moved = import_people(HEADER + f"{number},张伟,442000,resident,,,\n")
    assert moved.updated == 1 and Person.objects.get().insurance == "resident"


def test_missing_columns():
    report = import_people("name\n张伟\n")
    assert report.errors == [(1, "缺少列：id_number, hukou_region, insurance")]


def test_command_reports_lines_and_exits_non_zero(tmp_path, capsys):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + f"{make_id_number()},张伟,442000,employee,,,\nbad,李娜,442000,employee,,,\n")
    with pytest.raises(SystemExit) as exited:
        call_command("import_registry", str(path))
    assert exited.value.code == 1
    out = capsys.readouterr()
    assert "第3行：证件号码有误" in out.err
    assert "新增 1 人" in out.out
