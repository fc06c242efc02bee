"""Every inventory endpoint and method, with a request it accepts, for the tests that sweep them all."""

import pytest

BASE = "/api/v1/inventory"

# (method, path template, body template); {item}, {warehouse}, {other}, {reference} come from the `world` fixture.
ENDPOINTS = [
    ("get", "/items", None),
    ("post", "/items", {"sku": "NEW-1", "name": "Tripod"}),
    ("get", "/items/{item}", None),
    ("put", "/items/{item}", {"name": "Camera body"}),
    ("patch", "/items/{item}", {"reorder_point": 3}),
    ("delete", "/items/{item}", None),
    ("get", "/warehouses", None),
    ("post", "/warehouses", {"code": "NEW", "name": "New warehouse"}),
    ("get", "/warehouses/{warehouse}", None),
    ("put", "/warehouses/{warehouse}", {"name": "Main store"}),
    ("patch", "/warehouses/{warehouse}", {"address": "1 Dock Road"}),
    ("delete", "/warehouses/{warehouse}", None),
    ("get", "/stock-levels", None),
    ("post", "/movements", {"stock_item_id": "{item}", "warehouse_id": "{warehouse}", "movement_type": "purchase",
                            "quantity": 1, "unit_cost": 8}),
    ("get", "/transfers", None),
    ("post", "/transfers", {"stock_item_id": "{item}", "from_warehouse_id": "{warehouse}",
                            "to_warehouse_id": "{other}", "quantity": 1}),
    ("get", "/transfers/{reference}", None),
    ("get", "/reports/valuation", None),
    ("get", "/reports/movement-history", None),
    ("get", "/reports/turnover", None),
    ("get", "/reports/low-stock", None),
]


def endpoint_params(methods=None):
    return [
        pytest.param(method, path, body, id=f"{method.upper()} {path}")
        for method, path, body in ENDPOINTS
        if methods is None or method in methods
    ]


READ_ENDPOINTS = endpoint_params({"get"})
WRITE_ENDPOINTS = endpoint_params({"post", "put", "patch", "delete"})
ALL_ENDPOINTS = endpoint_params()


def fill(template, world):
    if isinstance(template, str):
        if template.startswith("{") and template.endswith("}") and template[1:-1] in world:
            return world[template[1:-1]]  # a whole-value placeholder keeps the id's type
        return template.format(**world)
    if isinstance(template, dict):
        return {key: fill(value, world) for key, value in template.items()}
    return template


def call(client, method, path, body=None, world=None, **extra):
    """Send ``method`` to the inventory ``path`` (placeholders filled from ``world``)."""
    world = world or {}
    url = BASE + fill(path, world)
    if method == "get":
        return client.get(url, fill(body, world), **extra)
    return getattr(client, method)(url, fill(body, world), format="json", **extra)
