"""Page-number pagination in the v1 shape: the resource-named list plus a ``pagination`` object."""

import math

from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from timetracker.counts import page_with_total

from .params import positive_int_param

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100


def _integer(description, *, nullable=False, minimum=0):
    return {"type": "integer", "minimum": minimum, "description": description, **({"nullable": True} if nullable else {})}


# The ``pagination`` object of every list response, as OpenAPI describes it (timetracker.api.schema).
PAGINATION_SCHEMA = {
    "type": "object",
    "properties": {
        "page": _integer("This page's number.", minimum=1),
        "per_page": _integer("Items per page.", minimum=1),
        "total": _integer("Items on all pages."),
        "pages": _integer("Number of pages (0 without items)."),
        "has_next": {"type": "boolean"},
        "has_prev": {"type": "boolean"},
        "next_page": _integer("The next page's number, null on the last.", nullable=True, minimum=2),
        "prev_page": _integer("The previous page's number, null on the first.", nullable=True, minimum=1),
    },
    "required": ["page", "per_page", "total", "pages", "has_next", "has_prev", "next_page", "prev_page"],
}


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

    list_key = "results"  # the view's list_key, set when paginating (and by the schema generator)
    # A view may set ``count_cache`` to the data version its totals depend on (timetracker.counts).

    def paginate_queryset(self, queryset, request, view=None):
        self.list_key = view.list_key
        self.page = positive_int_param(request, "page", 1)
        self.per_page = min(positive_int_param(request, "per_page", DEFAULT_PER_PAGE), MAX_PER_PAGE)
        rows, self.total = page_with_total(
            queryset, offset=(self.page - 1) * self.per_page, size=self.per_page,
            count_name=getattr(view, "count_cache", None),
        )
        return rows

    def get_paginated_response(self, data):
        meta = pagination_meta(page=self.page, per_page=self.per_page, total=self.total)
        return Response({self.list_key: data, "pagination": meta})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {self.list_key: schema, "pagination": {"$ref": "#/components/schemas/Pagination"}},
            "required": [self.list_key, "pagination"],
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": "page", "required": False, "in": "query", "description": "Page number (default 1).",
             "schema": {"type": "integer", "minimum": 1}},
            {"name": "per_page", "required": False, "in": "query",
             "description": f"Items per page (default {DEFAULT_PER_PAGE}; larger values are clamped to {MAX_PER_PAGE}).",
             "schema": {"type": "integer", "minimum": 1}},
        ]
