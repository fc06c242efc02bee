from django.http import JsonResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import path, re_path
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from . import views

# ETag on every GET, and 304 when If-None-Match matches (Teamwork clients cache by ETag).
etag = decorator_from_middleware(ConditionalGetMiddleware)


def route(pattern, view_class, name):
    return path(pattern, etag(view_class.as_view()), name=name)


app_name = "teamwork"
urlpatterns = [
    route("time_entries.json", views.TimeEntryListView, "time-entries"),
    route("projects/<int:project_id>/time_entries.json", views.ProjectTimeEntriesView, "project-time-entries"),
    route("tasks/<int:task_id>/time_entries.json", views.TaskTimeEntriesView, "task-time-entries"),
    route("todo_items/<int:task_id>/time_entries.json", views.TaskTimeEntriesView, "todo-item-time-entries"),
    route("time_entries/<int:entry_id>.json", views.TimeEntryDetailView, "time-entry"),
    route("time/total.json", views.TimeTotalView, "time-total"),
    route("projects/time/total.json", views.ProjectsTimeTotalView, "projects-time-total"),
    route("projects/<int:project_id>/time/total.json", views.ProjectTimeTotalView, "project-time-total"),
    route("tasklists/<int:tasklist_id>/time/total.json", views.TasklistTimeTotalView, "tasklist-time-total"),
    route("tasks/<int:task_id>/time/total.json", views.TaskTimeTotalView, "task-time-total"),
    re_path(r"^", csrf_exempt(lambda request: JsonResponse(  # any path, even one with a newline
        {"MESSAGE": f"No Teamwork endpoint at {request.path}", "STATUS": "Error"}, status=404))),
]
