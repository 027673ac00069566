"""Loss: temporary (lifts itself after N days unless made formal), formal, then a pre-filled replacement."""

import datetime

import pytest
from django.utils import timezone

from sscard.applications.constants import Kind, State
from sscard.applications.services import drafts
from sscard.applications.services.errors import JourneyError
from sscard.cards.constants import CardState
from sscard.cards.services import activation, loss
from sscard.cards.services.errors import CardError
from sscard.notifications import dao as notifications_dao
from tests.cards.conftest import GOOD_PIN, make_card
from tests.factories import BranchFactory

pytestmark = pytest.mark.django_db


def _active(person, citizen=None, **kwargs):
    card = make_card(person, citizen, **kwargs)
    activation.activate_online(card, actor="test", pin=GOOD_PIN, pin_confirm=GOOD_PIN, receipt_confirmed=True)
    return card


def test_a_temporary_loss_lifts_itself_after_the_set_days_unless_made_formal(person, settings):
    settings.CARD_TEMPORARY_LOSS_DAYS = 7
    lifted, made_formal = _active(person), _active(person)
    for card in (lifted, made_formal):
        loss.report_loss(card, loss.TEMPORARY, actor="citizen:1")
    loss.report_loss(made_formal, loss.FORMAL, actor="citizen:1")
    start = lifted.state_changed_at

    assert loss.lift_expired_temporary_losses(start + datetime.timedelta(days=7, seconds=-1))["lifted"] == 0
    assert loss.lift_expired_temporary_losses(start + datetime.timedelta(days=7)) == {"lifted": 1, "skipped": 0}
    assert loss.lift_expired_temporary_losses(start + datetime.timedelta(days=8)) == {"lifted": 0, "skipped": 0}
    lifted.refresh_from_db()
    made_formal.refresh_from_db()
    assert lifted.state == CardState.ACTIVE and made_formal.state == CardState.LOST_FORMAL
    assert lifted.events.order_by("-id").first().actor == "system"
    # The citizen is told the loss is lifted, not that the card was "activated".
    notices = [n.template_code for n in notifications_dao.for_reference("card", lifted.pk)]
    assert notices[0] == "loss_lifted" and notices.count("card_activated") == 1


def test_loss_on_the_web_temporary_then_formal(client, citizen, person):
    card = _active(person, citizen)
    page = client.get(f"/cards/{card.pk}/loss/").content.decode()
    assert "临时挂失" in page and "正式挂失" in page
    assert client.post(f"/cards/{card.pk}/loss/", {"kind": "temporary"}).status_code == 302
    card.refresh_from_db()
    assert card.state == CardState.LOST_TEMPORARY
    listing = client.get("/cards/").content.decode()
    assert "临时挂失中" in listing and "自动解除" in listing and f"/cards/{card.pk}/lift/" in listing

    unconfirmed = client.post(f"/cards/{card.pk}/loss/", {"kind": "formal"})
    assert unconfirmed.status_code == 409 and "确认正式挂失" in unconfirmed.content.decode()
    assert client.post(f"/cards/{card.pk}/loss/", {"kind": "formal", "confirm": "yes"}).status_code == 302
    card.refresh_from_db()
    assert card.state == CardState.LOST_FORMAL
    assert f"/cards/{card.pk}/replace/" in client.get("/cards/").content.decode()


def test_an_inactive_card_cannot_be_reported_temporarily_lost_but_formally(person):
    card = make_card(person)
    with pytest.raises(CardError) as caught:
        loss.report_loss(card, loss.TEMPORARY, actor="test")
    assert caught.value.code == "loss_not_allowed"
    loss.report_loss(card, loss.FORMAL, actor="test")
    assert card.state == CardState.LOST_FORMAL


def test_formal_loss_then_a_replacement_prefilled_from_the_last_application(client, citizen, person):
    branch = BranchFactory(code="SQ01", name="石岐网点")
    card = _active(person, citizen, pickup_method="branch", branch=branch, address_detail="幸福小区5栋3单元602")
    with pytest.raises(CardError) as caught:
        loss.start_replacement(card, citizen, channel="website")
    assert caught.value.code == "replacement_not_allowed"
    loss.report_loss(card, loss.FORMAL, actor="test")

    response = client.post(f"/cards/{card.pk}/replace/")
    assert response.status_code == 302
    application = card.replacement_applications.get()
    assert application.kind == Kind.REPLACEMENT and application.state == State.DRAFT
    assert application.account == citizen and application.person == person
    assert (application.phone, application.town, application.address_detail) == ("13812345678", "shiqi",
                                                                                  "幸福小区5栋3单元602")
    assert application.pickup_method == "branch" and application.branch == branch
    # Everything typed already: the flow opens at the photos.
    assert response["Location"] == f"/apply/{application.public_id}/uploads/"
    assert drafts.resume_step(application) == "uploads"

    # Pressing again opens the same draft; the card page now links to it instead of offering another.
    assert client.post(f"/cards/{card.pk}/replace/")["Location"] == response["Location"]
    assert card.replacement_applications.count() == 1
    listing = client.get("/cards/").content.decode()
    assert f"/cards/{card.pk}/replace/" not in listing and "补卡申请办理中" in listing


def test_a_first_issue_is_refused_while_a_formally_lost_card_waits_for_replacement(citizen, person):
    card = _active(person, citizen)
    loss.report_loss(card, loss.FORMAL, actor="test")
    with pytest.raises(JourneyError) as caught:
        drafts.start_application(citizen, channel="website")
    assert caught.value.code == "not_eligible_replacement"


def test_a_replacement_copies_nothing_from_a_closed_branch(citizen, person):
    branch = BranchFactory(code="SQ02", name="已撤并网点")
    card = _active(person, citizen, pickup_method="branch", branch=branch)
    branch.active = False
    branch.save()
    loss.report_loss(card, loss.FORMAL, actor="test")
    application, created = loss.start_replacement(card, citizen, channel="website")
    assert created and application.branch is None and application.pickup_method == ""
    assert drafts.resume_step(application) == "pickup"


def test_loss_timestamps_use_the_configured_days(person, settings):
    settings.CARD_TEMPORARY_LOSS_DAYS = 3
    card = _active(person)
    loss.report_loss(card, loss.TEMPORARY, actor="test")
    assert loss.temporary_loss_ends_at(card) - card.state_changed_at == datetime.timedelta(days=3)
    assert card.events.order_by("-id").first().data["until"] == (
        timezone.localdate() + datetime.timedelta(days=3)).isoformat()
