"""The filter form of the arrangement list (GET: the filters are the page's address)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.reference.vocab import LEGAL_FORMS, SECTORS
from samarbeid.registry.models import Mapping

from . import queries
from .display import STATUS_LABELS, vocab_choices
from .widgets import FastSelect


class ArrangementFilterForm(forms.Form):
    kommune = forms.ChoiceField(
        label=_("Kommune i kartleggingen"),
        required=False,
        help_text=_("Ordninger kommunen deltar i."),
    )
    deltaker = forms.CharField(
        label=_("Deltaker, eksakt navn"),
        required=False,
        max_length=150,
        help_text=_(
            "Hvilken som helst deltaker, også utenfor kartleggingen, for eksempel «Oslo» "
            "eller «Viken fylkeskommune». Navnet må være helt likt; store og små bokstaver spiller "
            "ingen rolle."
        ),
    )
    q = forms.CharField(label=_("Navnet inneholder"), required=False, max_length=150)
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        help_text=_("Ordninger minst én kommune i regionen deltar i."),
    )
    fylke = forms.ChoiceField(
        label=_("Fylke"),
        required=False,
        help_text=_("Ordninger minst én kommune i fylket deltar i."),
    )
    niva = forms.ChoiceField(
        label=_("Geografisk nivå"),
        required=False,
        help_text=_("Etter antall deltakende kommuner; bare ordninger som telles har et nivå."),
    )
    juridisk_form = forms.ChoiceField(label=_("Juridisk form"), required=False)
    sektor = forms.ChoiceField(label=_("Sektor"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle")), *list(STATUS_LABELS.items())],
    )
    oppgaveomrade = forms.TypedChoiceField(
        label=_("Oppgaveområde"), required=False, coerce=int, empty_value=None
    )
    etablert_fra = forms.IntegerField(
        label=_("Etablert fra år"), required=False, min_value=1800, max_value=2100
    )
    etablert_til = forms.IntegerField(
        label=_("Etablert til og med år"),
        required=False,
        min_value=1800,
        max_value=2100,
        help_text=_("Ordninger med ukjent etableringsår er ikke med når et år er valgt."),
    )
    sorter = forms.ChoiceField(
        label=_("Sorter etter"), required=False, choices=list(queries.SORTS.items())
    )

    def __init__(self, *args, mapping: Mapping, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        self.scope = queries.scope_entities(mapping)
        self.fields["kommune"].choices = [("", _("Alle kommuner"))] + [
            (number, f"{name} ({number})") for number, (name, _entity) in self.scope.items()
        ]
        unknown = (queries.UNKNOWN, _("Ikke kjent"))
        self.fields["juridisk_form"].choices = [
            ("", _("Alle")),
            *vocab_choices(LEGAL_FORMS),
            unknown,
        ]
        self.fields["sektor"].choices = [("", _("Alle")), *vocab_choices(SECTORS), unknown]
        self.fields["oppgaveomrade"].choices = [("", _("Alle"))] + [
            (str(t.nr), f"{t.nr}. {t.name}") for t in queries.task_areas()
        ]
        self.regions = queries.scope_regions(mapping)
        self.fields["region"].choices = [("", _("Alle regioner"))] + [
            (r.name, r.name) for r in self.regions
        ]
        self.counties = queries.counties_at(mapping.cutoff_date)
        self.fields["fylke"].choices = [("", _("Alle fylker"))] + [
            (c.number, f"{c.name} ({c.number})") for c in self.counties
        ]
        self.fields["niva"].choices = [("", _("Alle")), *queries.LEVEL_LABELS.items()]
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        for name in ("etablert_fra", "etablert_til"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        for name in ("deltaker", "q"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_deltaker(self) -> queries.ParticipantMatch | None:
        text = " ".join(self.cleaned_data["deltaker"].split())
        if not text:
            return None
        match = queries.find_participant(self.mapping, text)
        if not match:
            suggestions = queries.suggest_participants(self.mapping, text)
            message = _("Ingen deltaker i denne kartleggingen heter «%(name)s».") % {"name": text}
            if suggestions:
                quoted = [f"«{s}»" for s in suggestions]
                names = quoted[0]
                if len(quoted) > 1:
                    names = ", ".join(quoted[:-1]) + " " + _("eller") + " " + quoted[-1]
                message += " " + _("Mente du %(names)s?") % {"names": names}
            raise forms.ValidationError(message, code="unknown_participant")
        return match

    def clean(self) -> dict:
        data = super().clean()
        first, last = data.get("etablert_fra"), data.get("etablert_til")
        if first is not None and last is not None and first > last:
            self.add_error(
                "etablert_til",
                _("«Til og med år» (%(last)s) er før «fra år» (%(first)s).")
                % {"last": last, "first": first},
            )
        return data

    def filters(self) -> queries.ArrangementFilter:
        """The valid filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return queries.ArrangementFilter(
            municipality=self.scope.get(data.get("kommune") or "", ("", None))[1],
            participant=data.get("deltaker"),
            region=next((r for r in self.regions if r.name == data.get("region")), None),
            county=data.get("fylke") or "",
            level=data.get("niva") or "",
            legal_form=data.get("juridisk_form") or "",
            sector=data.get("sektor") or "",
            status=data.get("status") or "",
            task_area=data.get("oppgaveomrade"),
            year_from=data.get("etablert_fra"),
            year_to=data.get("etablert_til"),
            text=(data.get("q") or "").strip(),
        )
