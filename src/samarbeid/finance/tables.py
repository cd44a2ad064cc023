"""The typed tables of a calculation (payments with their arithmetic, the comparison, fairness,
reconciliation, projection) and the document of sections that Markdown and PDF lay out."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .layout import (
    CHANGE,
    COUNT,
    DEC2,
    FAIRNESS_TEXT,
    FLAG,
    KR,
    RATIO,
    TEXT,
    YEAR,
    Bullets,
    Column,
    Document,
    Facts,
    Section,
    Table,
    amount,
    arithmetic,
    dec,
    heading_facts,
    model_facts,
    model_label,
    notes,
    paying_key,
    rules,
    several,
    title,
)  # fmt: skip

# -- tables -------------------------------------------------------------------------------------


def payments_table(data: dict[str, Any], lang: str) -> Table:
    """The baseline model's payment per member with its arithmetic; the sum in the last row."""
    model = data["modeller"][0]
    paying = paying_key(data)
    last_year = any(r["modeller"][0]["endring_fra_i_fjor"] is not None for r in data["medlemmer"])
    columns = [
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        Column(_("Innbyggere"), COUNT),
        Column(_("Betaling (kr)"), KR),
        Column(_("Per innbygger (kr)"), DEC2),
        Column(_("Tak brukt"), FLAG),
        Column(_("Fritatt"), FLAG),
    ]
    if last_year:
        columns.append(Column(_("Endring fra i fjor (kr)"), CHANGE))
    columns.append(Column(_("Regnestykke"), TEXT, 60))
    rows = []
    for r in data["medlemmer"]:
        row = [
            r["kommune"],
            r["kommunenummer"],
            r["innbyggere"],
            r["betaling"],
            dec(r["per_innbygger"]),
            r["tak_brukt"] or None,
            r["fritatt"] or None,
        ]
        if last_year:
            row.append(r["modeller"][0]["endring_fra_i_fjor"])
        row.append(arithmetic(r, paying, lang))
        rows.append(row)
    population = sum(r["innbyggere"] or 0 for r in data["medlemmer"])
    capped = _("{n} med tak").format(n=model["tak_brukt"]) if model["tak_brukt"] else None
    exempt = _("{n} fritatt").format(n=model["fritatt"]) if model["fritatt"] else None
    total = [_("Sum"), "", population, model["sum"], None, capped, exempt]
    total += [None] if last_year else []
    total.append("")
    return Table(columns, rows, total, key=2)


def exemptions(data: dict[str, Any], lang: str) -> list[str]:
    """«Bergen (4601): Vertskommune …» for each exempt member of each model (egenbidrag and its
    stated value)."""
    out = []
    for i, m in enumerate(data["modeller"]):
        for entry in m["modell"].get("fritak", []):
            number = entry["kommunenummer"]
            name = next(
                (r["kommune"] for r in data["medlemmer"] if r["kommunenummer"] == number), number
            )
            text = f"{name} ({number}): " + (
                entry.get("egenbidrag") or _("egenbidrag ikke beskrevet")
            )
            if entry.get("verdi") is not None:
                text += " " + _("Verdsatt til {amount} kr.").format(
                    amount=amount(entry["verdi"], lang)
                )
            out.append(f"{model_label(i)}: {text}" if several(data) else text)
    return out


def totals_table(data: dict[str, Any]) -> Table:
    columns = [
        Column(_("Modell"), TEXT, 40),
        Column(_("Sum (kr)"), KR),
        Column(_("Budsjett (kr)"), KR),
        Column(_("Dekning (kr)"), CHANGE),
        Column(_("Tak brukt"), COUNT),
        Column(_("Gulv brukt"), COUNT),
        Column(_("Fritatt"), COUNT),
    ]
    rows = [
        [
            f"{model_label(i)}: {m['navn']}",
            m["sum"],
            m["budsjett"],
            m["dekning"],
            m["tak_brukt"],
            m["gulv_brukt"],
            m["fritatt"],
        ]
        for i, m in enumerate(data["modeller"])
    ]
    return Table(
        columns, rows, caption=_("Dekning: summen av betalingene minus budsjettet (selvkost).")
    )


def fairness_table(data: dict[str, Any]) -> Table:
    columns = [
        Column(_("Modell"), TEXT, 40),
        Column(_("Medlemmer"), COUNT),
        Column(_("Maks/min"), RATIO),
        Column(_("Variasjonskoeffisient"), RATIO),
        Column(_("Gini"), RATIO),
        Column(_("Lavest per innbygger"), TEXT, 22),
        Column(_("kr"), DEC2),
        Column(_("Høyest per innbygger"), TEXT, 22),
        Column(_("kr"), DEC2),
    ]
    rows = []
    for i, m in enumerate(data["modeller"]):
        f = m["rettferdighet"]
        low, high = f["lavest"] or {}, f["hoyest"] or {}
        rows.append(
            [
                f"{model_label(i)}: {m['navn']}" if several(data) else m["navn"],
                f["medlemmer"],
                dec(f["maks_min"]),
                dec(f["variasjonskoeffisient"]),
                dec(f["gini"]),
                low.get("kommune"),
                dec(low.get("per_innbygger")),
                high.get("kommune"),
                dec(high.get("per_innbygger")),
            ]
        )
    return Table(columns, rows)


def comparison_table(data: dict[str, Any], measure: str) -> Table:
    """One measure (``betaling``, ``per_innbygger``, ``endring_fra_basis``,
    ``endring_fra_i_fjor``) per member, one column per model."""
    kind = {"betaling": KR, "per_innbygger": DEC2}.get(measure, CHANGE)
    models = range(len(data["modeller"]))
    if measure == "endring_fra_basis":
        models = range(1, len(data["modeller"]))
    columns = [
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        Column(_("Innbyggere"), COUNT),
        *(Column(model_label(i), kind) for i in models),
    ]
    rows = []
    for r in data["medlemmer"]:
        values = [
            dec(r["modeller"][i][measure]) if kind == DEC2 else r["modeller"][i][measure]
            for i in models
        ]
        rows.append([r["kommune"], r["kommunenummer"], r["innbyggere"], *values])
    total = None
    if measure != "per_innbygger" and rows:
        sums = [sum(row[3 + j] or 0 for row in rows) for j in range(len(models))]
        population = sum(r["innbyggere"] or 0 for r in data["medlemmer"])
        total = [_("Sum"), "", population, *sums]
    return Table(columns, rows, total, key=3)


def has_last_year(data: dict[str, Any]) -> bool:
    return any(
        c["endring_fra_i_fjor"] is not None for r in data["medlemmer"] for c in r["modeller"]
    )


def limits(data: dict[str, Any], lang: str) -> list[str]:
    """Who hits the cap or the floor under each model."""
    out = []
    for i, m in enumerate(data["modeller"]):
        for key, label in (("tak_brukt", _("tak")), ("gulv_brukt", _("gulv"))):
            hit = [
                f"{r['kommune']} ({r['kommunenummer']})"
                for r in data["medlemmer"]
                if r["modeller"][i][key]
            ]
            if hit:
                out.append(
                    _("{model}: {limit} brukt for {count}: {members}").format(
                        model=model_label(i), limit=label, count=len(hit), members=", ".join(hit)
                    )
                )
        if not m["tak_brukt"] and not m["gulv_brukt"]:
            out.append(_("{model}: verken tak eller gulv brukt").format(model=model_label(i)))
    return out


def reconciliation_table(data: dict[str, Any]) -> tuple[Table, list[str]] | None:
    """The computed totals beside the totals a source states, with the explanations."""
    rows, explanations = [], []
    for i, m in enumerate(data["modeller"]):
        name = f"{model_label(i)}: {m['navn']}" if several(data) else m["navn"]
        for entry in m["oppgitt"]:
            rows.append(
                [
                    name,
                    entry["aar"],
                    entry["belop"],
                    entry["beregnet"],
                    entry["differanse"],
                    entry["kilde"],
                ]
            )
            if entry["forklaring"]:
                explanations.append(entry["forklaring"])
    if not rows:
        return None
    columns = [
        Column(_("Modell"), TEXT, 30),
        Column(_("År"), YEAR),
        Column(_("Oppgitt (kr)"), KR),
        Column(_("Beregnet (kr)"), KR),
        Column(_("Differanse (kr)"), CHANGE),
        Column(_("Kilde"), TEXT, 50),
    ]
    return Table(columns, rows), explanations


def projection_years_table(p: dict[str, Any]) -> Table:
    columns = [
        Column(_("År"), YEAR),
        Column(_("Sum (kr)"), KR),
        Column(_("Budsjett (kr)"), KR),
        Column(_("Fast beløp (kr)"), KR),
        Column(_("Pris per innbygger (kr)"), DEC2),
        Column(_("Tak (kr)"), KR),
        Column(_("Medlemmer med tak"), COUNT),
        Column(_("Folketall anslått"), FLAG),
    ]
    rows = [
        [
            y["aar"],
            y["sum"],
            y["budsjett"],
            int(Decimal(y["fast_belop"])),
            dec(y["pris_per_innbygger"]),
            y["tak"],
            y["tak_brukt"],
            y["folketall_anslatt"] or None,
        ]
        for y in p["aar"]
    ]
    return Table(columns, rows)


def projection_payments_table(p: dict[str, Any], data: dict[str, Any]) -> Table:
    years = [str(y["aar"]) for y in p["aar"]]
    names = {r["kommunenummer"]: r["kommune"] for r in data["medlemmer"]}
    columns = [
        Column(_("Kommune"), TEXT, 18),
        Column(_("Kommunenr."), TEXT, 10),
        *(Column(y, KR) for y in years),
    ]
    rows = [
        [names.get(number, number), number, *(by_year.get(y) for y in years)]
        for number, by_year in sorted(p["betaling"].items())
    ]
    total = [_("Sum"), "", *(y["sum"] for y in p["aar"])]
    return Table(columns, rows, total, key=2)


def first_capped(p: dict[str, Any]) -> list[str]:
    return [f"{e['kommune']} ({e['kommunenummer']}): {e['aar']}" for e in p["forste_aar_med_tak"]]


# -- the document for Markdown and PDF ----------------------------------------------------------

PROJECTION_TEXT = gettext_noop(
    "Beløpene indekseres med deflatoren (taket og gulvet bare der modellen sier det). "
    "Folketallet er SSBs tall så langt det finnes, deretter anslått (se merknadene)."
)


def document(data: dict[str, Any], lang: str) -> Document:
    """The calculation as sections: notes, model(s), reconciliation, then the payments (one
    model) or the comparison and fairness (several), the projection, and the rules."""
    sections = [Section(_("Merknader"), blocks=[Bullets(notes(data) or [_("Ingen merknader.")])])]
    if several(data):
        sections.append(Section(_("Modellene")))
    for i, m in enumerate(data["modeller"]):
        blocks: list[Any] = [m["beskrivelse"]] if m["beskrivelse"] else []
        blocks.append(Facts(model_facts(m, data["aar"], lang)))
        if several(data):
            sections.append(Section(f"{model_label(i)}: {m['navn']}", 3, blocks))
        else:
            sections.append(Section(_("Modellen"), 2, blocks))
    found = reconciliation_table(data)
    if found:
        table, explanations = found
        sections.append(Section(_("Avstemming mot oppgitt sum"), blocks=[table, *explanations]))
    if not several(data):
        sections.append(Section(_("Betaling per kommune"), blocks=[payments_table(data, lang)]))
        sections.append(
            Section(_("Rettferdighet"), blocks=[fairness_table(data), _(FAIRNESS_TEXT)])
        )
    else:
        sections += comparison_sections(data, lang)
    given = exemptions(data, lang)
    if given:
        sections.append(Section(_("Fritak og egenbidrag"), blocks=[Bullets(given)]))
    for i, p in enumerate(data["framskriving"]):
        m = data["modeller"][i]
        if i == 0:
            sections.append(
                Section(
                    _("Framskriving {first}–{last}").format(
                        first=data["aar"], last=data["til_aar"]
                    ),
                    blocks=[_(PROJECTION_TEXT)],
                )
            )
        name = f"{model_label(i)}: {m['navn']}" if several(data) else m["navn"]
        capped = first_capped(p)
        blocks = [projection_years_table(p)]
        blocks.append(
            _("Første år med tak:") if capped else _("Ingen medlemmer når taket i perioden.")
        )
        if capped:
            blocks.append(Bullets(capped))
        blocks.append(projection_payments_table(p, data))
        sections.append(Section(name, 3, blocks))
    sections.append(Section(_("Om beregningen"), blocks=[Bullets(rules(lang))]))
    return Document(title(data), Facts(heading_facts(data, lang)), sections)


def comparison_sections(data: dict[str, Any], lang: str) -> list[Section]:
    legend = Bullets(
        [
            f"{model_label(i)}: {m['navn']}" + (f" ({_('basis')})" if i == 0 else "")
            for i, m in enumerate(data["modeller"])
        ]
    )
    out = [Section(_("Sammenligning"), blocks=[legend, totals_table(data)])]
    measures = [
        ("betaling", _("Betaling per kommune (kr)")),
        ("per_innbygger", _("Kostnad per innbygger (kr)")),
        ("endring_fra_basis", _("Endring fra basis (modell 1), kr")),
    ]
    if has_last_year(data):
        measures.append(("endring_fra_i_fjor", _("Endring fra i fjor (samme modell), kr")))
    for measure, heading in measures:
        out.append(Section(heading, 3, [comparison_table(data, measure)]))
    out.append(Section(_("Rettferdighet"), blocks=[fairness_table(data), _(FAIRNESS_TEXT)]))
    out.append(Section(_("Tak og gulv"), 3, [Bullets(limits(data, lang))]))
    return out
