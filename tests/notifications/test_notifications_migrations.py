"""The move from foreign keys to references: an installation that has messages keeps knowing what each is about."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from sscard.applications import lifecycle as application_lifecycle
from sscard.cards import lifecycle as card_lifecycle
from sscard.notifications import dao
from tests.factories import PersonFactory

BEFORE = ("notifications", "0005_notification_reference")  # reference columns added, foreign keys still there
COPIED = ("notifications", "0006_copy_foreign_keys_to_reference")
LATEST = ("notifications", "0007_remove_notification_foreign_keys")


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    # The step-by-step path an existing installation takes (a fresh one runs the squashed migration instead).
    executor.loader = MigrationLoader(connection, replace_migrations=False)
    return executor


def _migrate(target) -> MigrationExecutor:
    executor = _executor()
    executor.migrate([target])
    return _executor()


@pytest.mark.django_db(transaction=True)
def test_existing_application_and_card_keys_become_references():
    person = PersonFactory()
    application = application_lifecycle.create_draft(
        actor="test", person=person, name=person.name, id_number=person.id_number, phone="13812345678",
        channel="website",
    )
    card = card_lifecycle.issue(actor="test", person=person, application=application, card_number="6221880012345678")
    try:
        executor = _migrate(BEFORE)
        old = executor.loader.project_state([BEFORE]).apps.get_model("notifications", "Notification")
        common = {"phone": "13812345678", "phone_digest": "d", "body": "b", "display_body": "b"}
        about_application = old.objects.create(template_code="application_accepted", application_id=application.pk,
                                               **common)
        # A card notice carried both keys; it is about the card.
        about_card = old.objects.create(template_code="card_activated", application_id=application.pk,
                                        card_id=card.pk, **common)
        about_nothing = old.objects.create(template_code="login_code", **common)

        executor = _migrate(COPIED)
        copied = executor.loader.project_state([COPIED]).apps.get_model("notifications", "Notification")
        assert {n.pk: (n.reference_kind, n.reference_id) for n in copied.objects.all()} == {
            about_application.pk: ("application", str(application.pk)),
            about_card.pk: ("card", str(card.pk)),
            about_nothing.pk: ("", ""),
        }
    finally:
        _migrate(LATEST)

    assert [n.pk for n in dao.for_reference("application", application.pk)] == [about_application.pk]
    assert [n.pk for n in dao.for_reference("card", card.pk)] == [about_card.pk]
    columns = {c.name for c in connection.introspection.get_table_description(connection.cursor(),
                                                                              "notifications_notification")}
    assert "application_id" not in columns and "card_id" not in columns


def test_a_fresh_database_builds_the_outbox_without_any_other_app():
    """Notifications sit below every domain: the migration a fresh install runs names no other app."""
    loader = MigrationLoader(None)
    [leaf] = [key for key in loader.graph.leaf_nodes() if key[0] == "notifications"]
    plan = [key for key in loader.graph.forwards_plan(leaf) if key[0] == "notifications"]
    assert ("notifications", "0001_squashed_0007_remove_notification_foreign_keys") in plan
    for key in plan:
        migration = loader.get_migration(*key)
        assert {app for app, _ in migration.dependencies} <= {"notifications"}, key
        assert not any("applications" in str(op) or "cards" in str(op) for op in migration.operations), key
