"""Places and reference data: counties, municipalities over time (numbers, names, changes),
population and task areas, loaded from the files shipped in ``samarbeid/reference/data`` (see
:mod:`samarbeid.registry.reference`)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q


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


class ReferenceDataVersion(models.Model):
    """Digest of the shipped reference files last loaded into this database."""

    digest = models.CharField(max_length=64)
    loaded = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.digest[:12]
