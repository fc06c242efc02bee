"""Page-number pagination in the v1 shape: the resource-named list plus a ``pagination`` object."""

import math

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from .params import positive_int_param

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


def pagination_meta(*, page, per_page, total) -> dict:
    pages = math.ceil(total / per_page)
    has_next = page < pages
    has_prev = page > 1
    return {
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": pages,
        "has_next": has_next,
        "has_prev": has_prev,
        "next_page": page + 1 if has_next else None,
        "prev_page": page - 1 if has_prev else None,
    }


class PagePagination(BasePagination):
    """``page`` (default 1) and ``per_page`` (default 50, clamped to 100); a page past the end is empty."""

    def paginate_queryset(self, queryset, request, view=None):
        self.list_key = view.list_key
        self.page = positive_int_param(request, "page", 1)
        self.per_page = min(positive_int_param(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        self.total = queryset.count()
        offset = (self.page - 1) * self.per_page
        if offset >= self.total:
            return []
        return list(queryset[offset : offset + self.per_page])

    def get_paginated_response(self, data):
        meta = pagination_meta(page=self.page, per_page=self.per_page, total=self.total)
        return Response({self.list_key: data, "pagination": meta})

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "description": "Page number (default 1).",
             "schema": {"type": "integer", "minimum": 1}},
            {"name": "per_page", "required": False, "in": "query",
             "description": f"Items per page (default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE}).",
             "schema": {"type": "integer", "minimum": 1}},
        ]
