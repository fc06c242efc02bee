"""The inventory module's switch: while it is off, every inventory endpoint answers 403 ``module_disabled``."""

from rest_framework import permissions

from timetracker.api.exceptions import APIError
from timetracker.models import SiteSettings


class ModuleDisabled(APIError):
    status_code = 403
    error = "module_disabled"
    error_code = "module_disabled"
    default_detail = "The inventory module is disabled. An admin can enable it in the admin under Settings."


def site_settings(request) -> SiteSettings:
    """The site settings, read once per request: the module switch and then the view may both need them."""
    row = getattr(request, "_site_settings", None)
    if row is None:
        row = request._site_settings = SiteSettings.load()
    return row


class InventoryEnabled(permissions.BasePermission):
    """First in every inventory view's permission classes; a caller without valid credentials still gets 401."""

    def has_permission(self, request, view):
        if request.successful_authenticator is None:
            return False  # DRF answers 401 for an unauthenticated request refused by a permission
        if not site_settings(request).inventory_enabled:
            raise ModuleDisabled()
        return True
