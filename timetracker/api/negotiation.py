"""JSON for API clients; the browsable HTML API only for staff browsing in their admin session."""

from rest_framework.negotiation import DefaultContentNegotiation
from .parsers import JSONParser
from rest_framework.renderers import JSONRenderer


def is_staff_browser(request) -> bool:
    # Content negotiation runs before DRF authenticates, so look at what the session middleware found,
    # and at whether a token was presented (a token request is an API client, whatever its cookies).
    meta = request.META
    if meta.get("HTTP_AUTHORIZATION") or meta.get("HTTP_X_API_KEY"):
        return False
    user = getattr(request._request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


class APIContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if not is_staff_browser(request):
            # JSON whatever the Accept header asks for: the API has no other representation for clients.
            for renderer in renderers:
                if isinstance(renderer, JSONRenderer):
                    return renderer, renderer.media_type
        return super().select_renderer(request, renderers, format_suffix)

    def select_parser(self, request, parsers):
        # Form bodies are for the browsable API's HTML forms; API clients send JSON.
        if not is_staff_browser(request):
            parsers = [parser for parser in parsers if isinstance(parser, JSONParser)]
        return super().select_parser(request, parsers)
