from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from apitokens.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token and print it (alone, on stdout, once)."

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username the token authenticates as.")
        parser.add_argument("--scopes", required=True, help="Comma-separated scopes, e.g. read:projects,write:time_entries")
        parser.add_argument("--name", default="Command-line token")
        parser.add_argument("--description", default="")
        parser.add_argument("--expires-in", type=int, dest="expires_in", metavar="DAYS")

    def handle(self, *args, **options):
        try:
            user = get_user_model().objects.get(username=options["user"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {options['user']!r}.") from None
        scopes = [scope.strip() for scope in options["scopes"].split(",") if scope.strip()]
        try:
            _, plaintext = api_token_create(
                user=user, name=options["name"], description=options["description"], scopes=scopes,
                expires_in_days=options["expires_in"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(plaintext)
