"""Who may see whose data (see docs/access.md)."""

from .errors import Forbidden


def is_admin(user) -> bool:
    """Admins see and act on every user's data. Being one depends on the user, never on a token scope."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def check_may_access_user(viewer, user_id) -> None:
    """Only admins may read, log or change another user's data; Forbidden otherwise."""
    if user_id is not None and int(user_id) != viewer.pk and not is_admin(viewer):
        raise Forbidden("Only admins may see or change other users' time.")
