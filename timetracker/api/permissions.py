"""Scope checks: each view declares the resource it serves, and the HTTP method picks read or write."""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import exceptions, permissions

from apitokens import scopes
from apitokens.models import APIToken

from .authentication import is_staff_session


class ScopeDenied(exceptions.PermissionDenied):
    error = "Insufficient permissions"

    def __init__(self, required_scope, available_scopes, alternatives=()):
        message = f"This endpoint requires the '{required_scope}' scope"
        if alternatives:
            message += " (or " + " or ".join(f"'{scope}'" for scope in alternatives) + ")"
        super().__init__(message)
        self.extra = {"required_scope": required_scope, "available_scopes": sorted(available_scopes)}


def request_grants(request, scope: str) -> bool:
    """Whether the request may use something needing ``scope``: a staff session may use everything."""
    if is_staff_session(request):
        return True
    token = request.auth
    return isinstance(token, APIToken) and scopes.grants(token.scopes, scope)


def required_scope(resource: str, method: str) -> str:
    if method in permissions.SAFE_METHODS:
        return scopes.read_scope(resource)
    return scopes.write_scope(resource)


class HasScope(permissions.BasePermission):
    """Safe methods need ``read:<resource>``, all others ``write:<resource>``.

    A view must declare ``scope_resource``; one that does not is refused (fail closed). A view may
    also accept the scopes of ``scope_resource_aliases`` (inventory takes ``read:projects`` as the
    spec says, or ``read:inventory``); the 403 then names ``scope_resource``'s scope and the others.
    """

    def has_permission(self, request, view):
        resource = getattr(view, "scope_resource", None)
        if not resource:
            raise ImproperlyConfigured(f"{type(view).__name__} must declare scope_resource")
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 itself; nothing is read or written
        if not (is_staff_session(request) or isinstance(request.auth, APIToken)):
            return False
        resources = (resource, *getattr(view, "scope_resource_aliases", ()))
        needed = [required_scope(name, request.method) for name in resources]
        if any(request_grants(request, scope) for scope in needed):
            return True
        raise ScopeDenied(needed[0], request.auth.scopes, alternatives=needed[1:])
