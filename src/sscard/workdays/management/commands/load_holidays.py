from django.core.management.base import BaseCommand

from sscard.workdays.services import load_from_chinesecalendar


class Command(BaseCommand):
    help = "Copy statutory holidays and adjusted working days from chinesecalendar into the editable table."

    def add_arguments(self, parser):
        parser.add_argument("years", nargs="*", type=int, help="only these years (default: all the package knows)")

    def handle(self, *args, years, **options):
        written = load_from_chinesecalendar(years or None)
        self.stdout.write(f"节假日与调休：新增 {written} 天")
