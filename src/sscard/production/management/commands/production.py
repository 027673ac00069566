"""``sscard production export-batch --out DIR [--limit N]`` and ``sscard production import-results FILE.csv``.

Each prints one JSON object on stdout (the contracts in docs/production.md); ``import-results`` exits 1 when
the file has errors (then nothing was applied).
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sscard.production.services.export import export_batch
from sscard.production.services.results import import_results


def _positive(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value


class Command(BaseCommand):
    help = "Production batches with the card maker: export-batch, import-results."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{export-batch,import-results}")
        export = sub.add_parser("export-batch", help="approved applications → 制卡中， DIR/<batch>.zip",
                                called_from_command_line=getattr(parser, "called_from_command_line", False))
        export.add_argument("--out", type=Path, required=True, help="folder for the batch zip")
        export.add_argument("--limit", type=_positive, default=None, help="at most N applications")
        results = sub.add_parser("import-results", help="apply the card maker's result file (all or nothing)",
                                 called_from_command_line=getattr(parser, "called_from_command_line", False))
        results.add_argument("file", type=Path, help="result CSV (UTF-8)")

    def handle(self, *args, action: str, **options):
        if action == "export-batch":
            return self._export(options["out"], options["limit"])
        return self._import(options["file"])

    def _emit(self, payload: dict) -> None:
        self.stdout.write(json.dumps(payload, ensure_ascii=False))

    def _export(self, out: Path, limit: int | None) -> None:
        if out.exists() and not out.is_dir():
            raise CommandError(f"--out 应为文件夹：{out} 是一个文件")
        exported = export_batch(out, limit=limit, actor="cli")
        for number in exported.returned:
            self.stderr.write(f"{number}：证件照无法制成制卡照片，已退回申领人重新上传")
        self._emit(exported.as_json())

    def _import(self, file: Path) -> None:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取结果文件 {file}：{exc.strerror or exc}") from exc
        summary = import_results(data, file_name=file.name, actor="cli")
        self._emit(summary.as_json())
        if summary.errors:
            raise CommandError(f"结果文件有{len(summary.errors)}行错误，未做任何更改", returncode=1)
