"""Site-wide v1 endpoints: info, health, the current user, and JSON answers for unknown URLs."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.defaults import page_not_found, server_error
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response

from apitokens.models import APIToken
from apitokens.scopes import ADMIN_ALL
from timetracker.access import is_admin
from timetracker.dates import utc_text
from timetracker.models import user_timezone

from .base import APIView
from .exceptions import error_body, error_response


class InfoSerializer(serializers.Serializer):
    api_version = serializers.CharField()
    app_version = serializers.CharField()
    documentation_url = serializers.CharField()
    endpoints = serializers.DictField(child=serializers.CharField(), help_text="Name → path of the main endpoints.")


class InfoView(APIView):
    """API version and the main endpoints. No authentication."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="API version and endpoints", responses=InfoSerializer)
    def get(self, request):
        return Response(
            {
                "api_version": "v1",
                "app_version": settings.APP_VERSION,
                "documentation_url": "/api/docs",
                "endpoints": {
                    "projects": "/api/v1/projects",
                    "time_entries": "/api/v1/time-entries",
                    "tasks": "/api/v1/tasks",
                    "clients": "/api/v1/clients",
                    "timer": "/api/v1/timer/status",
                    "search": "/api/v1/search",
                    "reports": "/api/v1/reports/summary",
                    "inventory": "/api/v1/inventory/items",
                    "users_me": "/api/v1/users/me",
                    "health": "/api/v1/health",
                    "teamwork": "/teamwork/time_entries.json",
                    "codebase": "/codebase/{project}/time_sessions",
                },
            }
        )


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["healthy"])
    database = serializers.ChoiceField(choices=["ok"])
    timestamp = serializers.DateTimeField()


class UnhealthySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["unhealthy"])
    database = serializers.ChoiceField(choices=["unreachable"])
    timestamp = serializers.DateTimeField()
    error = serializers.CharField()
    message = serializers.CharField()
    error_code = serializers.ChoiceField(choices=["unhealthy"])


class HealthView(APIView):
    """Whether the API can serve: 200 ``healthy``, or 503 ``unhealthy`` when the database is unreachable."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    rate_limited = False  # load balancers poll it

    @extend_schema(
        summary="Health check",
        responses={200: HealthSerializer, 503: OpenApiResponse(UnhealthySerializer, "The database cannot be reached.")},
    )
    def get(self, request):
        now = utc_text(timezone.now())
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            body = error_body(
                503, "The database cannot be reached", error="Service unhealthy", error_code="unhealthy"
            )
            return Response({"status": "unhealthy", "database": "unreachable", "timestamp": now, **body}, status=503)
        return Response({"status": "healthy", "database": "ok", "timestamp": now})


class CurrentUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    timezone = serializers.SerializerMethodField()
    is_admin = serializers.SerializerMethodField()

    def get_timezone(self, user) -> str:
        return str(user_timezone(user))

    def get_is_admin(self, user) -> bool:
        return is_admin(user)


class CurrentUserResponseSerializer(serializers.Serializer):
    user = CurrentUserSerializer()
    scopes = serializers.ListField(child=serializers.CharField(), help_text="The token's scopes.")


class CurrentUserView(APIView):
    """The user the token authenticates as, and the token's scopes."""

    scope_resource = "users"

    @extend_schema(summary="The current user", responses=CurrentUserResponseSerializer)
    def get(self, request):
        token = request.auth
        token_scopes = sorted(token.scopes) if isinstance(token, APIToken) else [ADMIN_ALL]
        return Response({"user": CurrentUserSerializer(request.user).data, "scopes": token_scopes})


@csrf_exempt  # an API client has no CSRF cookie; it must get the JSON 404, not a CSRF page
def api_not_found(request, *args, **kwargs):
    return error_response(404, f"No API endpoint at {request.path}")


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return api_not_found(request)
    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return error_response(500, "An unexpected error occurred. It has been logged.")
    return server_error(request)
