"""Who may do what in a round, as object permissions (django-rules): each permission of
samarbeid.verification.rules is granted to the roles that have it and refused to the others, for
an open round, a closed round and a frozen mapping; and the services ask these permissions."""

from __future__ import annotations

import pytest
import rules
from django.contrib.auth.models import AnonymousUser, User

from samarbeid.registry import permissions
from samarbeid.verification import services
from samarbeid.verification.models import MunicipalityResponse
from samarbeid.verification.rules import PERMISSIONS, register

from .conftest import HJARTDAL, PASSWORD, TINN, make_user

pytestmark = pytest.mark.django_db

ON_MAPPING = ("verification.manage_round", "verification.decide", "verification.follow_round")
ON_RESPONSE = ("verification.view_list", "verification.respond")


@pytest.fixture
def users(editor, hjartdal, tinn) -> dict[str, object]:
    reader = make_user("lea")
    permissions.grant(reader, "leser")
    admin = User.objects.create_superuser("ada", password=PASSWORD)
    return {
        "kartlegger": editor,
        "hjartdal": hjartdal,
        "tinn": tinn,
        "leser": reader,
        "admin": admin,
        "offentlig": AnonymousUser(),
    }


def response(round_, key: str) -> MunicipalityResponse:
    return MunicipalityResponse.objects.select_related(
        "round__mapping", "municipality", "period"
    ).get(round=round_, municipality__key=key)


def granted(name: str, users: dict[str, object], obj) -> set[str]:
    return {who for who, user in users.items() if rules.has_perm(name, user, obj)}


def test_the_permissions_are_registered():
    assert set(PERMISSIONS) == set(ON_MAPPING) | set(ON_RESPONSE)
    for name in PERMISSIONS:
        assert rules.perm_exists(name), name


def test_mapping_permissions_while_a_round_is_open(round_, mapping, users):
    for name in ON_MAPPING:
        assert granted(name, users, mapping) == {"kartlegger", "admin"}, name
        assert not rules.has_perm(name, users["kartlegger"])  # no object, no permission


def test_a_frozen_mapping_is_followed_but_not_managed(round_, mapping, users):
    mapping.status = "frosset"
    mapping.save()
    assert granted("verification.manage_round", users, mapping) == set()
    assert granted("verification.decide", users, mapping) == set()
    assert granted("verification.follow_round", users, mapping) == {"kartlegger", "admin"}
    # Django's user.has_perm lets a superuser do everything; the rounds ask rules.has_perm.
    assert users["admin"].has_perm("verification.manage_round", mapping)
    assert not services.can_manage(users["admin"], mapping)


def test_response_permissions_while_the_round_is_open(round_, users):
    own, other = response(round_, HJARTDAL), response(round_, TINN)
    for name in ON_RESPONSE:
        assert granted(name, users, own) == {"kartlegger", "admin", "hjartdal"}, name
        assert granted(name, users, other) == {"kartlegger", "admin", "tinn"}, name
        assert not rules.has_perm(name, users["hjartdal"])  # no object, no permission


def test_a_closed_round_is_seen_but_not_answered(round_, users, editor):
    services.close_round(round_, user=editor)
    own = response(round_, HJARTDAL)
    assert granted("verification.view_list", users, own) == {"kartlegger", "admin", "hjartdal"}
    assert granted("verification.respond", users, own) == set()


def test_a_frozen_mapping_keeps_its_lists_readable_and_closed_to_answers(round_, mapping, users):
    mapping.status = "frosset"
    mapping.save()
    own = response(round_, HJARTDAL)
    assert granted("verification.view_list", users, own) == {"kartlegger", "admin", "hjartdal"}
    assert granted("verification.respond", users, own) == set()


def test_the_services_ask_the_registered_permissions(round_, mapping, hjartdal, editor):
    own = response(round_, HJARTDAL)
    checks = {
        "verification.manage_round": lambda: services.can_manage(editor, mapping),
        "verification.decide": lambda: services.can_decide(editor, mapping),
        "verification.follow_round": lambda: services.can_follow(editor, mapping),
        "verification.view_list": lambda: services.can_view_list(hjartdal, own),
        "verification.respond": lambda: services.can_respond(hjartdal, own),
    }
    assert set(checks) == set(PERMISSIONS)
    assert all(check() for check in checks.values())
    try:
        for name in PERMISSIONS:
            rules.set_perm(name, rules.always_deny)
        assert not any(check() for check in checks.values())
        with pytest.raises(services.NotAllowed):
            services.confirm(own, user=hjartdal)
    finally:
        register()
    assert all(check() for check in checks.values())
