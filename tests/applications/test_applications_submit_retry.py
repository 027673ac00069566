"""A submit retried after a dropped connection (issue #10, 9): the same acceptance number, not a refusal;
no second event or SMS; a withdrawn application is still refused."""

import pytest
from django.core.cache import cache
from django.db import connection

from sscard.applications.constants import Relationship, State
from sscard.applications.models import Application, ApplicationEvent
from sscard.applications.services import submission
from sscard.common.statemachine import TransitionNotAllowed
from sscard.notifications.models import Notification
from tests.applications.submit_race import race_submit
from tests.concurrency import run_processes
from tests.factories import ApplicationFactory, PersonFactory
from tests.helpers import sign_in
from tests.review.conftest import add_uploads


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()


def _complete_draft(**fields) -> Application:
    application = ApplicationFactory(**fields)
    add_uploads(application)
    return application


@pytest.mark.django_db
def test_submitting_twice_returns_the_same_acceptance():
    application = _complete_draft()
    submission.submit(application, actor="citizen:1")
    number, due = application.acceptance_number, application.decision_due
    retry = Application.objects.get(pk=application.pk)  # the retried request reads the row afresh
    assert submission.submit(retry, actor="citizen:1").acceptance_number == number
    retry.refresh_from_db()
    assert (retry.state, retry.acceptance_number, retry.decision_due) == (State.SUBMITTED, number, due)
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert Notification.objects.filter(template_code="application_accepted").count() == 1


@pytest.mark.django_db
def test_a_withdrawn_application_is_not_submitted_again():
    application = _complete_draft()
    submission.submit(application, actor="citizen:1")
    submission.withdraw(application, actor="citizen:1")
    with pytest.raises(TransitionNotAllowed):
        submission.submit(application, actor="citizen:1")
    application.refresh_from_db()
    assert application.state == State.CANCELLED


@pytest.mark.django_db
def test_web_a_second_submit_goes_to_the_acceptance_page(client):
    person = PersonFactory(name="黎明")
    sign_in(client)
    assert client.post("/realname/", {"name": person.name, "id_number": person.id_number}).status_code == 302
    from sscard.accounts.models import Citizen

    application = _complete_draft(person=person, account=Citizen.objects.get(), relationship=Relationship.SELF)
    url = f"/apply/{application.public_id}/confirm/"
    first = client.post(url)
    application.refresh_from_db()
    assert first.status_code == 302 and application.state == State.SUBMITTED
    second = client.post(url, follow=True)
    assert second.redirect_chain[0] == (f"/apply/{application.public_id}/", 302)
    assert f"您的申领已受理，编号{application.acceptance_number}" in second.content.decode()
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_both_get_the_acceptance_number(postgres_only):
    application = _complete_draft()
    name = connection.settings_dict["NAME"]
    outcomes = dict(run_processes(race_submit, [(name, application.pk, who) for who in ("phone", "retry")]))
    application.refresh_from_db()  # (auto-review may have moved it on after the commit)
    assert application.acceptance_number
    assert outcomes == {"phone": application.acceptance_number, "retry": application.acceptance_number}, outcomes
    assert ApplicationEvent.objects.filter(application=application, action="submit").count() == 1
    assert Notification.objects.filter(template_code="application_accepted").count() == 1
