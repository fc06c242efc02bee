"""The base viewset of every v1 resource: envelopes, and writes delegated to the app's services."""

from django.db import transaction
from rest_framework import status, viewsets

from .base import APIViewMixin
from rest_framework.response import Response


class ResourceViewSet(APIViewMixin, viewsets.ModelViewSet):
    """One resource: ``{"project": {...}}``, ``{"message", "project"}`` on writes, ``{"message"}`` on delete.

    Subclasses set ``queryset``, ``serializer_class``, ``filterset_class``, ``scope_resource``,
    ``item_key`` / ``list_key``, and implement the three write hooks by calling a service.
    PUT and PATCH both take a partial body. Each write runs in one transaction: an error
    anywhere in it leaves the database as it was.
    """

    item_key: str
    list_key: str
    lookup_value_regex = r"\d+"

    @property
    def noun(self) -> str:
        return self.item_key.replace("_", " ").capitalize()

    def create_instance(self, data):
        raise NotImplementedError

    def update_instance(self, instance, data):
        raise NotImplementedError

    def destroy_instance(self, instance) -> str:
        """Delete (or archive) the instance and return the message for the client."""
        raise NotImplementedError

    def filter_queryset(self, queryset):
        # Query filters narrow lists; they must not hide a resource fetched by id.
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def retrieve(self, request, *args, **kwargs):
        return Response({self.item_key: self.get_serializer(self.get_object()).data})

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = self.create_instance(serializer.validated_data)
        return Response(
            {"message": f"{self.noun} created successfully", self.item_key: self.get_serializer(instance).data},
            status=status.HTTP_201_CREATED,
        )

    @transaction.atomic
    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        instance = self.update_instance(instance, serializer.validated_data)
        return Response(
            {"message": f"{self.noun} updated successfully", self.item_key: self.get_serializer(instance).data}
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        return Response({"message": self.destroy_instance(self.get_object())})
