import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from timetracker.webhooks.services import deliveries_requeue_due


class Command(BaseCommand):
    help = (
        "Enqueue webhook deliveries whose task was lost (a worker killed mid-attempt, a queue that was down). "
        "Run it beside the task worker with --loop, or from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Keep running, one pass every --interval seconds.")
        parser.add_argument("--interval", type=float, default=60, help="Seconds between passes (default 60).")

    def handle(self, *, loop, interval, verbosity, **options):
        while True:
            close_old_connections()
            count = deliveries_requeue_due()
            if count and verbosity:
                self.stdout.write(f"Enqueued {count} due webhook deliveries.")
            if not loop:
                return
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
