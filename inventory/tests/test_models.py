"""What the database itself guarantees, whatever code writes to it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inventory.models import StockLevel, StockMovement
from timetracker.models import SiteSettings


def test_stock_level_cannot_be_negative_in_the_database(item, warehouse):
    level = StockLevel.objects.create(item=item, warehouse=warehouse, quantity=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.filter(pk=level.pk).update(quantity=Decimal("-0.001"))


def test_one_stock_level_per_item_and_warehouse(item, warehouse):
    StockLevel.objects.create(item=item, warehouse=warehouse, quantity=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StockLevel.objects.create(item=item, warehouse=warehouse, quantity=2)


def test_movement_of_zero_is_refused_by_the_database(item, warehouse):
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(item=item, warehouse=warehouse, movement_type="adjustment", quantity=0)


def test_movements_are_append_only(item, warehouse, purchase):
    movement = purchase(item, warehouse, 1, "8.00")
    movement.notes = "rewritten"

    with pytest.raises(ValueError, match="append-only"):
        movement.save()


def test_item_currency_code_must_be_three_capital_letters(create_item):
    item = create_item(currency_code="eur")

    with pytest.raises(ValidationError) as excinfo:
        item.full_clean()

    assert "currency_code" in excinfo.value.message_dict


def test_site_settings_are_one_row(settings):
    SiteSettings.objects.all().delete()
    settings.DEFAULT_CURRENCY = "CHF"

    first = SiteSettings.load()
    second = SiteSettings.load()
    SiteSettings(inventory_enabled=True).save()  # any save writes the one row

    assert first.pk == second.pk == SiteSettings.SINGLETON_PK
    assert SiteSettings.objects.count() == 1
    assert (first.default_currency, SiteSettings.load().inventory_enabled) == ("CHF", True)
