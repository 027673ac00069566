"""``sscard logistics import FILE.csv``: the bank's and the courier's events (docs/logistics.md)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sscard.logistics import fileformat
from sscard.logistics.constants import Source
from sscard.logistics.services import import_rows


class Command(BaseCommand):
    help = "物流：import 导入市银行和快递的卡片物流文件（全部成功才生效，重复导入不会重复处理）。"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("import", help="Import a logistics CSV (card_number,event,waybill,at).")
        load.add_argument("file", metavar="FILE.csv")

    def handle(self, *args, action: str, file: str, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        rows, errors = fileformat.parse(path.read_bytes(), tz=timezone.get_current_timezone(), now=timezone.now())
        summary = import_rows(rows, errors=errors, source=Source.FILE, actor=f"file:{path.name}"[:80])
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["errors"]:
            raise SystemExit(1)
