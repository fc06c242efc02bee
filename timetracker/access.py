"""Who may see whose data (see docs/access.md)."""


def is_admin(user) -> bool:
    """Admins see and act on every user's data. Being one depends on the user, never on a token scope."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)
