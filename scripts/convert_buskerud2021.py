"""Convert ../shared/data/buskerud2021 into the project's mapping-file format.

    python scripts/convert_buskerud2021.py SOURCE_DIR OUT.csv [--as-printed]

The output is shipped as ``src/samarbeid/examples/buskerud2021.csv``. ``--as-printed`` writes the
participants exactly as the report prints them ("Hjardal", "Våler", "Alle kommunene i Telemark
(17)"): the test fixture that shows what ``samarbeid check`` does with real-world spelling.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from pathlib import Path

from samarbeid.intake.writers import write_csv, write_xlsx
from samarbeid.reference.gazetteer import load_gazetteer
from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS
from samarbeid.rules.values import canonical_decimal, parse_decimal

CUTOFF = dt.date(2021, 11, 1)
STATUS = {"counted": "telles", "ended": "avsluttet", "excluded": "utenfor"}
COMPLETE = {"yes": "fullstendig", "partial": "delvis", "group": "gruppe"}


def split(text: str) -> list[str]:
    return [p.strip() for p in text.split(";") if p.strip()]


def resolve_number(name: str, row: dict[str, str]) -> str:
    gaz = load_gazetteer()
    if row["status"] != "ended":
        res = gaz.resolve(name, CUTOFF)
    else:
        ended = row["ended"]
        until = (
            (dt.date(int(ended), 1, 1) if len(ended) == 4 else dt.date.fromisoformat(ended))
            if ended
            else CUTOFF
        )
        res = gaz.resolve(name, until - dt.timedelta(days=1))
        if not res.ok:
            res = gaz.resolve(name, until=until)
    if not res.ok:
        raise SystemExit(f"{row['id']}: cannot resolve {name!r}: {res.status}")
    return res.period.number


def convert(source: Path, as_printed: bool) -> dict[str, list[dict[str, str]]]:
    scope = list(csv.DictReader((source / "municipalities.csv").open(encoding="utf-8")))
    rows = list(csv.DictReader((source / "arrangements.csv").open(encoding="utf-8")))
    tables: dict[str, list[dict[str, str]]] = {
        "Kartlegging": [],
        "Kommuner": [],
        "Ordninger": [],
        "Deltakere": [],
    }
    for key, value in (
        ("navn", "Buskerud 2021"),
        ("tittel", "Interkommunalt samarbeid i Buskerud"),
        ("dato", CUTOFF.isoformat()),
        (
            "beskrivelse",
            "Kartlegging av formalisert interkommunalt samarbeid i 25 kommuner i "
            "tidligere Buskerud (med Lunner, Gran, Jevnaker, Holmestrand, Notodden, Tinn "
            "og Hjartdal). Filen ble frosset 1. november 2021.",
        ),
        ("kilde", "NIVI Analyse for Statsforvalteren i Oslo og Viken, rapport 16. desember 2021"),
    ):
        tables["Kartlegging"].append({"felt": key, "verdi": value})
    for m in scope:
        tables["Kommuner"].append(
            {"kommunenummer": m["kommunenummer"], "kommune": m["name"], "region": m["region"]}
        )
    for row in rows:
        established = row["established_year"] or row["established_period"]
        form = LEGAL_FORMS.parse(row["legal_form"]).code if row["legal_form"] else ""
        sector = SECTORS.parse(row["sector"]).code if row["sector"] else ""
        tables["Ordninger"].append(
            {
                "id": row["id"],
                "navn": row["name"],
                "navnevarianter": row["name_variants"],
                "status": STATUS[row["status"]],
                "utenfor_grunn": "statlig-fylkeskommunalt" if row["status"] == "excluded" else "",
                "statusmerknad": row["status_note"],
                "avsluttet": row["ended"],
                "juridisk_form": form,
                "juridisk_form_kilde": row["legal_form_basis"],
                "sektor": sector,
                "oppgaveomrader": "; ".join(split(row["task_area_nrs"])),
                "etablert": established,
                "vertskommune": row["host_municipality"],
                "vertskommune_kilde": row["host_basis"],
                "arsverk": canonical_decimal(parse_decimal(row["arsverk"]))
                if row["arsverk"]
                else "",
                "arsverk_kilde": row["arsverk_detail"],
                "merknader": row["notes"],
                "kilder": row["sources"],
                "deltakere_som_trykt": row["participants_as_printed"],
                "deltakere_oppgitt_antall": row["participant_count_stated"],
                "deltakerliste": COMPLETE[row["participants_complete"]],
                "deltakere_merknad": row["participants_note"],
            }
        )
        names, printed = split(row["participants"]), split(row["participants_as_printed"])
        aligned = len(names) == len(printed)
        if as_printed:
            for name in printed:
                tables["Deltakere"].append(
                    {"ordning_id": row["id"], "deltaker": name, "som_trykt": name}
                )
            continue
        for i, name in enumerate(names):
            tables["Deltakere"].append(
                {
                    "ordning_id": row["id"],
                    "deltaker": name,
                    "kommunenummer": resolve_number(name, row),
                    "type": "kommune",
                    "rolle": "deltaker",
                    "som_trykt": printed[i] if aligned and printed[i] != name else "",
                }
            )
    return tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("source", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--as-printed", action="store_true")
    args = parser.parse_args()
    tables = convert(args.source, args.as_printed)
    if args.out.suffix == ".xlsx":
        write_xlsx(tables, args.out)
    else:
        write_csv(tables, args.out)
    print(
        f"wrote {args.out}: {len(tables['Ordninger'])} arrangements, {len(tables['Deltakere'])} memberships"
    )


if __name__ == "__main__":
    main()
