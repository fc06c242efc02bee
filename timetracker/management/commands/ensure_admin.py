import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the first admin account if the database has none, and print its password once."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            return
        password = secrets.token_urlsafe(16)
        User.objects.create_superuser(username=options["username"], email="", password=password)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    "Created the first admin account (this password is shown only once):",
                    f"  username: {options['username']}",
                    f"  password: {password}",
                    "Log in at http://127.0.0.1:8000/admin/ and change it under Users.",
                    "",
                ]
            )
        )
