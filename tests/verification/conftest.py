"""Fixtures of the verification tests: the Buskerud 2021 example, a mapping editor, municipality
editors of Hjartdal (with an e-mail address) and Tinn (without), and an open round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from samarbeid.registry import permissions
from samarbeid.registry.models import Municipality

PASSWORD = "Kontroll-2021!"
HJARTDAL = "0827@"  # entity key; number 3819 in the mapping
TINN = "0826@"  # number 3818


def make_user(username: str, email: str = "", full_name: str = "") -> User:
    first, _, last = full_name.partition(" ")
    return User.objects.create_user(
        username, email=email, password=PASSWORD, first_name=first, last_name=last
    )


def make_mapping_editor(mapping, username: str = "kari") -> User:
    user = make_user(username, f"{username}@kartlegging.example", "Kari Kartlegger")
    permissions.grant(user, "kartlegger", mapping=mapping)
    return user


def make_municipality_editor(key: str, username: str, email: str = "", name: str = "") -> User:
    user = make_user(username, email, name)
    permissions.grant(user, "kommune", municipality=Municipality.objects.get(key=key))
    return user


@pytest.fixture
def mapping(loaded_example):
    return loaded_example


@pytest.fixture
def editor(mapping):
    return make_mapping_editor(mapping)


@pytest.fixture
def hjartdal(mapping):
    return make_municipality_editor(
        HJARTDAL, "hilde", "hilde@hjartdal.kommune.example", "Hilde Hjartdal"
    )


@pytest.fixture
def tinn(mapping):
    return make_municipality_editor(TINN, "tor")  # no e-mail address


@pytest.fixture
def deadline() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture
def round_(mapping, editor, hjartdal, tinn, deadline):
    from samarbeid.verification import services

    return services.open_round(
        mapping, user=editor, deadline=deadline, message="Se særlig etter vertskommune."
    )
