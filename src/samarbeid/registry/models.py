"""The registry's data model.

Reference data (counties, municipalities with their number history, population, task areas) is
loaded from the files shipped in ``samarbeid/reference/data`` (see :mod:`.reference`).
Registry data (mappings, arrangements, memberships) comes in through the intake.

Unknown stays unknown: a blank legal form, host, sector or year is "not known"; "none" is a value of
its own (``HostStatus.NONE``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
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


def ordered(first: str, last: str, name: str) -> models.CheckConstraint:
    """``last`` is not before ``first`` where both are known (periods, date and year ranges)."""
    return models.CheckConstraint(
        condition=Q(**{f"{last}__isnull": True})
        | Q(**{f"{first}__isnull": True})
        | Q(**{f"{last}__gte": F(first)}),
        name=name,
    )


class County(models.Model):
    number = models.CharField(max_length=2)
    name = models.CharField(max_length=100)
    valid_from = models.DateField(null=True, blank=True, help_text="Tom: før referansedataene")
    valid_to = models.DateField(null=True, blank=True, help_text="Tom: fortsatt gyldig")

    class Meta:
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "valid_from"], name="county_number_from_unique"
            ),
            ordered("valid_from", "valid_to", "county_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class Municipality(models.Model):
    """A municipality as one entity across number and name changes (Drammen 3005 → 3301).

    A merger or split ends entities and starts new ones; :class:`MunicipalityChange` records it.
    """

    key = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=100, help_text="Navnet i den siste perioden")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "municipalities"

    def __str__(self) -> str:
        return self.name


class MunicipalityPeriod(models.Model):
    """One number and name of a municipality, in one county, over one validity period."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="periods")
    number = models.CharField(max_length=4)
    name = models.CharField(max_length=100)
    name_official = models.CharField(max_length=150)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["number", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "valid_from"], name="period_number_from_unique"
            ),
            ordered("valid_from", "valid_to", "period_ordered"),
            models.CheckConstraint(
                condition=Q(number__regex=r"^[0-9]{4}$"), name="period_number_4_digits"
            ),
        ]
        # No two periods of the same number may overlap: enforced by an exclusion constraint on
        # PostgreSQL and by triggers on SQLite (migration 0002).

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"


class MunicipalityChange(models.Model):
    class Kind(models.TextChoices):
        RENUMBERED = "renumbered", "Nytt nummer"
        RENAMED = "renamed", "Nytt navn"
        RENUMBERED_AND_RENAMED = "renumbered_and_renamed", "Nytt nummer og navn"
        MERGED = "merged", "Sammenslåing"
        SPLIT = "split", "Deling"
        SPLIT_AND_MERGED = "split_and_merged", "Delt og slått sammen"

    date = models.DateField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    before = models.ForeignKey(
        MunicipalityPeriod, on_delete=models.CASCADE, related_name="changes_out"
    )
    after = models.ForeignKey(
        MunicipalityPeriod, on_delete=models.CASCADE, related_name="changes_in"
    )

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["before", "after"], name="change_pair_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}: {self.before} → {self.after}"


class Population(models.Model):
    """Inhabitants on 1 January of ``year``, by the number in force that day (SSB 07459)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="population"
    )
    year = models.PositiveSmallIntegerField()
    number = models.CharField(max_length=4)
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="population_year_number")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.year}: {self.population}"


class TaskArea(models.Model):
    """One of the 45 task areas of the mapping method (with the Trøndelag 2020 reference share)."""

    nr = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=100)
    reference_pct = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        ordering = ["nr"]

    def __str__(self) -> str:
        return f"{self.nr} {self.name}"


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
    status = models.CharField(max_length=20, choices=STATUSES.choices(), default="telles")
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
        return self.status == "telles"


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


class ReferenceDataVersion(models.Model):
    """Digest of the shipped reference files last loaded into this database."""

    digest = models.CharField(max_length=64)
    loaded = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.digest[:12]


# --- Editing: roles, change history, login throttling (issue #6) --------------------------------


class RoleAssignment(models.Model):
    """What a signed-in user may edit (rules in :mod:`.permissions`).

    The public needs no account. A reader (leser) is signed in to read drafts, of one mapping or,
    with ``mapping`` empty, of every mapping. An administrator is a Django superuser (no row
    needed). A mapping editor (kartlegger) edits every arrangement of one mapping; a municipality
    editor edits the arrangements one municipality (an entity across number changes) takes part
    in, in one mapping or, with ``mapping`` empty, in every mapping.
    """

    class Role(models.TextChoices):
        MAPPING_EDITOR = "kartlegger", "Kartlegger"
        MUNICIPALITY_EDITOR = "kommune", "Kommuneredaktør"
        READER = "leser", "Leser"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    mapping = models.ForeignKey(
        Mapping, null=True, blank=True, on_delete=models.CASCADE, related_name="role_assignments"
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="editor_assignments",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="kartlegger") & Q(mapping__isnull=False) & Q(municipality__isnull=True)
                )
                | (Q(role="kommune") & Q(municipality__isnull=False))
                | (Q(role="leser") & Q(municipality__isnull=True)),
                name="role_assignment_consistent",
            ),
            models.UniqueConstraint(
                fields=["user", "mapping"],
                condition=Q(role="leser"),
                name="role_reader_unique",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role="leser", mapping__isnull=True),
                name="role_reader_all_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "mapping"],
                condition=Q(role="kartlegger"),
                name="role_mapping_editor_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality"],
                condition=Q(role="kommune", mapping__isnull=True),
                name="role_municipality_editor_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "municipality", "mapping"],
                condition=Q(role="kommune", mapping__isnull=False),
                name="role_municipality_editor_mapping_unique",
            ),
        ]

    def __str__(self) -> str:
        target = self.mapping if self.role == self.Role.MAPPING_EDITOR else self.municipality
        return f"{self.user} – {self.get_role_display()} for {target}"


class ChangeRecord(models.Model):
    """One change of one arrangement: who, when, from where (``source``), and the arrangement
    before and after, incl. participants and task areas, in the mapping file's terms
    (:func:`samarbeid.registry.history.snapshot`). Written by :mod:`.editing` and by the import
    (:mod:`.history`); never changed afterwards."""

    class Action(models.TextChoices):
        CREATED = "opprettet", "Opprettet"
        UPDATED = "endret", "Endret"
        DELETED = "slettet", "Slettet"
        RESTORED = "gjenopprettet", "Gjenopprettet"

    class Channel(models.TextChoices):
        WEB = "nett", "Nettskjema"
        API = "api", "API"
        IMPORT = "import", "Import av kartleggingsfil"
        COMMAND = "kommando", "Kommando"

    mapping = models.ForeignKey(Mapping, on_delete=models.CASCADE, related_name="changes")
    arrangement = models.ForeignKey(
        Arrangement, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    ref = models.CharField(max_length=50, help_text="Ordningens id da endringen ble gjort")
    name = models.CharField(max_length=300, help_text="Ordningens navn etter (eller før) endringen")
    action = models.CharField(max_length=20, choices=Action.choices)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.WEB)
    version = models.PositiveIntegerField(help_text="Ordningens versjon etter endringen")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_name = models.CharField(
        max_length=150, blank=True, help_text="Hvem, da endringen ble gjort"
    )
    source = models.TextField(help_text="Kilde for endringen (påkrevd)")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    changed = models.JSONField(default=list, blank=True, help_text="Kolonnene som ble endret")
    restored_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["arrangement", "version"], name="change_arrangement_version"),
            models.Index(fields=["mapping", "ref"], name="change_mapping_ref"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="change_source_required"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.ref} ({self.user_name})"


class LoginFailure(models.Model):
    """A failed sign-in, for throttling (see :mod:`samarbeid.web.auth`). Old rows are pruned."""

    username = models.CharField(max_length=150, help_text="Brukernavnet, små bokstaver")
    ip = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"], name="login_failure_lookup")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.ip}"
