"""Write the three demo uploads (ID card front and back, portrait) for a demo person, checked."""

from pathlib import Path

from django.core.management.base import CommandError

from sscard.demo.guard import DemoCommand
from sscard.demo.people import default_person, demo_people, people_not_in_registry
from sscard.demo.photos import make_demo_photos

LABELS = {"id_front": "身份证人像面", "id_back": "身份证国徽面", "portrait": "本人近期正面免冠照片"}


class Command(DemoCommand):
    help = (
        "Write id_front.jpg, id_back.jpg and portrait.jpg for a demo person into DIR; each is run through "
        "the project's photo checks and the command fails unless all three pass."
    )

    def add_arguments(self, parser):
        parser.add_argument("dir", type=Path, metavar="DIR")
        parser.add_argument(
            "--person", metavar="ID", help="ID number of a demo person (`sscard demo-people`); default: the first woman over 60, "
            "who matches the demo portrait"
        )

    def handle(self, *args, dir: Path, person: str | None, **options):
        people = demo_people() + people_not_in_registry()
        chosen = default_person(people) if not person else next((p for p in people if p.id_number == person.upper()), None)
        if chosen is None:
            raise CommandError(f"{person} 不是演示人员的身份证号码；可用的号码见 `sscard demo-people`。")
        try:
            dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建目录 {dir}：{exc.strerror or exc}") from exc
        self.stdout.write(f"演示人员：{chosen.name}  {chosen.id_number}（{chosen.case}）")
        failed = []
        for photo in make_demo_photos(chosen):
            path = dir / photo.filename
            path.write_bytes(photo.data)
            verdict = "通过" if photo.report.ok else "未通过"
            self.stdout.write(f"  {path}  {LABELS[photo.kind]}  照片检查：{verdict}")
            for p in photo.report.problems:
                self.stdout.write(f"    [{p.code}] {p.message}{p.tip}")
            if not photo.report.ok:
                failed.append(photo.filename)
        if failed:
            raise CommandError(f"照片检查未通过：{'、'.join(failed)}。这些文件不能用于演示。")
        self.stdout.write("三张照片均通过检查，可在申领页面依次上传。")

