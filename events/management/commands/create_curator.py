"""Create a curator (or make an existing user one) and print the password and API token to use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from events.accounts import curator_account_ensure


class Command(BaseCommand):
    help = (
        "Create the curator USERNAME (staff, in the curators group) with a random password, or make an "
        "existing user a curator; print the password (new accounts only) and an API token."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        try:
            account = curator_account_ensure(username=username)
        except ValidationError as error:
            raise CommandError(f"{username!r} cannot be a username: {' '.join(error.messages)}") from error
        port = settings.PORT
        lines = [f'{username} is a curator (staff, in the "curators" group).']
        if account.password:
            lines.append(
                f"  Desk:  http://127.0.0.1:{port}/admin/  username {username}, password {account.password}"
            )
            lines.append("         (shown once: change it on the desk, top right, 'Change password')")
        else:
            lines.append(f"  Desk:  http://127.0.0.1:{port}/admin/  with {username}'s existing password")
        lines.append(f"  API token: {account.token}")
        lines.append(
            f'  e.g. curl -H "Authorization: Token {account.token}" http://127.0.0.1:{port}/api/v1/events/'
            "?status=draft"
        )
        self.stdout.write("\n".join(lines))
