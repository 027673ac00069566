"""The logistics steps that change no application state, as entries on the citizen's progress timeline."""

from __future__ import annotations

from sscard.applications.services.progress import TimelineEntry
from sscard.logistics import dao
from sscard.logistics.constants import TIMELINE_LABELS, EventKind

# Shown even on the public progress query: it tells the person what to do next.
SEALED_DETAIL = "请携带身份证到人社服务窗口办理领取"


def entries(application, public: bool) -> list[TimelineEntry]:
    found = []
    for event in dao.timeline_events(application, list(TIMELINE_LABELS)):
        detail = SEALED_DETAIL if event.event == EventKind.RETURNED_UNCLAIMED else ""
        # When we learned of it, like the application's own events: the timeline stays in the order things were
        # recorded even when a bank's file arrives a day late.
        found.append(TimelineEntry(TIMELINE_LABELS[EventKind(event.event)], event.created_at, detail))
    return found
