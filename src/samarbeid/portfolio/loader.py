"""The example bodies from the shipped documents (``examples/*.json``), loaded in one transaction
by ``samarbeid load-example``. Each fact's ``kilde`` names the section of the document; the loader
prefixes the document's title, so a source reads «Handlingsplan for Grenlandssamarbeidet 2021,
avsnitt 2.2.1». Loading again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

from django.db import transaction

from samarbeid.commandbase import UserError
from samarbeid.registry.models import County, Municipality

from . import history
from .models import (
    ActionPlan,
    Agreement,
    AgreementVersion,
    BodyMember,
    ConsultationInput,
    CooperationBody,
    CouncilDecision,
    Decision,
    FocusArea,
    FundingApplication,
    GoverningBody,
    MeasureCatalogue,
    Milestone,
    Network,
    PlanProject,
    PlanSection,
    Project,
    SecretariatStaff,
)
from .periods import due_by

EXAMPLES = ["grenland2021.json", "kongsbergregionen2035.json", "digivestland2024.json"]


def load_examples(write: Callable[[str], None]) -> None:
    for filename in EXAMPLES:
        document = json.loads(
            resources.files("samarbeid.portfolio.examples").joinpath(filename).read_text("utf-8")
        )
        name = document["organ"]["navn"]
        if CooperationBody.objects.filter(name=name).exists():
            write(f"{name}: allerede lastet inn (uendret).")
            continue
        try:
            body = load_document(document, loaded_from=f"Eksempelet {filename}")
        except (KeyError, ValueError, TypeError) as error:
            raise UserError(
                f"Eksempelet {filename} kan ikke lastes inn: {type(error).__name__} {error}."
            ) from error
        plans = ", ".join(str(p.year) for p in body.plans.all()) or "ingen"
        write(
            f"{name}: {body.projects.count()} prosjekter og tiltak, {body.networks.count()} "
            f"nettverk, {body.agreements.count()} avtaler, handlingsplan {plans} — lastet inn."
        )


@transaction.atomic
def load_document(document: dict[str, Any], *, loaded_from: str, user=None) -> CooperationBody:
    """One body, its strategy, networks, plan and funding from a document's facts."""
    title = document["dokument"]

    def src(fact: dict[str, Any]) -> str:
        return f"{title}, {fact['kilde']}"

    organ = document["organ"]
    body = CooperationBody.objects.create(
        name=organ["navn"],
        short_name=organ.get("kortnavn", ""),
        legal_form=organ.get("juridisk_form", ""),
        office_municipality=_municipality(organ["vertskommune"])
        if "vertskommune" in organ
        else None,
        stated_member_count=organ.get("oppgitt_antall_medlemmer"),
        description=organ.get("beskrivelse", ""),
        source=src(organ),
    )
    created = [body]
    for name in organ.get("medlemmer", []):
        created.append(_member(body, name, src(organ)))
    governing = {}
    for g in organ.get("styringsorganer", []):
        governing[g["navn"]] = GoverningBody.objects.create(
            body=body,
            name=g["navn"],
            kind=g.get("type", ""),
            mandate=g.get("mandat", ""),
            source=src(g),
        )
        created.append(governing[g["navn"]])
    for d in organ.get("vedtak", []):
        created.append(
            Decision.objects.create(
                governing_body=governing[d["organ"]],
                date=_date(d.get("dato", ""))[0],
                date_as_stated=d.get("tidspunkt", "") or _date(d.get("dato", ""))[1],
                case_number=d.get("sak", ""),
                text=d["tekst"],
                source=src(d),
            )
        )
    for s in organ.get("sekretariat", []):
        created.append(
            SecretariatStaff.objects.create(
                body=body,
                role=s["rolle"],
                staff_years=s.get("arsverk"),
                funder=s.get("finansiert_av", ""),
                source=src(s),
            )
        )
    areas = {}
    for position, a in enumerate(organ.get("satsingsomrader", [])):
        area = FocusArea.objects.create(
            body=body,
            code=a.get("kode", ""),
            name=a["navn"],
            first_year=a.get("fra_ar"),
            position=position,
            source=src(a),
        )
        areas[area.name] = area
        created.append(area)
        for sub_position, sub in enumerate(a.get("underomrader", [])):
            created.append(
                FocusArea.objects.create(
                    body=body,
                    parent=area,
                    name=sub,
                    kind=FocusArea.Kind.SUB_AREA,
                    first_year=a.get("fra_ar"),
                    position=sub_position,
                    source=src(a),
                )
            )
    for position, n in enumerate(organ.get("nettverk", [])):
        created.append(
            Network.objects.create(body=body, name=n["navn"], position=position, source=src(n))
        )
    plan_facts = document.get("plan")
    if plan_facts:
        created.extend(_load_plan(body, plan_facts, src, areas))
    if document.get("katalog"):
        created.extend(_load_catalogue(body, document, src, governing))
    for a in document.get("avtaler", []):
        created.extend(_load_agreement(body, a, src))
    for v in document.get("leverandoravtaler", []):
        ends, words = _date(v.get("utloper", ""))
        created.append(
            Agreement.objects.create(
                body=body,
                kind=Agreement.Kind.VENDOR,
                title=f"{v['leverandor']}: {v.get('gjelder', '')}".rstrip(": "),
                vendor=v["leverandor"],
                subject=v.get("gjelder", ""),
                ends=ends,
                term_as_stated=words,
                source=src(v),
            )
        )
    for f in document.get("finansiering", []):
        created.append(
            FundingApplication.objects.create(
                body=body,
                year=f["ar"],
                year_as_stated=f.get("periode_som_oppgitt", ""),
                source_kind=f["type"],
                grantor=f["giver"],
                applied=f.get("sokt"),
                granted=f.get("innvilget"),
                source=src(f),
            )
        )
    for obj in created:
        history.record_created(
            body, obj, source=f"{loaded_from}: {obj_source(obj, title)}", user=user
        )
    return body


def obj_source(obj, title: str) -> str:
    return getattr(obj, "source", "") or title


def _load_plan(body, facts, src, areas) -> list:
    plan = ActionPlan.objects.create(
        body=body,
        year=facts["ar"],
        title=facts["tittel"],
        status=facts.get("status", ActionPlan.Status.DRAFT),
        stated_project_count=facts.get("oppgitt_antall_prosjekter"),
        summary=facts.get("sammendrag", ""),
        source=src(facts),
    )
    created: list = [plan]
    for position, (number, heading) in enumerate(facts.get("avsnitt", [])):
        PlanSection.objects.create(plan=plan, number=number, title=heading, position=position)
    for position, p in enumerate(facts.get("prosjekter", [])):
        project = Project.objects.create(
            body=body,
            code=p["kode"],
            title=p["tittel"],
            kind=p.get("type", "Prosjekt"),
            focus_area=areas.get(p.get("satsingsomrade", "")),
            owner=p.get("eier", ""),
            responsible=p.get("ansvarlig", ""),
            phase=p.get("fase", ""),
            cooperation_form=p.get("samarbeidsform", ""),
            seeks_funds=p.get("soker_midler"),
            started=p.get("startet", ""),
            description=p.get("beskrivelse", ""),
            source=src(p),
        )
        created.append(project)
        PlanProject.objects.create(
            plan=plan,
            project=project,
            category=p["kategori"],
            section=p["kode"],
            this_year=p.get("i_aret", ""),
            position=position,
        )
        for m_position, m in enumerate(p.get("milepaeler", [])):
            created.append(
                Milestone.objects.create(
                    project=project,
                    plan=plan,
                    text=m["tekst"],
                    when=m.get("nar", ""),
                    due_by=due_by(m.get("nar", "")),
                    position=m_position,
                    source=src(m),
                )
            )
    return created


def _date(value: str) -> tuple[dt.date | None, str]:
    """An ISO date, or the source's words when it gives no exact date."""
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return None, value


def _municipality(name: str) -> Municipality | None:
    return Municipality.objects.filter(name__iexact=name.strip()).first()


def _member(body: CooperationBody, name: str, source: str) -> BodyMember:
    municipality = _municipality(name)
    if municipality is not None:
        return BodyMember.objects.create(body=body, municipality=municipality, source=source)
    county = County.objects.filter(name__iexact=name.strip()).order_by("-valid_from").first()
    if county is not None:
        return BodyMember.objects.create(body=body, county=county, source=source)
    return BodyMember.objects.create(body=body, other_name=name.strip(), source=source)


def _load_catalogue(body, document, src, governing) -> list:
    approval = next(
        (
            d
            for d in document["organ"].get("vedtak", [])
            if "katalog" in d["tekst"].lower() or "tiltak" in d["tekst"].lower()
        ),
        None,
    )
    catalogue = MeasureCatalogue.objects.create(
        body=body,
        title=document["dokument"],
        approved_by=governing[approval["organ"]] if approval else None,
        approved_on=_date(approval.get("dato", ""))[0] if approval else None,
        stated_count=document.get("oppgitt_antall_tiltak"),
        summary_codes=document.get("sammendrag_koder", {}),
        source=src(document["katalog"][0]) if document["katalog"] else document["dokument"],
    )
    created: list = [catalogue]
    for m in document["katalog"]:
        created.append(
            Project.objects.create(
                body=body,
                catalogue=catalogue,
                code=m.get("kode", ""),
                title=m["tittel"],
                kind=m.get("type", "Tiltak"),
                responsible=m.get("ansvarlig", ""),
                cooperation_form=m.get("samarbeidsform", ""),
                prioritised=m.get("prioritert"),
                description=m.get("beskrivelse", ""),
                source=src(m),
            )
        )
    return created


def _load_agreement(body, a, src) -> list:
    starts, _ = _date(a.get("fra", ""))
    ends, ends_words = _date(a.get("til", ""))
    agreement = Agreement.objects.create(
        body=body,
        kind=a.get("type", Agreement.Kind.COOPERATION),
        title=a["tittel"],
        legal_form=a.get("juridisk_form", ""),
        starts=starts,
        ends=ends,
        term_as_stated=ends_words,
        parties=a.get("parter", ""),
        legal_basis=a.get("lovgrunnlag", ""),
        covers=a.get("dekker", []),
        source=src(a),
    )
    created: list = [agreement]
    for position, v in enumerate(a.get("versjoner", [])):
        day, words = _date(str(v.get("dato", "")))
        created.append(
            AgreementVersion.objects.create(
                agreement=agreement,
                label=str(v["versjon"]),
                date=day,
                date_as_stated=words,
                forum=v.get("forum", ""),
                occasion=v.get("mote_eller_utsending", ""),
                changes=v.get("endringer", ""),
                responsible=v.get("ansvarlig", ""),
                position=position,
                source=src(v),
            )
        )
    for i in a.get("innspill", []):
        created.append(
            ConsultationInput.objects.create(
                agreement=agreement,
                given_by=i["fra"],
                date_as_stated=str(i.get("dato", "")),
                text=i["tekst"],
                source=src(i),
            )
        )
    for c in a.get("kommunestyrevedtak", []):
        day, words = _date(str(c.get("dato", "")))
        created.append(
            CouncilDecision.objects.create(
                agreement=agreement,
                municipality=_municipality(c["kommune"]),
                council=c["kommune"],
                date=day,
                date_as_stated=words,
                case_number=c.get("sak", ""),
                outcome=c.get("utfall", ""),
                source=src(c),
            )
        )
    return created
