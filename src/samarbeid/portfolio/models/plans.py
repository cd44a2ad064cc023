"""Yearly action plans, the projects (tiltak) they carry, milestones, status reports, who takes
part, and funding applications."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.registry.models import Municipality

from .bodies import CooperationBody, FocusArea, GoverningBody, source_field, source_required


class ActionPlan(models.Model):
    """One body's handlingsplan for one year; a draft until a governing body approves it."""

    class Status(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        APPROVED = "vedtatt", _("Vedtatt")

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="plans")
    year = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        GoverningBody, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    stated_project_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Antall prosjekter slik planens tekst oppgir det"
    )
    summary = models.TextField(blank=True)
    source = source_field()
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["body", "year"]
        constraints = [
            source_required("plan"),
            models.UniqueConstraint(fields=["body", "year"], name="plan_one_per_body_and_year"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanSection(models.Model):
    """A numbered heading of the plan as written (1, 1.1, 2.2.1 …): the numbering checks read it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_section_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class MeasureCatalogue(models.Model):
    """A study's catalogue of measures (Kongsbergregionen's 31), approved once; networks pick
    measures from it into their yearly plans. ``summary_codes`` keeps the codes and titles of the
    document's summary as written, so the check can compare them with the measures' own."""

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="catalogues")
    title = models.CharField(max_length=300)
    approved_by = models.ForeignKey(
        GoverningBody, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(null=True, blank=True)
    stated_count = models.PositiveSmallIntegerField(null=True, blank=True)
    summary_codes = models.JSONField(default=dict, blank=True)
    source = source_field()

    class Meta:
        ordering = ["body", "title"]
        constraints = [source_required("catalogue")]

    def __str__(self) -> str:
        return self.title


class Project(models.Model):
    """A project or measure (tiltak) with a stable code within its body."""

    class Phase(models.TextChoices):
        IDEA = "ide", _("Idé")
        PRE_PROJECT = "forprosjekt", _("Forprosjekt")
        MAIN_PROJECT = "hovedprosjekt", _("Hovedprosjekt")
        OPERATION = "drift", _("Drift")
        ENDED = "avsluttet", _("Avsluttet")
        CANCELLED = "avlyst", _("Avlyst")

    class Form(models.TextChoices):
        NETWORK = "nettverk", _("Nettverk")
        PROJECT = "prosjekt", _("Prosjekt")
        PURCHASE = "tjenestekjop", _("Tjenestekjøp")
        STATUTORY = "lovfestet", _("Lovfestet samarbeidsform")

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="projects")
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=50, blank=True, help_text="Prosjekt, tiltak, forprosjekt …")
    focus_area = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    owner = models.CharField(max_length=300, blank=True)
    responsible = models.CharField(
        max_length=300, blank=True, help_text="Nettverket eller gruppen som har ansvaret"
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    cooperation_form = models.CharField(max_length=20, choices=Form.choices, blank=True)
    catalogue = models.ForeignKey(
        MeasureCatalogue, null=True, blank=True, on_delete=models.SET_NULL, related_name="measures"
    )
    prioritised = models.BooleanField(null=True, blank=True, help_text="Prioritert i katalogen")
    seeks_funds = models.BooleanField(
        null=True, blank=True, help_text="Søker skjønnsmidler; tom: ikke kjent"
    )
    started = models.CharField(max_length=50, blank=True, help_text="Når, med kildens ord")
    description = models.TextField(blank=True)
    budget = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    economic_case = models.TextField(
        blank=True, help_text="Økonomiske konsekvenser: utgifter, inntekter og gevinster"
    )
    source = source_field()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["body", "code"]
        constraints = [
            source_required("project"),
            models.UniqueConstraint(fields=["body", "code"], name="project_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PlanProject(models.Model):
    """A project in one year's plan: continued or new, under which section, what this year."""

    class Category(models.TextChoices):
        CONTINUED = "videreført", _("Videreført")
        NEW = "nyetablert", _("Nyetablert")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="entries")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="plan_entries")
    category = models.CharField(max_length=12, choices=Category.choices)
    section = models.CharField(max_length=20, blank=True)
    this_year = models.TextField(blank=True, help_text="Hva som skal gjøres i planåret")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "project"], name="plan_project_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.project}"


class Milestone(models.Model):
    """A milestone with the plan's own words for when («1.–2. kvartal 2021») and the last day
    they allow (``due_by``, from :mod:`samarbeid.portfolio.periods`; empty when none)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    plan = models.ForeignKey(
        ActionPlan, null=True, blank=True, on_delete=models.SET_NULL, related_name="milestones"
    )
    text = models.CharField(max_length=500)
    when = models.CharField(max_length=100, blank=True)
    due_by = models.DateField(null=True, blank=True)
    done = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["project", "position", "id"]
        constraints = [source_required("milestone")]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.text}"


class StatusReport(models.Model):
    """A dated status of a project, kept as written (a snapshot, never edited)."""

    class Light(models.TextChoices):
        GREEN = "gronn", _("Grønn")
        YELLOW = "gul", _("Gul")
        RED = "rod", _("Rød")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="status_reports")
    date = models.DateField()
    light = models.CharField(max_length=5, choices=Light.choices, blank=True)
    text = models.TextField()
    source = source_field()

    class Meta:
        ordering = ["project", "date", "id"]
        constraints = [source_required("status_report")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.date}"


class Benefit(models.Model):
    """An expected benefit (gevinst) of a project, for one member municipality or for all, with
    the person or role who owns its realisation (gevinsteier) and how it is measured."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="benefits")
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True, help_text="Gevinsteier")
    indicator = models.CharField(max_length=300, blank=True, help_text="Hvordan gevinsten måles")
    baseline = models.CharField(max_length=100, blank=True, help_text="Nivå før")
    target = models.CharField(max_length=100, blank=True, help_text="Mål")
    when = models.CharField(max_length=100, blank=True, help_text="Når, med kildens ord")
    source = source_field()

    class Meta:
        ordering = ["project", "id"]
        constraints = [source_required("benefit")]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.description[:60]}"


class Participation(models.Model):
    """The participation matrix: whether a member municipality takes part in a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participation")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    takes_part = models.BooleanField()
    source = source_field()

    class Meta:
        constraints = [
            source_required("participation"),
            models.UniqueConstraint(
                fields=["project", "municipality"], name="participation_once_per_municipality"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.municipality}"


class FundingApplication(models.Model):
    """Funds applied for and granted: per body and year, for one project or the whole plan."""

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="funding")
    year = models.PositiveSmallIntegerField()
    year_as_stated = models.CharField(
        max_length=100, blank=True, help_text="Perioden med kildens ord når den ikke er ett år"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source_kind = models.CharField(
        max_length=30, help_text="skjonnsmidler, medlemskontingent, tilskudd, egeninnsats …"
    )
    grantor = models.CharField(max_length=200)
    applied = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    granted = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    own_contribution = models.DecimalField(max_digits=14, decimal_places=0, null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    source = source_field()

    class Meta:
        ordering = ["body", "year", "id"]
        constraints = [
            source_required("funding"),
            models.CheckConstraint(
                condition=Q(applied__isnull=False) | Q(granted__isnull=False),
                name="funding_applied_or_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.year}: {self.grantor}"
