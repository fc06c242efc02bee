"""How API clients prove who they are: scoped API tokens, or a staff member's admin session."""

import base64
import binascii

from rest_framework import authentication, exceptions

from apitokens.services import api_token_authenticate, looks_like_token


class InvalidToken(exceptions.AuthenticationFailed):
    error = "Invalid token"
    default_detail = "The provided API token is invalid or expired"


def token_from_request(request) -> str | None:
    """The token the client presented, "" if it presented malformed credentials, None if none at all.

    Accepted: ``Authorization: Bearer <token>``, ``X-API-Key: <token>``, and HTTP Basic with the
    token as the username (Teamwork clients) or as the password (Codebase clients).
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        scheme, _, credentials = header.strip().partition(" ")
        credentials = credentials.strip()
        if scheme.lower() == "bearer":
            return credentials
        if scheme.lower() == "basic":
            return _token_from_basic(credentials)
        return ""
    api_key = request.META.get("HTTP_X_API_KEY")
    if api_key is not None:
        return api_key.strip()
    return None


def _token_from_basic(credentials: str) -> str:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""
    username, _, password = decoded.partition(":")
    for candidate in (username, password):
        if looks_like_token(candidate):
            return candidate
    return ""


class APITokenAuthentication(authentication.BaseAuthentication):
    """Authenticates ``tt_`` tokens; sets ``request.auth`` to the APIToken."""

    def authenticate(self, request):
        plaintext = token_from_request(request)
        if plaintext is None:
            return None
        token = api_token_authenticate(plaintext)
        if token is None:
            raise InvalidToken()
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """Lets staff logged in to the admin use the browsable API; nobody else gets session access."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active or not user.is_staff:
            return None
        self.enforce_csrf(request)
        return user, None


def is_staff_session(request) -> bool:
    """Whether a staff member's admin session (not a token) authenticated this request."""
    return isinstance(request.successful_authenticator, StaffSessionAuthentication) and request.user.is_staff
