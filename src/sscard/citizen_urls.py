"""Every page a citizen sees, in one list (namespace ``citizen``)."""

from django.urls import path

from sscard.accounts import views as accounts
from sscard.applications import views as applications
from sscard.cards import views as cards
from sscard.help import views as help_pages

app_name = "citizen"
urlpatterns = [
    path("", applications.home, name="home"),
    path("login/", accounts.login, name="login"),
    path("login/code/", accounts.send_code, name="send_code"),
    path("logout/", accounts.logout, name="logout"),
    path("realname/", accounts.realname, name="realname"),
    path("account/phone/", accounts.change_phone, name="change_phone"),
    path("account/realname/unbind/", accounts.unbind, name="unbind"),
    path("elder-mode/", accounts.elder_mode, name="elder_mode"),
    path("apply/", applications.start, name="start"),
    path("family/", applications.family, name="family"),
    path("my/", applications.my_applications, name="my"),
    path("progress/", applications.public_progress, name="progress"),
    path("apply/<uuid:public_id>/", applications.detail, name="detail"),
    path("apply/<uuid:public_id>/withdraw/", applications.withdraw, name="withdraw"),
    path("apply/<uuid:public_id>/pickup-change/", applications.pickup_change, name="pickup_change"),
    path("apply/<uuid:public_id>/upload/<str:kind>/", applications.upload, name="upload"),
    path("apply/<uuid:public_id>/files/<str:kind>/", applications.upload_image, name="upload_image"),
    path("apply/<uuid:public_id>/correct/", applications.correct, name="correct"),
    path("apply/<uuid:public_id>/<str:step>/", applications.step, name="step"),
    path("cards/", cards.my_cards, name="cards"),
    path("cards/<int:card_id>/activate/", cards.activate, name="card_activate"),
    path("cards/<int:card_id>/loss/", cards.report_loss, name="card_loss"),
    path("cards/<int:card_id>/lift/", cards.lift_loss, name="card_lift"),
    path("cards/<int:card_id>/pin-reset/", cards.reset_pin, name="card_pin_reset"),
    path("cards/<int:card_id>/replace/", cards.replace, name="card_replace"),
    path("help/", help_pages.help_index, name="help"),
    path("help/branches/", help_pages.branches, name="branches"),
]
