"""The role rules as object permissions (django-rules): rules.has_perm — what the views ask —
answers exactly what the rule functions answer, for every role and status, and grants nothing
without an object. Django's user.has_perm agrees too, except that Django lets a superuser do
everything (which is why the views ask rules.has_perm: a frozen mapping binds administrators)."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from samarbeid.registry.models import Arrangement
from samarbeid.registry.rules import PERMISSIONS
from tests.conftest import _Null


@pytest.fixture
def users(loaded_example, settings):
    call_command("create_demo_users", stdout=_Null())
    return [AnonymousUser(), *get_user_model().objects.order_by("username")]


def test_has_perm_is_the_rule(users, loaded_example):
    arrangements = list(
        Arrangement.objects.filter(mapping=loaded_example, ref__in=["BUS21-007", "BUS21-010"])
    )
    granted = set()
    for status in ("utkast", "kontroll", "frosset"):
        loaded_example.status = status
        for arrangement in arrangements:
            arrangement.mapping = loaded_example
        for name, rule in PERMISSIONS.items():
            objects = (
                arrangements
                if name.endswith("_arrangement") and "add" not in name
                else [loaded_example]
            )
            if name == "registry.restore_arrangement":
                objects = [loaded_example]
            for user in users:
                for obj in objects:
                    expected = bool(rule(user, obj))
                    assert rules.has_perm(name, user, obj) is expected, (name, user, obj, status)
                    if not getattr(user, "is_superuser", False):
                        assert user.has_perm(name, obj) is expected
                    if expected:
                        granted.add((name, getattr(user, "username", "")))
                assert rules.has_perm(name, user) is False  # no object, no permission
    # The check above is not vacuous: each permission is granted to someone, refused to someone.
    assert {name for name, _user in granted} == set(PERMISSIONS)
    assert ("registry.view_mapping", "") in granted  # the public reads a mapping in verification
    assert ("registry.change_arrangement", "tinn") in granted
    assert ("registry.change_mapping_status", "tinn") not in granted
