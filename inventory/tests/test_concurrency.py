"""Concurrent transfers on a real database: the row locks keep stock from going below zero."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from inventory.models import StockLevel, StockMovement

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent transactions and row locks need PostgreSQL (set DATABASE_URL)",
)


def concurrent_transfers(token, body, count):
    barrier = threading.Barrier(count)
    statuses, errors = [], []

    def transfer():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        try:
            barrier.wait()
            response = client.post("/api/v1/inventory/transfers", body, format="json")
            statuses.append(response.status_code)
            if response.status_code != 201:
                errors.append(response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=transfer) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses), errors


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_transfers_of_1_from_10_leave_exactly_0(
    make_user, make_token, create_item, create_warehouse, purchase
):
    user = make_user("mover")
    token = make_token(user, ["write:inventory"])
    item, source, target = create_item(), create_warehouse("FROM"), create_warehouse("TO")
    purchase(item, source, 10, "8.00", user=user)
    body = {"stock_item_id": item.pk, "from_warehouse_id": source.pk, "to_warehouse_id": target.pk, "quantity": 1}

    statuses, errors = concurrent_transfers(token, body, 20)

    assert statuses == [201] * 10 + [400] * 10
    assert all(error["errors"]["quantity"][0].startswith("Not enough stock in FROM: 0 available") for error in errors)
    levels = dict(StockLevel.objects.filter(item=item).values_list("warehouse__code", "quantity"))
    assert levels == {"FROM": Decimal(0), "TO": Decimal(10)}
    moves = StockMovement.objects.filter(item=item).exclude(movement_type="purchase")
    assert moves.filter(movement_type="transfer_out").count() == moves.filter(movement_type="transfer_in").count() == 10
    assert moves.values("reference_id").distinct().count() == 10
    # Replaying the ledger in order, the source never went below zero.
    running = Decimal(0)
    for quantity in StockMovement.objects.filter(item=item, warehouse=source).order_by("id").values_list(
        "quantity", flat=True
    ):
        running += quantity
        assert running >= 0
