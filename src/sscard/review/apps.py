from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "sscard.review"
    verbose_name = "审核"

    def ready(self):
        # Connected here, not at import: review listens to applications, which never imports review.
        from sscard.applications.signals import application_changed
        from sscard.review.receivers import on_application_changed

        application_changed.connect(on_application_changed, dispatch_uid="review.auto_review")
