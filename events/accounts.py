"""Accounts: a curator is a staff user in the curators group, with a desk password and an API token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from events.permissions import curators_group


@dataclass(frozen=True)
class CuratorAccount:
    user: AbstractBaseUser
    token: str
    password: str | None  # set only when the account was created now; it is shown once


@transaction.atomic
def curator_account_ensure(*, username: str) -> CuratorAccount:
    """Make ``username`` a curator: create the user (with a random password) if there is none, make it
    staff, add it to the curators group, and give it an API token (its existing one if it has one)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(username=username)
        user.full_clean(exclude=["password"])
        user.set_password(password)
    user.is_staff = True
    user.save()
    user.groups.add(curators_group())
    token, _ = Token.objects.get_or_create(user=user)
    return CuratorAccount(user=user, token=token.key, password=password)
