from django.contrib.admin.apps import AdminConfig


class TimeTrackerAdminConfig(AdminConfig):
    """Installs our admin site (it serves the token list at /admin/api-tokens/)."""

    default_site = "timetracker.admin_site.TimeTrackerAdminSite"
