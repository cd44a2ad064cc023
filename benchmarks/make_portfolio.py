"""A synthetic country of cooperation bodies for the portfolio benchmark (bench_portfolio.py).

    DATABASE_URL=postgres://… python benchmarks/make_portfolio.py [--bodies 80] [--seed 1]

Deterministic (the same arguments give the same rows), written straight into the configured
database with ``bulk_create``: a benchmark data set, not an import (no change history, no checks).
The database must be migrated (``samarbeid migrate``: the municipalities come from the shipped
gazetteer) and hold no portfolio data yet. :func:`generate` is what the benchmark calls; run as a
script it migrates the database first and prints the counts.

Per body (default 80): 4–20 member municipalities (neighbours in number order among those valid
on :data:`AS_OF`), 3 governing bodies (the deciding one with one member per municipality and the
plan decisions), an action plan per year 2016–2025 (approved, the last year a draft) with 100
projects of its own (``YY-NNN``), 2–5 milestones per project (about 3.75) with the plan's words
for when («2. kvartal 2021», «1.–2. kvartal 2022», «mai 2023», «våren 2024» …) and ``due_by`` from
:func:`samarbeid.portfolio.periods.due_by`, most past ones done; participation rows for 2–8 member
municipalities per project (2–9, about 5); a funding application for every third project and one for
the whole plan per year; two agreements (a cooperation agreement with a version log and a vendor
contract) ending from a month before :data:`AS_OF` to about six years after it (so some
run out within 90 days of any day in those years: the body page's alert).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

#: The day the data set is made for: milestones due before it are mostly done; agreements end
#: around it. Fixed so that the same seed gives the same rows on any day.
AS_OF = dt.date(2025, 6, 1)
FIRST_YEAR, YEARS = 2016, 10
SOURCE = "Syntetisk ytelsesdatasett (benchmarks/make_portfolio.py)"
BATCH = 5000

AREAS = [
    "digitalisering",
    "helse og omsorg",
    "oppvekst",
    "samferdsel",
    "næringsutvikling",
    "klima og miljø",
    "beredskap",
    "kompetanse",
    "reiseliv",
    "innkjøp",
    "arealplanlegging",
    "folkehelse",
]
WHAT = [
    "Felles plattform for",
    "Kartlegging av",
    "Interkommunalt nettverk for",
    "Pilot for",
    "Kompetanseløft i",
    "Felles strategi for",
    "Utredning av",
    "Samordnet innkjøp innen",
    "Innovasjonsprosjekt i",
    "Tjenestedesign for",
]
MILESTONE_TEXT = [
    "Prosjektplan vedtatt",
    "Forprosjekt avsluttet",
    "Anskaffelse gjennomført",
    "Pilot i to kommuner",
    "Rapport til rådmannsutvalget",
    "Innføring i alle kommuner",
    "Evaluering levert",
    "Opplæring gjennomført",
    "Avtale signert",
    "Sluttrapport",
]
MONTHS = ["januar", "februar", "mars", "april", "mai", "juni"]
MONTHS += ["juli", "august", "september", "oktober", "november", "desember"]
ORDINAL_WORDS = ["første", "andre", "tredje", "fjerde"]
LEGAL_FORMS = ["ipr", "ko", "iks", "vertskommune", "ipr", ""]
PHASES = ["ide", "forprosjekt", "hovedprosjekt", "hovedprosjekt", "drift", "avsluttet"]
FORMS = ["prosjekt", "prosjekt", "nettverk", "tjenestekjop", ""]
GOVERNING = [
    ("Representantskapet", "besluttende", "Øverste organ; vedtar handlingsplan og budsjett."),
    ("Rådmannsutvalget", "forberedende", "Forbereder sakene til representantskapet."),
    ("Sekretariatet", "administrativt", "Daglig drift og oppfølging av prosjektene."),
]


def _when(rng: random.Random, year: int) -> str:
    """The plan's words for when, in the forms plans use (some with no date to measure by)."""
    y = year if rng.random() < 0.8 else year + 1
    r = rng.random()
    if r < 0.40:
        return f"{rng.randint(1, 4)}. kvartal {y}"
    if r < 0.55:
        first = rng.randint(1, 3)
        return f"{first}.\u2013{rng.randint(first + 1, 4)}. kvartal {y}"
    if r < 0.62:
        return f"{rng.choice(ORDINAL_WORDS)} kvartal {y}"
    if r < 0.80:
        return f"{rng.choice(MONTHS)} {y}"
    if r < 0.88:
        return str(y)
    if r < 0.94:
        return f"{rng.choice(['våren', 'høsten'])} {y}"
    return f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.{y % 100:02d}"


def _members(rng: random.Random, periods: list) -> list:
    """4–20 municipalities with neighbouring numbers (mostly one county), as regions are."""
    count = rng.randint(4, 20)
    start = rng.randrange(len(periods))
    chosen = periods[start : start + count]
    if len(chosen) < count:
        chosen += periods[: count - len(chosen)]
    return chosen


def _milestone_count(rng: random.Random) -> int:
    # 2, 3, 4 or 5 with 10, 25, 45 and 20 %: 3.75 on average.
    r = rng.random()
    return 2 if r < 0.10 else 3 if r < 0.35 else 4 if r < 0.80 else 5


def generate(
    bodies: int = 80,
    seed: int = 1,
    years: int = YEARS,
    projects: int = 100,
    first_year: int = FIRST_YEAR,
    progress: bool = True,
) -> dict[str, int]:
    """Write the data set; return the number of rows per model."""
    from django.db import transaction

    from samarbeid.portfolio import periods as plan_periods
    from samarbeid.portfolio.models import (
        ActionPlan,
        Agreement,
        AgreementVersion,
        BodyMember,
        CooperationBody,
        Decision,
        FundingApplication,
        GoverningBody,
        GoverningMember,
        Milestone,
        Participation,
        PlanProject,
        Project,
    )
    from samarbeid.registry.models import MunicipalityPeriod

    if CooperationBody.objects.exists():
        raise RuntimeError("the database already holds cooperation bodies; use a fresh one")
    rng = random.Random(seed)
    current = list(
        MunicipalityPeriod.objects.filter(valid_to__isnull=True)
        .exclude(valid_from__gt=AS_OF)
        .select_related("county")
        .order_by("number")
    )
    if len(current) < 20:
        raise RuntimeError(f"only {len(current)} current municipalities: is the database migrated?")
    counts: dict[str, int] = {}

    def add(model, rows: list) -> list:
        made = model.objects.bulk_create(rows, batch_size=BATCH)
        counts[model.__name__] = counts.get(model.__name__, 0) + len(made)
        return made

    last_year = first_year + years - 1
    started = time.perf_counter()
    for b in range(bodies):
        with transaction.atomic():
            members = _members(rng, current)
            anchor = members[0]
            form = LEGAL_FORMS[b % len(LEGAL_FORMS)]
            stated = len(members) + (1 if rng.random() < 0.1 else 0)
            (body,) = add(
                CooperationBody,
                [
                    CooperationBody(
                        name=f"{anchor.name}regionen {b + 1:02d}",
                        short_name=f"R{b + 1:02d}",
                        legal_form=form,
                        organisation_number=f"{rng.randint(910_000_000, 999_999_999)}",
                        office_municipality_id=anchor.municipality_id,
                        stated_member_count=stated,
                        description=(
                            f"Samarbeidsorgan for {len(members)} kommuner i "
                            f"{anchor.county.name}, med prosjekter innen "
                            f"{', '.join(rng.sample(AREAS, 3))}."
                        ),
                        source=SOURCE,
                    )
                ],
            )
            add(
                BodyMember,
                [
                    BodyMember(
                        body=body,
                        municipality_id=p.municipality_id,
                        joined=dt.date(rng.randint(2000, 2015), 1, 1),
                        source=SOURCE,
                    )
                    for p in members
                ],
            )
            member_ids = [p.municipality_id for p in members]
            governing = add(
                GoverningBody,
                [
                    GoverningBody(body=body, name=name, kind=kind, mandate=mandate, source=SOURCE)
                    for name, kind, mandate in GOVERNING
                ],
            )
            deciding = governing[0]
            add(
                GoverningMember,
                [
                    GoverningMember(
                        governing_body=deciding,
                        person=f"Ordfører i {p.name}",
                        municipality_id=p.municipality_id,
                        role="medlem",
                        start=dt.date(2023, 10, 1),
                        source=SOURCE,
                    )
                    for p in members
                ],
            )
            plans = add(
                ActionPlan,
                [
                    ActionPlan(
                        body=body,
                        year=year,
                        title=f"Handlingsplan {year}",
                        status="vedtatt" if year < last_year else "utkast",
                        approved_by=deciding if year < last_year else None,
                        approved_on=dt.date(year - 1, 12, rng.randint(1, 15))
                        if year < last_year
                        else None,
                        # One plan in ten states a count that differs from its list (a finding).
                        stated_project_count=projects - (1 if rng.random() < 0.1 else 0),
                        summary=(
                            f"Handlingsplanen for {year} viderefører arbeidet med "
                            f"{', '.join(rng.sample(AREAS, 4))}. Planen har {projects} "
                            "prosjekter og tiltak, fordelt på videreførte og nyetablerte."
                        ),
                        source=f"{SOURCE}: handlingsplan {year}",
                    )
                    for year in range(first_year, first_year + years)
                ],
            )
            add(
                Decision,
                [
                    Decision(
                        governing_body=deciding,
                        date=plan.approved_on,
                        case_number=f"{plan.approved_on.year % 100:02d}/{rng.randint(1, 60)}",
                        text=f"Handlingsplan {plan.year} vedtas.",
                        source=SOURCE,
                    )
                    for plan in plans
                    if plan.approved_on
                ],
            )
            project_rows, plan_of = [], []
            for plan in plans:
                for j in range(projects):
                    area = rng.choice(AREAS)
                    funds = rng.random()
                    project_rows.append(
                        Project(
                            body=body,
                            code=f"{plan.year % 100:02d}-{j + 1:03d}",
                            title=f"{rng.choice(WHAT)} {area} ({plan.year}/{j + 1})",
                            kind="Prosjekt",
                            owner=rng.choice(members).name,
                            responsible=f"Nettverk for {area}",
                            phase=rng.choice(PHASES),
                            cooperation_form=rng.choice(FORMS),
                            seeks_funds=None if funds < 0.2 else funds < 0.6,
                            started=str(plan.year - rng.randint(0, 2)),
                            description=(
                                f"Prosjektet skal styrke samarbeidet om {area} mellom "
                                "medlemskommunene, med felles løsninger og bedre tjenester "
                                "for innbyggerne."
                            ),
                            budget=rng.randrange(100_000, 5_000_000, 10_000),
                            economic_case="Utgifter deles etter folketall."
                            if rng.random() < 0.3
                            else "",
                            source=f"{SOURCE}: handlingsplan {plan.year}, kap. 3",
                        )
                    )
                    plan_of.append(plan)
            made = add(Project, project_rows)
            entries, milestones, participation, funding = [], [], [], []
            for k, (project, plan) in enumerate(zip(made, plan_of, strict=True)):
                j = k % projects
                entries.append(
                    PlanProject(
                        plan=plan,
                        project=project,
                        category="videreført"
                        if plan.year > first_year and rng.random() < 0.6
                        else "nyetablert",
                        section=f"3.{j // 25 + 1}",
                        this_year=f"Gjennomføre fase {rng.randint(1, 3)} og rapportere status.",
                        position=j + 1,
                    )
                )
                for position in range(_milestone_count(rng)):
                    when = _when(rng, plan.year)
                    due = plan_periods.due_by(when)
                    done = None
                    if due is not None and due < AS_OF and rng.random() < 0.85:
                        done = due - dt.timedelta(days=rng.randint(0, 60))
                    milestones.append(
                        Milestone(
                            project=project,
                            plan=plan,
                            text=rng.choice(MILESTONE_TEXT),
                            when=when,
                            due_by=due,
                            done=done,
                            position=position + 1,
                            source=f"{SOURCE}: handlingsplan {plan.year}",
                        )
                    )
                # 2–9 (mostly 2–8), at most every member: about 5 per project.
                taking_part = rng.randint(2, 8) + (rng.random() < 0.25)
                for municipality_id in rng.sample(member_ids, min(len(member_ids), taking_part)):
                    participation.append(
                        Participation(
                            project=project,
                            municipality_id=municipality_id,
                            takes_part=rng.random() < 0.85,
                            source=SOURCE,
                        )
                    )
                if k % 3 == 0:
                    granted = rng.randrange(50_000, 1_000_000, 5_000)
                    funding.append(
                        FundingApplication(
                            body=body,
                            year=plan.year,
                            project=project,
                            source_kind="skjonnsmidler",
                            grantor=f"Statsforvalteren i {anchor.county.name}",
                            applied=granted + rng.randrange(0, 500_000, 5_000),
                            granted=granted if rng.random() < 0.8 else None,
                            own_contribution=int(granted * rng.uniform(0.3, 1.5)),
                            decision_date=dt.date(plan.year, rng.randint(1, 6), 15),
                            source=SOURCE,
                        )
                    )
            for plan in plans:
                fee = 100_000 * len(members) + rng.randrange(0, 200_000, 10_000)
                funding.append(
                    FundingApplication(
                        body=body,
                        year=plan.year,
                        source_kind="medlemskontingent",
                        grantor="Medlemskommunene",
                        applied=fee,
                        granted=fee,
                        source=f"{SOURCE}: budsjett {plan.year}",
                    )
                )
            add(PlanProject, entries)
            add(Milestone, milestones)
            add(Participation, participation)
            add(FundingApplication, funding)
            ends = AS_OF + dt.timedelta(days=rng.randint(-30, 2000))
            agreements = add(
                Agreement,
                [
                    Agreement(
                        body=body,
                        kind="samarbeidsavtale",
                        title=f"Samarbeidsavtale for {body.name}",
                        starts=dt.date(2016, 1, 1),
                        ends=ends,
                        parties=", ".join(p.name for p in members),
                        legal_basis="Kommuneloven kap. 18" if form == "ipr" else "Kommuneloven",
                        covers=rng.sample(["navn", "deltakere", "oppgaver", "uttreden"], 2),
                        source=SOURCE,
                    ),
                    Agreement(
                        body=body,
                        kind="leverandoravtale",
                        title=f"Driftsavtale for fagsystem ({body.short_name})",
                        starts=dt.date(2021, 1, 1),
                        ends=AS_OF + dt.timedelta(days=rng.randint(30, 2500)),
                        vendor="Leverandør AS",
                        subject="Drift og lisenser",
                        source=SOURCE,
                    ),
                ],
            )
            add(
                AgreementVersion,
                [
                    AgreementVersion(
                        agreement=agreements[0],
                        label=f"1.{v}",
                        date=dt.date(2016 + 3 * v, 3, 1),
                        forum="Representantskapet",
                        changes="Revidert etter ny kommunelov." if v else "Første versjon.",
                        position=v,
                        source=SOURCE,
                    )
                    for v in range(3)
                ],
            )
        if progress and (b + 1) % 10 == 0:
            print(
                f"  {b + 1}/{bodies} bodies ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=80)
    parser.add_argument("--projects", type=int, default=100, help="projects per plan")
    parser.add_argument("--years", type=int, default=YEARS, help="plans per body, from 2016")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samarbeid.settings")
    import django

    django.setup()
    from samarbeid.registry.bootstrap import ensure_database

    ensure_database(verbose=True)
    start = time.perf_counter()
    counts = generate(args.bodies, args.seed, args.years, args.projects)
    elapsed = time.perf_counter() - start
    print("; ".join(f"{name}: {n}" for name, n in counts.items()))
    print(f"generated in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
