"""Cooperation bodies as lasting entities (not per mapping), their members over time, governing
bodies with members and decisions, the secretariat's staff, the strategy and the networks. Every
fact carries ``source`` (document and section); a body's version guards concurrent edits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samarbeid.registry.models import Arrangement, County, Municipality

SOURCE_HELP = "Hvor opplysningen står (dokument og avsnitt), påkrevd"


def source_field() -> models.TextField:
    return models.TextField(help_text=SOURCE_HELP)


def source_required(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=~Q(source=""), name=f"{name}_source_required")


class CooperationBody(models.Model):
    """A samarbeidsorgan: a regional council, a task community, a digitalisation network."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    legal_form = models.CharField(
        max_length=30, blank=True, help_text="Kode fra vokabularet (iks, ko, ipr …); tom: ukjent"
    )
    organisation_number = models.CharField(max_length=9, blank=True)
    office_municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stated_member_count = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Antall medlemmer slik kilden oppgir det"
    )
    description = models.TextField(blank=True)
    arrangements = models.ManyToManyField(
        Arrangement, blank=True, related_name="bodies", help_text="Ordningene som er organet"
    )
    source = source_field()
    version = models.PositiveIntegerField(default=1)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [source_required("body")]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """A member over time: a municipality, a county authority or another organisation."""

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="members")
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        County, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    other_name = models.CharField(max_length=200, blank=True)
    joined = models.DateField(null=True, blank=True)
    left = models.DateField(null=True, blank=True)
    source = source_field()

    class Meta:
        ordering = ["body", "id"]
        constraints = [
            source_required("body_member"),
            models.CheckConstraint(
                condition=(
                    Q(municipality__isnull=False, county__isnull=True, other_name="")
                    | Q(municipality__isnull=True, county__isnull=False, other_name="")
                    | (Q(municipality__isnull=True, county__isnull=True) & ~Q(other_name=""))
                ),
                name="body_member_exactly_one_kind",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True)
                | Q(joined__isnull=True)
                | Q(left__gte=models.F("joined")),
                name="body_member_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body}: {self.label}"

    @property
    def label(self) -> str:
        if self.municipality_id:
            return self.municipality.name
        return self.county.name if self.county_id else self.other_name


class GoverningBody(models.Model):
    """Representantskap, regionråd, styringsgruppe, kommunedirektørutvalg, sekretariat …"""

    class Kind(models.TextChoices):
        DECIDING = "besluttende", _("Besluttende")
        PREPARING = "forberedende", _("Forberedende")
        ADMINISTRATIVE = "administrativt", _("Administrativt")
        PROFESSIONAL = "faglig", _("Faglig")

    body = models.ForeignKey(
        CooperationBody, on_delete=models.CASCADE, related_name="governing_bodies"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, blank=True)
    mandate = models.TextField(blank=True)
    source = source_field()

    class Meta:
        ordering = ["body", "id"]
        constraints = [
            source_required("governing_body"),
            models.UniqueConstraint(fields=["body", "name"], name="governing_body_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class GoverningMember(models.Model):
    governing_body = models.ForeignKey(
        GoverningBody, on_delete=models.CASCADE, related_name="members"
    )
    person = models.CharField(max_length=200, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    source = source_field()

    class Meta:
        ordering = ["governing_body", "id"]
        constraints = [source_required("governing_member")]

    def __str__(self) -> str:
        return f"{self.governing_body}: {self.person or self.role}"


class Decision(models.Model):
    """A decision of a governing body: «sak 24/20», «vedtak 24.01.23»."""

    governing_body = models.ForeignKey(
        GoverningBody, on_delete=models.CASCADE, related_name="decisions"
    )
    date = models.DateField(null=True, blank=True)
    date_as_stated = models.CharField(
        max_length=100, blank=True, help_text="Tidspunktet med kildens ord når datoen ikke er kjent"
    )
    case_number = models.CharField(max_length=50, blank=True)
    text = models.TextField()
    link = models.URLField(blank=True)
    source = source_field()

    class Meta:
        ordering = ["governing_body", "date", "id"]
        constraints = [source_required("decision")]

    def __str__(self) -> str:
        return f"{self.governing_body} {self.case_number or self.date or self.date_as_stated}"


class SecretariatStaff(models.Model):
    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="staff")
    role = models.CharField(max_length=200)
    staff_years = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    funder = models.CharField(max_length=200, blank=True)
    source = source_field()

    class Meta:
        ordering = ["body", "id"]
        constraints = [source_required("staff")]

    def __str__(self) -> str:
        return f"{self.body}: {self.role}"


class FocusArea(models.Model):
    """Satsingsområde, innsatsområde or utfordringsområde, with sub-areas (``parent``)."""

    class Kind(models.TextChoices):
        FOCUS = "satsingsomrade", _("Satsingsområde")
        STRATEGIC = "innsatsomrade", _("Innsatsområde")
        CHALLENGE = "utfordringsomrade", _("Utfordringsområde")
        SUB_AREA = "underomrade", _("Underområde")

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="focus_areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(max_length=20, blank=True, help_text="Avsnittet i kilden (1.1.1)")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FOCUS)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["body", "parent_id", "position", "id"]
        constraints = [source_required("focus_area")]

    def __str__(self) -> str:
        return self.name


class Network(models.Model):
    """A fagnettverk: informal, never counted as formal cooperation by the mapping analysis."""

    body = models.ForeignKey(CooperationBody, on_delete=models.CASCADE, related_name="networks")
    name = models.CharField(max_length=200)
    strategy_status = models.TextField(blank=True)
    self_evaluation = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    class Meta:
        ordering = ["body", "position", "id"]
        constraints = [
            source_required("network"),
            models.UniqueConstraint(fields=["body", "name"], name="network_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name
