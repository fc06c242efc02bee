"""A URLconf for tests: a view that forgot to declare ``scope_resource``."""

from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView


class ViewWithoutScopeResource(APIView):
    def get(self, request):
        return Response({"secret": "should never be served"})


urlpatterns = [path("api/v1/misconfigured", ViewWithoutScopeResource.as_view())]
