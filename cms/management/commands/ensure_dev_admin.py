"""`python manage.py ensure_dev_admin`: a superuser for local development.

The password is random on first run and kept in var/dev-admin-password (readable by
the owner only), so `make run` can print the same login every time.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or refresh the local development admin and print its login."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "ensure_dev_admin is for development only (DEBUG is off); "
                "use `manage.py createsuperuser` in production."
            )
        username = options["username"]
        password_file = Path(settings.VAR_DIR) / "dev-admin-password"
        password = os.environ.get("DEV_ADMIN_PASSWORD", "")
        if not password and password_file.exists():
            password = password_file.read_text().strip()
        if not password:
            password = secrets.token_urlsafe(12)
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password + "\n")
        password_file.chmod(0o600)

        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.org", "first_name": "Demo"},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Refreshed"
        self.stdout.write(f"{verb} dev admin: user '{username}', password '{password}'")
