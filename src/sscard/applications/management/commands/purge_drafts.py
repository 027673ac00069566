"""Withdraw drafts untouched past DRAFT_RETENTION_DAYS and delete their images (run daily from cron)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from sscard.applications.retention import purge_stale_drafts


class Command(BaseCommand):
    help = "清理草稿：超过保存期未提交的草稿自动撤销，删除其上传的照片。"

    def handle(self, *args, **options):
        result = purge_stale_drafts()
        self.stdout.write(
            f"保存期{settings.DRAFT_RETENTION_DAYS}天：撤销草稿{result['withdrawn']}份，删除照片{result['images_deleted']}张"
            + (f"，跳过{result['skipped']}份（刚被提交或撤销）" if result["skipped"] else "")
        )
