"""Creating, revoking and authenticating API tokens."""

import hashlib
import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import scopes as scope_registry
from .models import APIToken

TOKEN_PREFIX = "tt_"
TOKEN_RANDOM_LENGTH = 32
_ALPHABET = string.ascii_letters + string.digits
_TOKEN_RE = re.compile(rf"^{TOKEN_PREFIX}[A-Za-z0-9]{{{TOKEN_RANDOM_LENGTH}}}$")
DISPLAY_PREFIX_LENGTH = 8


def generate_plaintext() -> str:
    return TOKEN_PREFIX + "".join(secrets.choice(_ALPHABET) for _ in range(TOKEN_RANDOM_LENGTH))


def looks_like_token(text: str) -> bool:
    return bool(_TOKEN_RE.fullmatch(text or ""))


def token_digest(plaintext: str) -> str:
    # A token carries 190 bits of randomness, so an unsalted SHA-256 cannot be brute-forced
    # and lets us look tokens up by digest with an index.
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, user, name, scopes, description="", expires_in_days=None, created_by=None
) -> tuple[APIToken, str]:
    """Create a token; returns it with its plaintext, which is never stored and cannot be shown again."""
    scopes = sorted(set(scopes))
    errors = {}
    if not scopes:
        errors["scopes"] = ["Select at least one scope."]
    elif unknown := scope_registry.unknown_scopes(scopes):
        errors["scopes"] = [f"Unknown scope(s): {', '.join(unknown)}."]
    if expires_in_days is not None and expires_in_days < 1:
        errors["expires_in_days"] = ["Must be at least 1 day."]
    if not (name or "").strip():
        errors["name"] = ["Name is required."]
    if errors:
        raise ValidationError(errors)

    plaintext = generate_plaintext()
    token = APIToken.objects.create(
        name=name.strip(),
        description=description,
        user=user,
        scopes=scopes,
        digest=token_digest(plaintext),
        prefix=plaintext[:DISPLAY_PREFIX_LENGTH],
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
        created_by=created_by,
    )
    return token, plaintext


def api_token_revoke(*, token: APIToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        APIToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=token.revoked_at)


def api_token_authenticate(plaintext: str) -> APIToken | None:
    """The usable token for ``plaintext`` with its user loaded, or None.

    Unknown, malformed, expired and revoked tokens and inactive users all give None,
    so a caller cannot tell them apart. One query, plus at most one write a minute per token.
    """
    if not looks_like_token(plaintext):
        return None
    token = (
        APIToken.objects.select_related("user", "user__profile")
        .filter(digest=token_digest(plaintext))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    _record_use(token)
    return token


def _record_use(token: APIToken) -> None:
    now = timezone.now()
    interval = timedelta(seconds=settings.API_TOKEN_LAST_USED_INTERVAL)
    if token.last_used_at is None or now - token.last_used_at >= interval:
        # update() rather than save(): no race with an admin editing the token, no signals.
        APIToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
