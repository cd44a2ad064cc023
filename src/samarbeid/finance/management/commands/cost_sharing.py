"""``samarbeid kostnad``: what each member pays under one cost-sharing model, several models side
by side with their fairness figures, and the years ahead — as json or md (to the screen or a
file) or as xlsx or pdf (to a file), made to be attached to a council case."""

from __future__ import annotations

from decimal import Decimal

from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import check_target
from samarbeid.finance.compute import ComputeError
from samarbeid.finance.members import gazetteer, last_population_year
from samarbeid.finance.models import FeeModel
from samarbeid.finance.money import decimals, exact
from samarbeid.finance.outputs import FORMATS, render
from samarbeid.finance.services import MAX_YEARS, calculate
from samarbeid.finance.spec import SpecError
from samarbeid.portfolio.cli import emit
from samarbeid.registry.bootstrap import ensure_database

#: Formats that are files, not text: written only with ``--ut``.
BINARY = ("xlsx", "pdf")
#: The largest yearly population growth accepted, in per cent either way.
MAX_GROWTH = 20


def _year(text: str, option: str) -> int:
    try:
        return int(text.strip())
    except (AttributeError, ValueError):
        raise UserError(
            f"Ugyldig år «{text}» i {option}. Forventet et årstall, f.eks. 2024.", returncode=2
        ) from None


def parse_years(year_text: str, to_text: str | None) -> tuple[int, int | None]:
    """The budget year and the last year of the projection, checked against the population
    figures there are (SSB per 1 January from the first shipped year) and the 30 years ahead."""
    year = _year(year_text, "--aar")
    first = gazetteer().population_years()[0]
    last = last_population_year() + MAX_YEARS
    if year < first:
        raise UserError(
            f"Det finnes ikke folketall for budsjettåret {year}: de medfølgende tallene "
            f"(SSB, per 1. januar) begynner i {first}. Velg --aar {first} eller senere.",
            returncode=2,
        )
    if year > last:
        raise UserError(f"--aar {year} er for langt fram; høyst {last}.", returncode=2)
    if to_text is None:
        return year, None
    to_year = _year(to_text, "--til-aar")
    if to_year < year:
        raise UserError(f"--til-aar {to_year} er før --aar {year}.", returncode=2)
    if to_year > year + MAX_YEARS:
        raise UserError(
            f"--til-aar kan ligge høyst {MAX_YEARS} år etter --aar, altså {year + MAX_YEARS} "
            f"(ikke {to_year}).",
            returncode=2,
        )
    return year, to_year


def parse_growth(text: str | None) -> Decimal | None:
    """``--vekst``: per cent a year («0,5», «1.2», «-0,3»)."""
    if text is None:
        return None
    try:
        growth = exact(text)
    except ValueError:
        growth = None
    if growth is None or decimals(growth) > 2 or abs(growth) > MAX_GROWTH:
        raise UserError(
            f"Ugyldig --vekst «{text}». Forventet prosent per år mellom −{MAX_GROWTH} og "
            f"{MAX_GROWTH} med høyst to desimaler, f.eks. 0,5.",
            returncode=2,
        )
    return growth


def find_models(slugs: list[str]) -> list[FeeModel]:
    """The models by their short names (slug), in the order given; every unknown one named with
    the models that exist."""
    names = [s.strip() for s in slugs]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise UserError(f"--modell {', '.join(twice)} er oppgitt flere ganger.", returncode=2)
    found = {m.slug: m for m in FeeModel.objects.filter(slug__in=names).select_related("body")}
    missing = [n for n in names if n not in found]
    if missing:
        known = ", ".join(FeeModel.objects.order_by("slug").values_list("slug", flat=True))
        hint = " Last inn eksemplene med «samarbeid load-example»." if not known else ""
        which = "kostnadsmodellen" if len(missing) == 1 else "kostnadsmodellene"
        listed = ", ".join(f"«{n}»" for n in missing)
        raise UserError(f"Fant ikke {which} {listed}. Finnes: {known or 'ingen'}.{hint}")
    return [found[n] for n in names]


class Command(SamarbeidCommand):
    help = (
        "Hva hvert medlem betaler etter en kostnadsmodell i et budsjettår, med regnestykket per "
        "medlem, summen, budsjettet og dekningen; med flere --modell sammenligningen (betaling og "
        "kostnad per innbygger per modell, endring fra den første modellen og fra året før, "
        "rettferdighetstall, hvem som når tak og gulv); med --til-aar framskrivingen år for år. "
        "Som json eller md (til skjermen eller --ut FIL), xlsx eller pdf (krever --ut)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--modell",
            action="append",
            required=True,
            metavar="NAVN",
            help="Modellens korte navn, f.eks. digivestland-grunnfinansiering (flere for å sammenligne)",
        )
        parser.add_argument("--aar", required=True, metavar="ÅR", help="Budsjettåret, f.eks. 2024")
        parser.add_argument("--til-aar", metavar="ÅR", help="Framskriv hvert år til og med dette")
        parser.add_argument(
            "--vekst",
            metavar="PROSENT",
            help="Årlig vekst i folketallet etter de medfølgende tallene (standard: ingen)",
        )
        parser.add_argument("--format", choices=FORMATS, default="md", help="Standard: md")
        parser.add_argument(
            "--ut",
            "--out",
            dest="out",
            metavar="FIL",
            help="Skriv til filen (påkrevd for xlsx og pdf)",
        )

    def handle(self, *args, **options) -> None:
        fmt, out = options["format"], options["out"]
        if fmt in BINARY and not out:
            raise UserError(
                f"Formatet {fmt} er en fil og kan ikke skrives til skjermen. Oppgi filen med "
                f"--ut, f.eks. --ut kostnad.{fmt}.",
                returncode=2,
            )
        if out:
            check_target(out)
        year, to_year = parse_years(options["aar"], options["til_aar"])
        growth = parse_growth(options["vekst"])
        ensure_database(verbose=False)
        models = find_models(options["modell"])
        try:
            calc = calculate(models, year, to_year, growth)
        except ComputeError as error:
            raise UserError(error.message.text()) from None
        except SpecError as error:
            raise UserError(f"En modell kan ikke leses: {error}.") from None
        content, _type, _name = render(calc, fmt)
        emit(self, content if fmt in BINARY else content.decode("utf-8"), out)
