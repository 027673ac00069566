"""`sscard demo-photos DIR`: the pictures a newcomer uploads in the demo pass the project's own checks.

End to end: the command runs the real models and writes real files; the files are read back and
checked again here, independently of what the command printed.
"""

import pytest
from django.core.management import CommandError, call_command

from sscard.demo.guard import DemoRefused
from sscard.demo.people import demo_people
from sscard.photos import check_id_card, check_portrait


def test_demo_photos_pass_the_photo_checks(tmp_path, capsys):
    person = demo_people()[3]
    call_command("demo_photos", str(tmp_path / "photos"), person=person.id_number)

    out = capsys.readouterr().out
    assert person.name in out and person.id_number in out
    assert out.count("照片检查：通过") == 3
    files = {p.name: p.read_bytes() for p in (tmp_path / "photos").iterdir()}
    assert set(files) == {"id_front.jpg", "id_back.jpg", "portrait.jpg"}
    front, back, portrait = (
        check_id_card(files["id_front.jpg"], "front"),
        check_id_card(files["id_back.jpg"], "back"),
        check_portrait(files["portrait.jpg"]),
    )
    assert (front.codes, back.codes, portrait.codes) == ([], [], [])
    # The sides are told apart: each side uploaded as the other is refused.
    assert "wrong_side" in check_id_card(files["id_front.jpg"], "back").codes
    assert "wrong_side" in check_id_card(files["id_back.jpg"], "front").codes
    assert len(files["portrait.jpg"]) >= 100 * 1024


def test_an_unknown_person_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(CommandError, match="不是演示人员"):
        call_command("demo_photos", str(tmp_path / "photos"), person="110101199003070012")
    assert not (tmp_path / "photos").exists()


def test_refused_in_production(tmp_path, settings):
    settings.SSCARD_PRODUCTION = True
    with pytest.raises(DemoRefused):
        call_command("demo_photos", str(tmp_path / "photos"))
    assert not (tmp_path / "photos").exists()
