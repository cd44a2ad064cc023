from __future__ import annotations

from pathlib import Path

from samarbeid.adoption import prioritisation
from samarbeid.adoption.models import SolutionPortfolio
from samarbeid.commandbase import SamarbeidCommand, UserError
from samarbeid.core import markdown as md
from samarbeid.portfolio.cli import as_json, emit, find_body
from samarbeid.registry.bootstrap import ensure_database


def find_portfolio(year: int, body_name: str | None) -> SolutionPortfolio:
    found = SolutionPortfolio.objects.filter(year=year)
    if body_name:
        found = found.filter(body=find_body(body_name))
    else:
        found = found.filter(level=SolutionPortfolio.Level.NATIONAL)
    portfolio = found.first()
    if portfolio is None:
        have = (
            ", ".join(f"{p.title} ({p.year})" for p in SolutionPortfolio.objects.all()) or "ingen"
        )
        raise UserError(f"Fant ingen portefølje for {year}. Finnes: {have}.")
    return portfolio


def markdown(portfolio: SolutionPortfolio, data: dict) -> str:
    lines = [f"# Prioritering: {md.text(portfolio.title)}", ""]
    weights = ", ".join(f"{md.text(c['kort'])} {c['vekt']}" for c in data["kriterier"])
    lines += [f"Kriterier og vekt: {weights or 'ingen'}.", ""]
    if not data["har_poeng"]:
        lines += ["Ingen poeng er ført: rekkefølgen er den vedtatte.", ""]
    lines += [
        "| vedtatt rang | beregnet rang | forskjell | vektet sum | tiltak |",
        "|---|---|---|---|---|",
    ]
    for r in data["rangert"]:
        cells = [r["vedtatt_rang"], r["beregnet_rang"], r["forskjell"], r["vektet_sum"]]
        shown = ["–" if c is None else str(c) for c in cells]
        lines.append("| " + " | ".join([*shown, md.cell(f"{r['referanse']} {r['tittel']}")]) + " |")
    if data["ikke_rangert"]:
        lines += ["", "Ikke rangert med vilje (felles tiltak under utvikling):", ""]
        lines += [
            f"- {md.text(u['referanse'])} {md.text(u['tittel'])}" for u in data["ikke_rangert"]
        ]
    return "\n".join([*lines, ""])


class Command(SamarbeidCommand):
    help = (
        "Prioriteringen av en portefølje: kriteriene med vekt, poengene, den vektede summen og "
        "rangeringen den gir ved siden av den vedtatte. Med --poeng FIL føres vekter og poeng "
        "fra en JSON-fil (alt eller ingenting)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--aar", type=int, required=True, help="Porteføljens år")
        parser.add_argument("--organ", help="Et samarbeidsorgans regionale portefølje")
        parser.add_argument("--poeng", help="JSON-fil med kilde, vekter og poeng (se README)")
        parser.add_argument("--format", choices=("md", "json"), default="md")
        parser.add_argument("--out", help="Skriv til denne filen")

    def handle(self, *args, **options) -> None:
        ensure_database(verbose=False)
        portfolio = find_portfolio(options["aar"], options["organ"])
        if options["poeng"]:
            path = Path(options["poeng"])
            try:
                payload = path.read_bytes()
            except OSError as error:
                raise UserError(f"Kan ikke lese {path}: {error.strerror}.", returncode=2) from None
            try:
                weights, scores = prioritisation.save_scores(portfolio, payload)
            except prioritisation.ScoresRefused as refused:
                for problem in refused.problems:
                    self.stderr.write(f"{path.name}, {problem.text()}")
                raise UserError(
                    f"{len(refused.problems)} feil i {path.name}. Ingenting ble lagret."
                ) from None
            self.stderr.write(f"Lagret {weights} vekter og {scores} poeng fra {path.name}.")
        data = prioritisation.ranking(portfolio)
        text = as_json(data) if options["format"] == "json" else markdown(portfolio, data)
        emit(self, text, options["out"])
