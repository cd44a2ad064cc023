from __future__ import annotations

from samarbeid.adoption.document import (
    document_data,
    document_html,
    document_markdown,
    document_pdf,
)
from samarbeid.adoption.models import SolutionPortfolio
from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core.outfiles import check_target
from samarbeid.portfolio.cli import as_json, emit, find_body, require_out
from samarbeid.registry.bootstrap import ensure_database

#: Each format from the document's data: text (md, json, html) or the bytes of a file (pdf).
RENDER = {
    "md": document_markdown,
    "json": as_json,
    "html": document_html,
    "pdf": document_pdf,
}

NATIONAL, REGIONAL = SolutionPortfolio.Level.NATIONAL, SolutionPortfolio.Level.REGIONAL


def _existing() -> str:
    national = SolutionPortfolio.objects.filter(level=NATIONAL).order_by("year")
    regional = SolutionPortfolio.objects.filter(level=REGIONAL).select_related("body")
    if not national and not regional:
        return "Det finnes ingen porteføljer; last inn eksemplene med «samarbeid load-example»."
    years = ", ".join(str(p.year) for p in national) or "ingen"
    bodies = ", ".join(f"{p.body.name} {p.year}" for p in regional.order_by("body__name", "year"))
    return f"Nasjonale porteføljer: {years}. Regionale: {bodies or 'ingen'}."


def find_portfolio(year: int, body_name: str | None = None) -> SolutionPortfolio:
    """The national portfolio of ``year``, or the body's regional one; a :class:`UserError`
    naming what exists otherwise."""
    if body_name:
        body = find_body(body_name)
        portfolio = body.solution_portfolios.filter(year=year).first()
        if portfolio is None:
            raise UserError(f"{body.name} har ingen regional portefølje for {year}. {_existing()}")
        return portfolio
    portfolio = SolutionPortfolio.objects.filter(level=NATIONAL, year=year).first()
    if portfolio is None:
        raise UserError(f"Det finnes ingen nasjonal portefølje for {year}. {_existing()}")
    return portfolio


class Command(SamarbeidCommand):
    help = (
        "Skriv porteføljedokumentet for fellesløsninger for ett år: den nasjonale porteføljen, "
        "eller med --organ et samarbeidsorgans regionale (med de arvede nasjonale tiltakene "
        "merket). Innsatsområdene, tabell 1 med de rangerte innføringsaktivitetene (statustall, "
        "ambisjon og andel), tabell 2 med de felles tiltakene, hvert tiltak i detalj, "
        "kriteriene, pilotkommunene og funnene i dokumentet. Som md, json, html eller pdf "
        "(pdf krever --out)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--aar", type=int, required=True, help="Porteføljeåret, f.eks. 2023")
        parser.add_argument(
            "--organ", help="Samarbeidsorganet med en regional portefølje (standard: nasjonal)"
        )
        parser.add_argument(
            "--format",
            choices=tuple(RENDER),
            default="md",
            help="Standard: md; pdf krever --out",
        )
        parser.add_argument("--out", help="Skriv til denne filen i stedet for til skjermen")

    def handle(self, *args, **options) -> None:
        require_out(options["format"], options["out"], "portefolje")
        if options["out"]:
            check_target(options["out"])
        ensure_database(verbose=False)
        portfolio = find_portfolio(options["aar"], options["organ"])
        data = document_data(portfolio)
        emit(self, RENDER[options["format"]](data), options["out"])
