"""The one registry of webhook events. Event names are spelled here and nowhere else.

Each event names the scope resource(s) a token must be able to read to subscribe to it, and whether it
concerns one user's data (time entries and timers: delivered only to that user's and to admins' webhooks,
the same rule as the API's, see docs/access.md).
"""

from dataclasses import dataclass

ALL = "*"


@dataclass(frozen=True)
class Event:
    name: str
    description: str
    scope_resources: tuple[str, ...]  # any one of them, read, allows a subscription
    per_user: bool = False


_TIME = ("time_entries",)
_INVENTORY = ("projects", "inventory")  # as the inventory endpoints accept them

EVENTS = {
    event.name: event
    for event in [
        Event("time_entry.created", "Time was logged (also when a timer starts).", _TIME, per_user=True),
        Event("time_entry.updated", "A time entry changed, was restored, stopped or invoiced.", _TIME, per_user=True),
        Event("time_entry.deleted", "A time entry was deleted (softly; an admin can restore it).", _TIME,
              per_user=True),
        Event("timer.started", "A running timer started (a time entry without an end).", _TIME, per_user=True),
        Event("timer.stopped", "A running timer got its end time.", _TIME, per_user=True),
        Event("project.created", "A project was created.", ("projects",)),
        Event("project.updated", "A project changed (also sent when only its status changed).", ("projects",)),
        Event("project.status_changed", "A project's status changed (active, on_hold, archived).", ("projects",)),
        Event("task.created", "A task was created.", ("tasks",)),
        Event("task.updated", "A task changed.", ("tasks",)),
        Event("task.completed", "A task reached the status done.", ("tasks",)),
        Event("client.created", "A client was created.", ("clients",)),
        Event("client.updated", "A client changed (also when it was archived).", ("clients",)),
        Event("inventory.transfer.created", "Stock moved between two warehouses.", _INVENTORY),
        Event("inventory.low_stock", "A movement took an item's stock on hand (all warehouses) below its "
              "reorder point.", _INVENTORY),
    ]
}

NAMES = list(EVENTS)


def get(name: str) -> Event:
    try:
        return EVENTS[name]
    except KeyError:
        raise KeyError(f"Unknown webhook event {name!r}; add it to timetracker.webhooks.events.EVENTS") from None


def subscribes(subscribed: list[str], name: str) -> bool:
    """Whether a webhook subscribed to ``subscribed`` (names, or ``*``) receives the event ``name``."""
    return ALL in subscribed or name in subscribed


def expand(subscribed: list[str]) -> list[str]:
    """The event names a subscription covers."""
    return list(NAMES) if ALL in subscribed else [name for name in NAMES if name in subscribed]
