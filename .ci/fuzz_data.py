"""Data for .ci/fuzz (run with `manage.py shell`): a staff user, a client, projects, tasks, time entries, and
inventory switched on with an item, two warehouses, stock and a transfer. Prints an admin:all token."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from apitokens.scopes import ADMIN_ALL
from apitokens.services import api_token_create
from inventory import services as inventory
from projects import services as projects
from projects.models import Tasklist
from timeentries import services as entries
from timetracker.models import SiteSettings

user = get_user_model().objects.create_user("fuzz", email="fuzz@example.com", password=None, is_staff=True,
                                            first_name="Fuzz", last_name="Tester")
colleague = get_user_model().objects.create_user("colleague", password=None)
client = projects.client_create(name="Acme Corp", email="contact@acme.example", company="Acme Corporation")
project = projects.project_create(name="Website Redesign", permalink="website", client=client,
                                  hourly_rate=Decimal("75.00"))
projects.project_create(name="Old Project", permalink="old")
tasklist = Tasklist.objects.create(project=project, name="Launch")
task = projects.task_create(project=project, name="Update homepage", tasklist=tasklist, estimated_minutes=120)
start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=2)
for day, person in enumerate([user, user, colleague]):
    begin = start - datetime.timedelta(days=day)
    entries.time_entry_create(user=person, project=project, task=task, start_time=begin,
                              end_time=begin + datetime.timedelta(hours=2), notes="Worked on the homepage",
                              tags=["development", "frontend"])

settings = SiteSettings.load()
settings.inventory_enabled = True
settings.save()
main = inventory.warehouse_create(code="MAIN", name="Main warehouse")
spare = inventory.warehouse_create(code="SPARE", name="Spare room")
item = inventory.stock_item_create(sku="CAM-1", name="Camera", category="Video", unit_cost=Decimal("80.00"),
                                   reorder_point=Decimal("5"))
inventory.stock_movement_record(item=item, warehouse=main, movement_type="purchase", quantity=Decimal("10"),
                                unit_cost=Decimal("80.00"), notes="", user=user)
inventory.stock_transfer(item=item, from_warehouse=main, to_warehouse=spare, quantity=Decimal("2"), user=user)

print(api_token_create(user=user, name="fuzz", scopes=[ADMIN_ALL])[1])
