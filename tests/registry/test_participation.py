"""Who takes part follows the membership dates, in every place that asks: a municipality editor's
reach (the rule functions, django-rules, the web form, the API), the verification list ("Din
liste") and the analyses' memberships. One rule: registry/participation.py."""

from __future__ import annotations

import datetime as dt

import pytest
import rules
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from samarbeid.registry import permissions
from samarbeid.registry.models import Arrangement, Membership
from samarbeid.registry.participation import takes_part_on
from samarbeid.registry.snapshot import mapping_data
from tests.small import small_mapping
from tests.web.api.conftest import Api, make_token

pytestmark = pytest.mark.django_db

CUTOFF = dt.date(2021, 11, 1)
#: Flesberg is the second participant of A1 (row 1 of Deltakere); A2 keeps Flesberg without dates.
CASES = {
    "left before the mapping date": ({"ut_dato": "2001-06-30"}, False),
    "left on the mapping date": ({"ut_dato": "2021-11-01"}, False),
    "joins after it": ({"inn_dato": "2022-01-01"}, False),
    "still a member (left later)": ({"inn_dato": "1998-01-01", "ut_dato": "2023-12-31"}, True),
    "joined on the mapping date": ({"inn_dato": "2021-11-01"}, True),
    "no dates": ({}, True),
}


@pytest.mark.parametrize(
    ("joined", "left", "expected"),
    [
        (None, None, True),
        (dt.date(2000, 1, 1), None, True),
        (CUTOFF, None, True),
        (CUTOFF + dt.timedelta(days=1), None, False),
        (None, CUTOFF, False),
        (None, CUTOFF - dt.timedelta(days=1), False),
        (None, CUTOFF + dt.timedelta(days=1), True),
    ],
)
def test_the_rule(joined, left, expected) -> None:
    assert takes_part_on(CUTOFF, joined, left) is expected


def _flesberg_editor():
    flesberg = Membership.objects.filter(municipality__name="Flesberg").first().municipality
    user = get_user_model().objects.create_user("flesberg", password="x")
    permissions.grant(user, "kommune", municipality=flesberg.municipality)
    return user


@pytest.mark.parametrize("case", list(CASES))
def test_a_municipality_editors_reach_follows_the_dates(case: str) -> None:
    dates, takes_part = CASES[case]
    mapping = small_mapping(Deltakere_1=dates)
    assert mapping.cutoff_date == CUTOFF
    editor = _flesberg_editor()
    a1 = Arrangement.objects.select_related("mapping").get(mapping=mapping, ref="A1")
    a2 = Arrangement.objects.select_related("mapping").get(mapping=mapping, ref="A2")
    flesberg_key = next(iter(permissions.editable_municipalities(editor, mapping)))

    assert (flesberg_key in permissions.participant_entities(a1)) is takes_part
    assert permissions.can_edit_arrangement(editor, a1) is takes_part
    assert rules.has_perm("registry.change_arrangement", editor, a1) is takes_part
    assert permissions.can_edit_arrangement(editor, a2)  # the control: A2 has no dates

    # The analyses count by the same rule: Flesberg is among A1's members only while it takes part.
    members = mapping_data(mapping).memberships
    a1_names = set(members.loc[members["ref"] == "A1", "name"])
    assert any("Flesberg" in n for n in a1_names) is takes_part
    assert any("Kongsberg" in n for n in a1_names)

    # The web form and the API ask the same rule.
    client = Client()
    client.force_login(editor)
    page = client.get(reverse("web:edit_arrangement", args=[mapping.pk, "A1"]))
    assert page.status_code == (200 if takes_part else 403)
    api = Api(make_token("flesberg"))
    answer = api.patch(
        f"/api/kartlegginger/{mapping.pk}/ordninger/A1/",
        {"merknader": "Sjekket", "versjon": a1.version, "endringskilde": "Test"},
    )
    assert answer.status_code == (200 if takes_part else 403), answer.content


@pytest.mark.parametrize("case", ["left before the mapping date", "no dates"])
def test_the_verification_list_follows_the_dates(case: str) -> None:
    from samarbeid.verification import services

    dates, takes_part = CASES[case]
    mapping = small_mapping(Deltakere_1=dates)
    editor = _flesberg_editor()
    mapper = get_user_model().objects.create_user("kari", password="x")
    permissions.grant(mapper, "kartlegger", mapping=mapping)
    round_ = services.open_round(mapping, user=mapper, deadline=dt.date.today())
    key = next(iter(permissions.editable_municipalities(editor, mapping)))
    response = round_.responses.get(municipality__key=key)
    response.round = round_
    a1 = Arrangement.objects.select_related("mapping").get(mapping=mapping, ref="A1")

    assert services.takes_part(a1, response) is takes_part
    listed = {str(row["id"]) for row in services.municipality_list(response).counted_rows}
    assert ("A1" in listed) is takes_part
    assert "A2" in listed


@pytest.mark.parametrize("case", list(CASES))
def test_the_public_lists_and_municipality_page_follow_the_dates(case: str) -> None:
    """The list filters (municipality, any participant; region, county and level use the same
    subquery) and the
    municipality page ask the same rule as the analyses, so their lists agree with the counts."""
    from samarbeid.web import places, queries

    dates, takes_part = CASES[case]
    mapping = small_mapping(Deltakere_1=dates)
    flesberg = Membership.objects.get(
        arrangement__mapping=mapping, arrangement__ref="A2", municipality__name="Flesberg"
    ).municipality
    filters = [
        queries.ArrangementFilter(municipality=flesberg.municipality_id),
        queries.ArrangementFilter(
            participant=queries.ParticipantMatch("Flesberg", period_ids={flesberg.id})
        ),
    ]
    for arrangement_filter in filters:
        refs = set(queries.arrangements(mapping, arrangement_filter).values_list("ref", flat=True))
        assert ("A1" in refs) is takes_part, arrangement_filter
        assert "A2" in refs
    overview = places.municipality_overview(mapping, flesberg)
    listed = {row.arrangement.ref for row in overview.counted + overview.not_counted}
    assert ("A1" in listed) is takes_part
    kongsberg_page = places.municipality_overview(
        mapping, Membership.objects.get(arrangement__ref="A1", position=0).municipality
    )
    [a1] = [r for r in kongsberg_page.counted if r.arrangement.ref == "A1"]
    assert ("Flesberg" in a1.others) is takes_part
