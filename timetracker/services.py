"""Helpers shared by the apps' service functions."""


def apply_changes(instance, changes: dict, allowed: set[str]) -> list[str]:
    """Set the allowed fields named in ``changes`` on ``instance``; return the names that changed."""
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"{type(instance).__name__} has no updatable field(s) {sorted(unknown)}")
    changed = []
    for field, value in changes.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def save_changes(instance, changed: list[str]) -> None:
    if changed:
        instance.save(update_fields=[*changed, "updated_at"])
