"""A message refers to what it is about by kind and id; the service never follows the reference."""

import pytest
from django.db import transaction

from sscard.notifications import dao, outbox

pytestmark = pytest.mark.django_db


def _queue(**kwargs):
    with transaction.atomic():
        return outbox.queue_sms("13800138000", "application_approved", {"acceptance_number": "SB1"}, **kwargs)


def test_messages_are_listed_by_what_they_are_about():
    first = _queue(reference=("application", 42))
    second = _queue(reference=("application", "42"))  # an id is kept as text: 42 and "42" are one thing
    _queue(reference=("card", 42))
    _queue(reference=("application", 420))
    unrelated = _queue()
    assert [n.pk for n in dao.for_reference("application", 42)] == [second.pk, first.pk]
    assert (unrelated.reference_kind, unrelated.reference_id) == ("", "")


@pytest.mark.parametrize("reference", [("", 1), ("application", None), ("application", "")])
def test_a_half_reference_is_refused(reference):
    with pytest.raises(ValueError, match="incomplete SMS reference"):
        _queue(reference=reference)
