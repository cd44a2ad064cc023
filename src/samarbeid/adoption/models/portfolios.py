"""Portfolios of shared solutions (KS's e-health portfolio 2023; a body's regional one): the
focus areas, the items — ranked introduction activities and unranked joint measures — the
solutions they bring into use, prioritisation criteria and scores, and pilot municipalities.
Every fact carries ``source`` (document and section)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from samarbeid.portfolio.models import CooperationBody
from samarbeid.portfolio.models.bodies import source_field, source_required
from samarbeid.registry.models import Municipality


class Solution(models.Model):
    """A shared solution as a lasting thing municipalities take into use (Kjernejournal,
    DigiHelsestasjon …), across portfolios and years: what adoption is recorded against."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    source = source_field()

    class Meta:
        ordering = ["name"]
        constraints = [source_required("solution")]

    def __str__(self) -> str:
        return self.name


class SolutionPortfolio(models.Model):
    """One portfolio for one year and level: national (no body) or a body's regional one,
    which inherits the national portfolio of its year (``parent``) and adds its own items."""

    class Level(models.TextChoices):
        NATIONAL = "nasjonal", "Nasjonal"
        REGIONAL = "regional", "Regional"

    year = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    body = models.ForeignKey(
        CooperationBody,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="solution_portfolios",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="regional"
    )
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, blank=True, help_text="Hvem som står bak (KS)")
    approved_by = models.CharField(
        max_length=200, blank=True, help_text="Organet som vedtok porteføljen (KommIT-rådet)"
    )
    approved_on = models.DateField(null=True, blank=True)
    status_as_of = models.CharField(
        max_length=100, blank=True, help_text="Statustallenes tidspunkt slik kilden sier det"
    )
    summary = models.TextField(blank=True)
    source = source_field()
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "level", "title"]
        constraints = [
            source_required("solution_portfolio"),
            models.CheckConstraint(
                condition=Q(level="nasjonal", body__isnull=True)
                | Q(level="regional", body__isnull=False),
                name="solution_portfolio_level_matches_body",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(level="nasjonal"),
                name="solution_portfolio_one_national_per_year",
            ),
            models.UniqueConstraint(
                fields=["year", "body"],
                condition=Q(level="regional"),
                name="solution_portfolio_one_regional_per_body_year",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Area(models.Model):
    """A focus area of a portfolio (KS's five: legemiddelområdet, digital samhandling …)."""

    portfolio = models.ForeignKey(SolutionPortfolio, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["portfolio", "position", "id"]
        constraints = [
            source_required("adoption_area"),
            models.UniqueConstraint(fields=["portfolio", "name"], name="adoption_area_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """An introduction activity (ranked, ready for use) or a joint measure (unranked, under
    development) of one portfolio."""

    class Kind(models.TextChoices):
        INTRODUCTION = "innforing", "Innføringsaktivitet"
        JOINT = "felles", "Felles tiltak"

    class Population(models.TextChoices):
        ALL = "alle", "Alle kommuner"
        COUNTIES = "fylker", "Kommunene i fylkene"
        BODY = "organ", "Organets medlemmer"
        LISTED = "liste", "Navngitte kommuner"
        STATED = "oppgitt", "Slik kilden beskriver det (ikke navngitt)"

    portfolio = models.ForeignKey(SolutionPortfolio, on_delete=models.CASCADE, related_name="items")
    reference = models.CharField(max_length=20, help_text="Rang (1–7) eller avsnitt («3.2b»)")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=500)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="items"
    )
    solution = models.ForeignKey(
        Solution, null=True, blank=True, on_delete=models.PROTECT, related_name="items"
    )
    inherits = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inherited_by",
        help_text="Det nasjonale tiltaket et regionalt bygger på",
    )
    owner = models.CharField(max_length=300, blank=True)
    timeframe = models.CharField(max_length=300, blank=True, help_text="«2023–2029», «Pågående»")
    purpose = models.TextField(blank=True)
    municipalities_should = models.TextField(blank=True, help_text="Hva kommunene bør gjøre")
    sector_does = models.TextField(blank=True, help_text="Hva kommunal sektor gjør")
    status_text = models.TextField(blank=True)
    detail_section = models.CharField(
        max_length=20, blank=True, help_text="Avsnittet som utdyper tiltaket; tomt: mangler"
    )
    planned_in_text = models.CharField(
        max_length=200, blank=True, help_text="Det teksten planlegger («ti til i 2023»)"
    )
    planned_total = models.PositiveIntegerField(
        null=True, blank=True, help_text="Hva teksten planlegger, som tall (10 + 10 = 20)"
    )
    ambition = models.PositiveIntegerField(null=True, blank=True)
    population = models.CharField(max_length=10, choices=Population.choices, default="alle")
    population_note = models.CharField(max_length=300, blank=True)
    population_counties = models.JSONField(
        default=list, blank=True, help_text="Fylkesnumrene når populasjonen er fylker"
    )
    population_municipalities = models.ManyToManyField(Municipality, blank=True, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["portfolio", "kind", "position", "id"]
        constraints = [
            source_required("adoption_item"),
            models.UniqueConstraint(
                fields=["portfolio", "reference"], name="adoption_item_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind="felles", rank__isnull=True) | Q(kind="innforing"),
                name="adoption_item_joint_measures_unranked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class ReportedCount(models.Model):
    """A count someone else reports (KS: Kjernejournal 215, status per April 2023), kept beside
    the count of the records and never mixed into it; several over time make a series."""

    class Level(models.TextChoices):
        AVAILABLE = "tilgjengeliggjort", "Tilgjengeliggjort"
        IN_USE = "i_bruk", "I bruk"
        # The source gives a count without saying what it counts (KS 2023: «status skal si noe
        # om bruken … og eierens definisjon av bruk»): compared with made available or more.
        UNSPECIFIED = "ikke_oppgitt", "Ikke oppgitt"

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="reported_counts")
    item = models.ForeignKey(
        Item, null=True, blank=True, on_delete=models.CASCADE, related_name="reported_counts"
    )
    count = models.PositiveIntegerField()
    level = models.CharField(max_length=20, choices=Level.choices)
    as_of = models.DateField(help_text="Tidspunktet tallet gjelder (april 2023: 2023-04-30)")
    as_of_text = models.CharField(max_length=100, blank=True, help_text="Slik kilden sier det")
    in_text = models.CharField(
        max_length=100, blank=True, help_text="Tallet slik teksten om tiltaket sier det («ca. 214»)"
    )
    reported_by = models.CharField(max_length=200, help_text="Hvem som oppgir tallet (KS)")
    source = source_field()

    class Meta:
        ordering = ["solution", "as_of", "id"]
        constraints = [source_required("adoption_reported_count")]

    def __str__(self) -> str:
        return f"{self.solution}: {self.count} ({self.level}, {self.as_of})"


class Criterion(models.Model):
    """A prioritisation criterion of a portfolio, with its weight (KS's eight; weight 1 each
    unless a body sets another)."""

    portfolio = models.ForeignKey(
        SolutionPortfolio, on_delete=models.CASCADE, related_name="criteria"
    )
    text = models.CharField(max_length=500)
    short = models.CharField(max_length=60)
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["portfolio", "position", "id"]
        constraints = [
            source_required("adoption_criterion"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="criterion_weight_nonneg"),
        ]

    def __str__(self) -> str:
        return self.short


class Score(models.Model):
    """An item's score (0–5) on one criterion, with the justification."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()
    justification = models.TextField(blank=True)
    source = source_field()

    class Meta:
        ordering = ["item", "criterion"]
        constraints = [
            source_required("adoption_score"),
            models.UniqueConstraint(fields=["item", "criterion"], name="adoption_score_unique"),
            models.CheckConstraint(condition=Q(value__lte=5), name="adoption_score_0_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.item.reference} {self.criterion}: {self.value}"


class Pilot(models.Model):
    """A pilot municipality of an item (Alta, Tromsø, Bodø, Rana for DBEP; Bergen with the
    districts Arna and Åsane for PLL), with period and outcome."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="pilots")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    part = models.CharField(max_length=200, blank=True, help_text="Del av kommunen (bydelene …)")
    what = models.CharField(max_length=300, blank=True, help_text="Hva som prøves ut")
    period = models.CharField(max_length=100, blank=True)
    outcome = models.TextField(blank=True)
    source = source_field()

    class Meta:
        ordering = ["item", "id"]
        constraints = [source_required("adoption_pilot")]

    def __str__(self) -> str:
        return f"{self.municipality} ({self.item.reference})"
