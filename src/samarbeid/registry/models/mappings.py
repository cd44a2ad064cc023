"""Registry data: mappings (kartlegginger) with their regions and scope, arrangements and their
participants. It comes in through the intake and the editing of one arrangement.

Unknown stays unknown: a blank legal form, host, sector or year is "not known"; "none" is a value of
its own (``HostStatus.NONE``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from samarbeid.reference.vocab import (
    COMPLETENESS,
    EXCLUSION_REASONS,
    LEGAL_FORMS,
    PARTICIPANT_KINDS,
    ROLES,
    SECTORS,
    STATUSES,
)

from .places import County, Municipality, MunicipalityPeriod, TaskArea, ordered


class Region(models.Model):
    """A municipal region (kommuneregion) or regional council area."""

    class Kind(models.TextChoices):
        REGION = "region", "Kommuneregion"
        COUNCIL = "regionrad", "Regionråd"

    name = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REGION)

    def __str__(self) -> str:
        return self.name


class RegionMembership(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="regions")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["region", "municipality", "valid_from"], name="region_membership_unique"
            ),
            ordered("valid_from", "valid_to", "region_membership_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} i {self.region}"


class MappingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MappingQuerySet:
        """The mappings ``user`` may read (drafts only with a role for them; None: anonymous)."""
        from samarbeid.registry.permissions import visible_mappings

        return self.filter(visible_mappings(user))


class Mapping(models.Model):
    """A named, dated snapshot of cooperation in an area (kartlegging).

    Its lifecycle (:mod:`.lifecycle`): a draft (utkast) is seen only by signed-in users with a
    role for it; in verification (til kontroll) it is public and the municipalities check their
    lists; frozen (frosset) it is public and read-only for everyone.
    """

    class Status(models.TextChoices):
        DRAFT = "utkast", gettext_lazy("Utkast")
        VERIFICATION = "kontroll", gettext_lazy("Til kontroll")
        FROZEN = "frosset", gettext_lazy("Frosset")

    name = models.CharField(max_length=150, unique=True)
    title = models.CharField(max_length=300, blank=True)
    cutoff_date = models.DateField(help_text="Dato kartleggingen gjelder (frysedato)")
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = MappingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["utkast", "kontroll", "frosset"]),
                name="mapping_status_known",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def frozen(self) -> bool:
        """Read-only for everyone, administrators included."""
        return self.status == self.Status.FROZEN

    @property
    def is_public(self) -> bool:
        """Readable without signing in (everything but a draft)."""
        return self.status != self.Status.DRAFT


class MappingStatusChange(models.Model):
    """One step of a mapping's lifecycle: who moved it from what to what, when, and why."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="status_changes")
    before = models.CharField(max_length=10, choices=Mapping.Status.choices)
    after = models.CharField(max_length=10, choices=Mapping.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(
        max_length=150, blank=True, help_text="Hvem, da endringen ble gjort"
    )
    source = models.TextField(help_text="Begrunnelse eller kilde (påkrevd)")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.mapping}: {self.before} → {self.after}"


class MappingMunicipality(models.Model):
    """A municipality in a mapping's scope (kartlagt kommune), with its region in the mapping."""

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="scope")
    period = models.ForeignKey(MunicipalityPeriod, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["mapping", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mapping", "period"], name="scope_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period} i {self.mapping}"


#: The status of an arrangement that counts as formal cooperation in force (nivi-method.md §1).
COUNTED = "telles"


class ArrangementQuerySet(models.QuerySet):
    def counted(self) -> ArrangementQuerySet:
        """Only arrangements that count as formal cooperation in force (status ``telles``)."""
        return self.filter(status=COUNTED)

    def not_counted(self) -> ArrangementQuerySet:
        return self.exclude(status=COUNTED)


class Arrangement(models.Model):
    """One cooperation arrangement (samarbeidsordning) of a mapping: nivi-method.md section 2."""

    class HostStatus(models.TextChoices):
        UNKNOWN = "", "Ikke kjent"
        MUNICIPALITY = "kommune", "Kommune"
        NONE = "ingen", "Ingen vertskommune"
        OTHER = "annen", "Annen (ikke en kommune)"

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="arrangements")
    ref = models.CharField(max_length=50, help_text="Id i kartleggingsfilen")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=300)
    abbreviation = models.CharField(max_length=50, blank=True)
    name_variants = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=STATUSES.choices(), default=COUNTED)
    exclusion_reason = models.CharField(
        max_length=30, choices=EXCLUSION_REASONS.choices(), blank=True
    )
    status_note = models.TextField(blank=True)
    legal_form = models.CharField(max_length=30, choices=LEGAL_FORMS.choices(), blank=True)
    legal_form_source = models.TextField(blank=True)
    org_number = models.CharField(max_length=9, blank=True)
    sector = models.CharField(max_length=30, choices=SECTORS.choices(), blank=True)
    task_areas = models.ManyToManyField(TaskArea, blank=True, related_name="arrangements")
    established_from = models.PositiveSmallIntegerField(null=True, blank=True)
    established_to = models.PositiveSmallIntegerField(null=True, blank=True)
    established_unspecified = models.BooleanField(
        default=False, help_text="Over lengre tid, uspesifisert"
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_precision = models.CharField(max_length=5, blank=True, help_text="'year' eller 'day'")
    host_status = models.CharField(max_length=10, choices=HostStatus.choices, blank=True)
    host = models.ForeignKey(
        MunicipalityPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    host_other = models.CharField(max_length=200, blank=True)
    host_source = models.TextField(blank=True)
    arsverk = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    arsverk_source = models.TextField(blank=True)
    budget = models.DecimalField(max_digits=15, decimal_places=0, null=True, blank=True)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    sources = models.TextField(blank=True)
    participant_count_stated = models.PositiveIntegerField(null=True, blank=True)
    participants_completeness = models.CharField(
        max_length=20, choices=COMPLETENESS.choices(), blank=True
    )
    participants_note = models.TextField(blank=True)
    participants_as_printed = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Økes ved hver endring; optimistisk låsing av redigering"
    )

    objects = ArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["mapping", "position"]
        constraints = [
            models.UniqueConstraint(fields=["mapping", "ref"], name="arrangement_ref_unique"),
            models.UniqueConstraint(fields=["mapping", "name"], name="arrangement_name_unique"),
            models.CheckConstraint(
                condition=Q(arsverk__isnull=True) | Q(arsverk__gte=0),
                name="arrangement_arsverk_nonnegative",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="arrangement_budget_nonnegative",
            ),
            ordered("established_from", "established_to", "arrangement_established_ordered"),
            models.CheckConstraint(  # one text of «etablert» (rules.values.format_established)
                condition=Q(established_from__isnull=True, established_to__isnull=True)
                | Q(
                    established_from__isnull=False,
                    established_to__isnull=False,
                    established_unspecified=False,
                ),
                name="arrangement_established_both_years_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(org_number="") | Q(org_number__regex=r"^[0-9]{9}$"),
                name="arrangement_orgnr_9_digits",
            ),
            models.CheckConstraint(
                condition=Q(host__isnull=True) | Q(host_status="kommune"),
                name="arrangement_host_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counts(self) -> bool:
        """Whether the arrangement counts as formal cooperation in force (nivi-method.md §1)."""
        return self.status == COUNTED


class Membership(models.Model):
    """A participant of an arrangement: a municipality, a county authority or another owner."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="memberships"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=PARTICIPANT_KINDS.choices(), default="kommune")
    municipality = models.ForeignKey(
        MunicipalityPeriod,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=30, choices=ROLES.choices(), default="deltaker")
    ownership_share = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    left_on = models.DateField(null=True, blank=True)
    as_printed = models.CharField(max_length=200, blank=True)
    source = models.TextField(blank=True)

    class Meta:
        ordering = ["arrangement", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ownership_share__isnull=True)
                | (Q(ownership_share__gte=0) & Q(ownership_share__lte=100)),
                name="membership_share_0_100",
            ),
            ordered("joined_on", "left_on", "membership_dates_ordered"),
            models.CheckConstraint(
                condition=(
                    Q(kind="kommune") & Q(municipality__isnull=False) & Q(county__isnull=True)
                )
                | (Q(kind="fylkeskommune") & Q(county__isnull=False) & Q(municipality__isnull=True))
                | (
                    Q(kind="annen")
                    & Q(municipality__isnull=True)
                    & Q(county__isnull=True)
                    & ~Q(other_name="")
                ),
                name="membership_kind_consistent",
            ),
            models.UniqueConstraint(
                fields=["arrangement", "municipality"],
                name="membership_municipality_unique",
                condition=Q(municipality__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["arrangement", "county"],
                name="membership_county_unique",
                condition=Q(county__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["arrangement", "other_name"],
                name="membership_other_unique",
                condition=Q(kind="annen"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality or self.county or self.other_name} i {self.arrangement}"
