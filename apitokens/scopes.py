"""The one registry of API token scopes. Scope names are spelled here and nowhere else.

A scope is ``<action>:<resource>``. ``admin:all`` grants every scope, and a write
scope implies the read scope of the same resource. No scopes means no access.
"""

ADMIN_ALL = "admin:all"

SCOPES = {
    "read:projects": "View projects",
    "write:projects": "Create and update projects",
    "read:time_entries": "View time entries",
    "write:time_entries": "Create and update time entries",
    "read:tasks": "View tasks",
    "write:tasks": "Create and update tasks",
    "read:clients": "View clients",
    "write:clients": "Create and update clients",
    "read:reports": "View reports and analytics",
    "read:users": "View user information",
    "read:inventory": "View inventory: stock items, warehouses, stock levels and inventory reports",
    "write:inventory": "Change inventory: items, warehouses, stock movements and transfers",
    "read:webhooks": "View webhooks, their delivery logs and the event list",
    "write:webhooks": "Create, change and delete webhooks, rotate their secrets, redeliver",
    ADMIN_ALL: "Full administrative access (use with caution)",
}

CHOICES = [(name, f"{name} — {description}") for name, description in SCOPES.items()]


def read_scope(resource: str) -> str:
    return _known(f"read:{resource}")


def write_scope(resource: str) -> str:
    return _known(f"write:{resource}")


def _known(scope: str) -> str:
    if scope not in SCOPES:
        raise KeyError(f"Unknown scope {scope!r}; add it to apitokens.scopes.SCOPES")
    return scope


def unknown_scopes(scopes) -> list[str]:
    return [scope for scope in scopes if scope not in SCOPES]


def grants(granted, required: str) -> bool:
    """Whether a token holding ``granted`` scopes may use something that needs ``required``."""
    granted = set(granted)
    if ADMIN_ALL in granted or required in granted:
        return True
    action, _, resource = required.partition(":")
    return action == "read" and f"write:{resource}" in granted
