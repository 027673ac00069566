"""Register a channel partner and print its signing secret once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sscard.api.models import PARTNER_CHANNELS, ChannelPartner, new_app_id, new_secret


class Command(BaseCommand):
    help = "Create a channel partner (API caller) and print its secret; the secret is not shown again."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="Partner name, e.g. 粤省事小程序")
        parser.add_argument("--channel", required=True, choices=[c for c, _ in PARTNER_CHANNELS])
        parser.add_argument("--app-id", default="", help="App id (default: generated)")
        parser.add_argument("--rate-limit", type=int, default=600, help="Requests per minute (default 600)")

    def handle(self, *args, **options):
        app_id = options["app_id"] or new_app_id()
        if ChannelPartner.objects.filter(app_id=app_id).exists():
            raise CommandError(f"app id {app_id} already exists")
        secret = new_secret()
        partner = ChannelPartner(
            app_id=app_id, name=options["name"], channel=options["channel"], secret=secret,
            rate_limit_per_minute=options["rate_limit"],
        )
        try:
            partner.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        partner.save()
        self.stdout.write(f"app_id={partner.app_id}")
        self.stdout.write(f"secret={secret}")
        self.stderr.write("The secret is shown only this once: hand it to the partner over a safe channel.")
