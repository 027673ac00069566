from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sscard.registry.importer import import_people


class Command(BaseCommand):
    help = "Import people from a CSV file; report every bad row with its line number and reason."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--strict", action="store_true", help="all rows or nothing")

    def handle(self, *args, file: Path, strict: bool, **options):
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取 {file}:{exc}") from exc
        report = import_people(text, strict=strict)
        for line, reason in report.errors:
            self.stderr.write(f"第{line}行：{reason}")
        if report.written:
            self.stdout.write(f"导入完成：新增 {report.created} 人，更新 {report.updated} 人，未变 {report.unchanged} 人，错误 {len(report.errors)} 行")
        else:
            self.stdout.write(f"严格模式：发现 {len(report.errors)} 行错误，未导入任何数据")
        if report.errors:
            raise SystemExit(1)
