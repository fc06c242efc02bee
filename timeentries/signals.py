"""Retire cached list totals (timetracker.counts) when rows a time-entry list filters on change.

A signal rather than a call in each service: the admin, cascades and the services all save these models,
and a missed path would serve a wrong total. Queryset ``update()``s send no signal; the services that use
one call ``data_changed`` themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from projects.models import Client, Project, Task, Tasklist
from timetracker.counts import data_changed

from .models import Tag, TimeEntry

TIME_ENTRY_COUNTS = "time_entries"


def time_entries_changed(**kwargs):
    data_changed(TIME_ENTRY_COUNTS)


def connect():
    # Entries themselves and what list filters join (tags by name, projects by status), and, to be safe,
    # the rest of the project tree. Not users: a login saves one, and no entry filter joins them (deleting a
    # user deletes their entries, which signals).
    for model in (TimeEntry, Tag, Project, Client, Task, Tasklist):
        post_save.connect(time_entries_changed, sender=model, dispatch_uid=f"counts-save-{model._meta.label}")
        post_delete.connect(time_entries_changed, sender=model, dispatch_uid=f"counts-delete-{model._meta.label}")
    m2m_changed.connect(time_entries_changed, sender=TimeEntry.tags.through, dispatch_uid="counts-entry-tags")
