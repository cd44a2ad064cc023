"""Reporting status: who may report for whom (every role × own, member, other municipality),
what is refused and with which field, and that the register only grows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from samarbeid.adoption import priority, services
from samarbeid.adoption.checks import ItemFacts, check_items, number_in_text
from samarbeid.adoption.models import AdoptionRecord
from samarbeid.adoption.services import EditForbidden, EditRejected, Report
from samarbeid.portfolio.models import BodyMember

from ..portfolio import factories as pf
from . import factories as f

D = dt.date


@pytest.fixture
def setting(db):
    _portfolio, (kj, _dh) = f.national()
    body = pf.body("Grenlandsrådet", members=("Skien", "Porsgrunn"))
    BodyMember.objects.filter(body=body, municipality=f.municipality("Porsgrunn")).update(
        left=D(2022, 12, 31)
    )
    return kj, body


MAY_2023 = D(2023, 5, 1)


def _report(solution, name, status="i_bruk", date=MAY_2023, source="Melding fra kommunen"):
    return Report(solution, f.municipality(name), status, date, source)


ROLES = ["anonymous", "editor_skien", "secretariat", "admin", "plain"]
#: Who may report for which municipality: Skien (own for the editor, a member of the body),
#: Porsgrunn (a former member), Oslo (neither).
EXPECTED = {
    "anonymous": set(),
    "editor_skien": {"Skien"},
    "secretariat": {"Skien"},
    "admin": {"Skien", "Porsgrunn", "Oslo"},
    "plain": set(),
}


def _user(role: str, body):
    if role == "anonymous":
        return AnonymousUser()
    if role == "editor_skien":
        return pf.municipality_editor("Skien", "skien")
    if role == "secretariat":
        return pf.secretariat(body, "sekretar")
    if role == "admin":
        return pf.user("admin", is_superuser=True)
    return pf.user("vanlig")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_report_for_whom(setting, role) -> None:
    kj, body = setting
    user = _user(role, body)
    allowed = set()
    for name in ("Skien", "Porsgrunn", "Oslo"):
        try:
            record = services.report_status(user, _report(kj, name))
        except EditForbidden as refused:
            assert "logge inn" in str(refused) if role == "anonymous" else name in str(refused)
        else:
            allowed.add(name)
            assert record.reported_by == user and record.source == "Melding fra kommunen"
    assert allowed == EXPECTED[role]
    assert AdoptionRecord.objects.count() == len(allowed)


def test_refusals_name_the_field_and_write_nothing(setting) -> None:
    kj, _body = setting
    admin = pf.user("admin", is_superuser=True)
    cases = [
        (_report(kj, "Skien", status="brukes"), "status", "Ukjent status «brukes»"),
        (_report(kj, "Skien", date=dt.date.today() + dt.timedelta(days=1)), "dato", "etter i dag"),
        (_report(kj, "Skien", date=D(1999, 12, 31)), "dato", "før 2000-01-01"),
        (_report(kj, "Haram", date=D(2023, 5, 1)), "dato", "Haram fantes ikke som kommune"),
        (_report(kj, "Skien", source="  "), "endringskilde", ""),
    ]
    for report, field, words in cases:
        with pytest.raises(EditRejected) as refused:
            services.report_status(admin, report)
        (problem,) = refused.value.problems
        assert problem.field == field and words in problem.text()
    assert AdoptionRecord.objects.count() == 0


def test_the_register_only_grows_and_a_repeat_adds_nothing(setting) -> None:
    kj, _body = setting
    admin = pf.user("admin", is_superuser=True)
    first = services.report_status(admin, _report(kj, "Skien", "tilgjengeliggjort", D(2022, 1, 1)))
    assert (
        services.report_status(admin, _report(kj, "Skien", "tilgjengeliggjort", D(2022, 3, 1)))
        is None
    )
    second = services.report_status(admin, _report(kj, "Skien", "i_bruk", D(2022, 6, 1)))
    # A correction dated earlier is a record of its own; the history keeps all three.
    third = services.report_status(admin, _report(kj, "Skien", "ikke_startet", D(2021, 6, 1)))
    assert [r.pk for r in AdoptionRecord.objects.order_by("date")] == [
        third.pk,
        first.pk,
        second.pk,
    ]
    assert services.record_many(admin, [_report(kj, "Skien", "stoppet", D(2023, 1, 1))]) == 1


def test_prioritisation() -> None:
    weights = {"strategi": Decimal(2), "nytte": Decimal(1), "lov": Decimal(0)}
    items = [
        priority.Scored("1", "A", True, 1, {"strategi": 3, "nytte": 3}),
        priority.Scored("2", "B", True, 2, {"strategi": 5, "nytte": 2}),
        priority.Scored("3", "C", True, 3, {"strategi": 4}),  # not scored on every criterion
        priority.Scored("3.2b", "D", False, None, {"strategi": 5, "nytte": 5}),
    ]
    ranked, unranked = priority.rank(items, weights)
    # B: (2×5 + 1×2) / 3 = 4.00; A: (2×3 + 1×3) / 3 = 3.00; C: not fully scored.
    assert [(r.reference, r.total, r.computed_rank, r.difference) for r in ranked] == [
        ("2", Decimal("4.00"), 1, 1),
        ("1", Decimal("3.00"), 2, -1),
        ("3", None, None, None),
    ]
    assert [u.reference for u in unranked] == ["3.2b"]
    assert priority.weighted_total({}, {"a": Decimal(0)}) is None


def _facts(**changes) -> ItemFacts:
    base = dict(
        portfolio="P", reference="2", title="T", kind="innforing", detail_section="2.2",
        reported_count=215, count_in_text="", ambition=356, planned_total=None,
        planned_in_text="",
    )  # fmt: skip
    return ItemFacts(**{**base, **changes})


def test_checks_each_kind_once_and_nothing_on_a_clean_item() -> None:
    assert check_items([_facts(), _facts(count_in_text="215 kommuner")]) == []
    codes = [
        f.code
        for f in check_items(
            [
                _facts(count_in_text="ca. 214"),
                _facts(planned_total=20, ambition=19, planned_in_text="ti til"),
                _facts(reported_count=None),
                _facts(kind="felles", reported_count=None, ambition=None, detail_section=""),
            ]
        )
    ]
    assert codes == [
        "count_differs_from_text",
        "ambition_below_plan",
        "no_status_count",
        "detail_missing",
    ]
    (finding,) = check_items([_facts(count_in_text="ca. 214")])
    assert (
        finding.text() == "P, 2 T: tabellen oppgir 215, men teksten sier «ca. 214» (forskjell -1)"
    )
    assert number_in_text("over 1 200 kommuner") == 1200 and number_in_text("ingen") is None
