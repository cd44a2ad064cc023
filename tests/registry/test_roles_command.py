"""``samarbeid rolle``: give, show and take away roles; clear messages for every bad input."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from samarbeid.commandbase import UserError
from samarbeid.registry import permissions
from samarbeid.registry.models import RoleAssignment


def rolle(*args: str) -> str:
    out = io.StringIO()
    call_command("roles", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip()


@pytest.fixture
def kari(loaded_example):
    return get_user_model().objects.create_user("kari", password="x")


def test_give_show_and_take_away(kari, loaded_example):
    assert rolle("kari") == "kari: Uten rolle (offentlig innsyn)"
    assert rolle("kari", "--kartlegger", "Buskerud 2021") == "kari: Kartlegger for Buskerud 2021"
    assert permissions.can_manage_mapping(kari, loaded_example)
    rolle("kari", "--kommune", "3006", "--kartlegging", "Buskerud 2021")
    rolle("kari", "--kommune", "Tinn")
    rolle("kari", "--leser")
    shown = rolle("kari")
    assert "Kommuneredaktør for Kongsberg i Buskerud 2021" in shown
    assert "Kommuneredaktør for Tinn" in shown and "Leser for alle" in shown
    rolle("kari", "--kartlegger", "Buskerud 2021")  # again: nothing new
    assert RoleAssignment.objects.filter(user=kari).count() == 4
    rolle("kari", "--kartlegger", "Buskerud 2021", "--fjern")
    assert not permissions.can_manage_mapping(
        get_user_model().objects.get(username="kari"), loaded_example
    )
    assert RoleAssignment.objects.filter(user=kari).count() == 3


def test_create_a_user_without_a_password(loaded_example):
    assert rolle("ny", "--opprett", "--leser", "Buskerud 2021") == "ny: Leser for Buskerud 2021"
    assert not get_user_model().objects.get(username="ny").has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nn", "--leser"), "Fant ingen bruker «nn» (--opprett oppretter den)."),
        (
            ("kari", "--kartlegger", "Finnes ikke"),
            "Fant ingen kartlegging «Finnes ikke». Kartlegginger: «Buskerud 2021».",
        ),
        (("kari", "--kommune", "Hjardal"), "Fant ikke én kommune «Hjardal»"),
        (("kari", "--kommune", "Våler"), "Mulige: Våler (3114), Våler (3419)."),
        (("kari", "--kartlegging", "Buskerud 2021"), "--kartlegging hører til --kommune."),
        (("kari", "--fjern"), "Oppgi rollen"),
        (("kari", "--leser", "--fjern"), "«kari» har ikke den rollen."),
    ],
)
def test_bad_input_says_what_is_wrong(kari, args, message):
    with pytest.raises(UserError, match=None) as raised:
        rolle(*args)
    assert message in str(raised.value)
    assert not RoleAssignment.objects.exists()
