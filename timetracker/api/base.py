"""The base of every API view (v1, Teamwork, Codebase): rate limits and input hygiene before the handler."""

from rest_framework import exceptions
from rest_framework.views import APIView as DRFAPIView

from apitokens.models import APIToken

from . import ratelimit
from .authentication import is_staff_session


class APIViewMixin:
    """Counts each request against its token's (or staff session's; without either, its IP's) rate limits
    and adds ``X-RateLimit-*`` headers to every response to an authenticated request.

    Set ``rate_limited = False`` on a view that load balancers poll (health).
    """

    rate_limited = True

    def initial(self, request, *args, **kwargs):
        if any("\x00" in name or any("\x00" in value for value in values)
               for name, values in request.query_params.lists()):
            raise exceptions.ParseError("Query parameters must not contain NUL characters.")
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        if not self.rate_limited:
            return super().perform_authentication(request)
        try:
            request.user  # authenticates
        except exceptions.APIException:
            ratelimit.count_anonymous_request(request)  # a wrong token: slow down whoever is guessing
            raise
        if isinstance(request.auth, APIToken):
            client = f"token:{request.auth.pk}"
        elif is_staff_session(request):
            client = f"session:{request.user.pk}"
        else:
            ratelimit.count_anonymous_request(request)
            return
        try:
            request.rate_limit_window = ratelimit.count_client_request(request, client)
        except ratelimit.RateLimitExceeded as exc:
            request.rate_limit_window = exc.window
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        window = getattr(request, "rate_limit_window", None)
        if window is not None:
            for header, value in window.headers().items():
                response[header] = value
        return response


class APIView(APIViewMixin, DRFAPIView):
    """A hand-written API view."""
