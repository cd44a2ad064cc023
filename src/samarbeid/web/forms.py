"""The filter form of the arrangement list (GET: the filters are the page's address)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samarbeid.registry.models import Mapping
from samarbeid.registry.vocab import LEGAL_FORMS, SECTORS

from . import queries
from .display import STATUS_LABELS


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

    def __init__(self, *args, mapping: Mapping, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.mapping = mapping
        self.scope = {p.number: p for p in queries.scope_periods(mapping)}
        self.fields["kommune"].choices = [("", _("Alle kommuner"))] + [
            (number, f"{p.name} ({number})") for number, p in self.scope.items()
        ]
        unknown = (queries.UNKNOWN, _("Ikke kjent"))
        self.fields["juridisk_form"].choices = [("", _("Alle")), *LEGAL_FORMS.choices(), unknown]
        self.fields["sektor"].choices = [("", _("Alle")), *SECTORS.choices(), unknown]
        self.fields["oppgaveomrade"].choices = [("", _("Alle"))] + [
            (str(t.nr), f"{t.nr}. {t.name}") for t in queries.task_areas()
        ]
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

    def filters(self) -> queries.ArrangementFilter:
        """The valid filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        return queries.ArrangementFilter(
            municipality=self.scope.get(data.get("kommune") or ""),
            participant=data.get("deltaker"),
            legal_form=data.get("juridisk_form") or "",
            sector=data.get("sektor") or "",
            status=data.get("status") or "",
            task_area=data.get("oppgaveomrade"),
            text=(data.get("q") or "").strip(),
        )
