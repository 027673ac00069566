import datetime

from django.apps import AppConfig


class CardsConfig(AppConfig):
    name = "sscard.cards"
    verbose_name = "社保卡"

    def ready(self):
        # Imported here: the services import models, which cannot load before the app registry is ready.
        from sscard.cards.services.locking import lock_unactivated_cards
        from sscard.cards.services.loss import lift_expired_temporary_losses
        from sscard.scheduling import Job, register_job

        register_job(Job("cards.lock_unactivated", lock_unactivated_cards, "锁定超期未激活的卡（含30天、7天提醒）",
                         daily_at=datetime.time(2, 10)))
        register_job(Job("cards.lift_temporary_losses", lift_expired_temporary_losses, "到期自动解除临时挂失",
                         daily_at=datetime.time(2, 20)))
