"""The ``data`` of a webhook payload: the resource as API v1 renders it.

A small registry, model → render function. Each function imports its v1 serializer when first called (the
domain apps import the webhooks services, so importing their API modules here at load time would be
circular), and renders without a request: these serializers need one only to read input.
"""

from django.db.models import Model

_RENDERERS = {}


def renders(model_label: str):
    def register(function):
        _RENDERERS[model_label] = function
        return function

    return register


def render(instance: Model) -> dict:
    try:
        function = _RENDERERS[instance._meta.label]
    except KeyError:
        raise LookupError(f"No webhook renderer for {instance._meta.label}; add one to {__name__}") from None
    return function(instance)


@renders("timeentries.TimeEntry")
def time_entry(entry):
    from timeentries.api.serializers import TimeEntrySerializer

    return TimeEntrySerializer(entry).data


@renders("projects.Project")
def project(project):
    from projects.api.serializers import ProjectSerializer

    return ProjectSerializer(project).data


@renders("projects.Task")
def task(task):
    from projects.api.serializers import TaskSerializer

    return TaskSerializer(task).data


@renders("projects.Client")
def client(client):
    from projects.api.serializers import ClientSerializer

    return ClientSerializer(client).data


@renders("inventory.StockMovement")
def transfer(movement):
    """A transfer, given either half, as ``GET /inventory/transfers/{reference_id}`` renders it."""
    from inventory import selectors
    from inventory.api.serializers import TransferSerializer

    return TransferSerializer(selectors.transfers().get(reference_id=movement.reference_id)).data


@renders("inventory.StockItem")
def stock_item(item):
    """The item as ``GET /inventory/items/{id}`` renders it, with its stock on hand (all warehouses) and its
    shortfall against the reorder point, as the low-stock report counts them."""
    from django.db.models import Sum

    from inventory.api.serializers import StockItemSerializer

    on_hand = item.levels.aggregate(total=Sum("quantity"))["total"] or 0
    return {
        **StockItemSerializer(item).data,
        "quantity_on_hand": float(on_hand),
        "shortfall": float(max(item.reorder_point - on_hand, 0)),
    }
