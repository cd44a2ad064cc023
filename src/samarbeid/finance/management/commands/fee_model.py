"""``samarbeid kostnadsmodell``: save a cost-sharing model from a JSON file (a new model, or a new
version of one), or show a model with its versions. All or nothing: a file with one bad field
saves nothing and every problem is named with its field."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core import safejson
from samarbeid.finance.models import FeeModel
from samarbeid.finance.services import EditRejected, ModelConflict, save_model
from samarbeid.portfolio.cli import find_body
from samarbeid.registry.bootstrap import ensure_database
from samarbeid.registry.models import Arrangement

MAX_BYTES = 2_000_000


def _read(path: Path) -> dict:
    try:
        if path.is_dir():
            raise UserError(f"{path} er en mappe, ikke en JSON-fil.", returncode=2)
        payload = path.read_bytes()
    except OSError as error:
        raise UserError(f"Kan ikke lese {path}: {error.strerror}.", returncode=2) from None
    if not payload.strip():
        raise UserError(f"{path.name} er tom; forventet en kostnadsmodell i JSON.", returncode=2)
    if len(payload) > MAX_BYTES:
        raise UserError(f"{path.name} er større enn {MAX_BYTES // 1_000_000} MB.", returncode=2)
    try:
        data = safejson.loads(payload)
    except safejson.JsonRefused as refused:
        raise UserError(
            f"{path.name} er ikke gyldig JSON: {refused.detail()}.", returncode=2
        ) from None
    if not isinstance(data, dict):
        raise UserError(f"{path.name} må være ett JSON-objekt (en kostnadsmodell).", returncode=2)
    return data


def _arrangement(text: str) -> Arrangement:
    mapping_name, _, ref = text.rpartition(":")
    if not mapping_name.strip() or not ref.strip():
        raise UserError(
            f"«{text}» er ikke KARTLEGGING:ID, for eksempel «Buskerud 2021:BUS21-007».",
            returncode=2,
        )
    found = Arrangement.objects.filter(
        mapping__name__iexact=mapping_name.strip(), ref__iexact=ref.strip()
    ).first()
    if found is None:
        raise UserError(
            f"Fant ingen ordning {ref.strip()} i kartleggingen «{mapping_name.strip()}»."
        )
    return found


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukjent bruker"


class Command(SamarbeidCommand):
    help = (
        "Lagrer en kostnadsmodell fra en JSON-fil (ny modell eller ny versjon, med begrunnelse), "
        "eller viser en modell med versjonene (--vis). Formatet står i docs/kostnadsmodell.md."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", metavar="FIL", help="Modellen som JSON")
        parser.add_argument("--navn", help="Modellens korte navn (adressen); standard: fra navnet")
        parser.add_argument("--begrunnelse", help="Hvorfor modellen lagres (påkrevd ved lagring)")
        parser.add_argument("--organ", help="Samarbeidsorganet modellen hører til (ny modell)")
        parser.add_argument(
            "--ordning",
            metavar="KARTLEGGING:ID",
            help="Ordningen modellen hører til (ny modell), for eksempel «Buskerud 2021:BUS21-007»; "
            "medlemmene er ordningens kommuner med eierandelene",
        )
        parser.add_argument("--versjon", type=int, help="Versjonen du endrer (optimistisk låsing)")
        parser.add_argument("--vis", metavar="NAVN", help="Vis modellen og versjonene som JSON")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        if options["vis"]:
            model = FeeModel.objects.filter(slug=options["vis"]).first()
            if model is None:
                known = ", ".join(FeeModel.objects.values_list("slug", flat=True)) or "ingen"
                raise UserError(f"Fant ingen kostnadsmodell «{options['vis']}». Finnes: {known}.")
            versions = [{"versjon": v.number, "av": v.author_name, "tid": v.created_at.isoformat(),
                         "begrunnelse": v.reason} for v in model.versions.all()]  # fmt: skip
            self.stdout.write(json.dumps({"navn": model.slug, "modell": model.spec, "versjoner": versions},
                                         ensure_ascii=False, indent=2))  # fmt: skip
            return
        if not options["file"]:
            raise UserError("Oppgi en JSON-fil med modellen, eller --vis NAVN.", returncode=2)
        data = _read(Path(options["file"]))
        slug = options["navn"] or ""
        existing = FeeModel.objects.filter(slug=slug).first() if slug else None
        body = find_body(options["organ"]) if options["organ"] else None
        arrangement = _arrangement(options["ordning"]) if options["ordning"] else None
        if body is not None and arrangement is not None:
            raise UserError("Oppgi enten --organ eller --ordning, ikke begge.", returncode=2)
        try:
            model = save_model(None, data, options["begrunnelse"] or "", model=existing,
                               expected_version=options["versjon"], slug=slug, body=body, arrangement=arrangement,
                               operator=f"kommandolinjen ({_who()})")  # fmt: skip
        except EditRejected as refused:
            for problem in refused.problems:
                where = "begrunnelse" if problem.field == "endringskilde" else problem.field
                self.stderr.write(f"{Path(options['file']).name}, {where}: {problem.text()}")
            raise UserError(f"{len(refused.problems)} feil. Ingenting ble lagret.") from None
        except ModelConflict as conflict:
            raise UserError(
                f"{conflict.message} Hent den nye versjonen med --vis og prøv igjen."
            ) from None
        verb = (
            "lagret som ny modell" if model.version == 1 else f"lagret som versjon {model.version}"
        )
        self.stdout.write(f"Kostnadsmodellen «{model.name}» ({model.slug}) er {verb}.")
