"""Forms of the adoption pages: the date the pages are «as of» (a filter, never stored) and the
report of one status. The report's texts are checked by :func:`..services.check_report` (the same
rule for the form, the bulk file and the API), so they are declared in ``CHECKED_BY_EDITING``."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Solution, Status
from .services import EARLIEST

#: The date as typed on the pages: ISO first (the address), then the Norwegian way.
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
DATE_HELP = _("ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ")
NOT_A_DATE = _("«%(value)s» er ikke en dato. Skriv ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ, f.eks. 2023-04-30.")

#: The statuses in the order a municipality goes through them, with Norwegian labels that the
#: catalogue translates (the model's choices are plain strings).
STATUS_LABELS = {
    Status.NOT_STARTED.value: _("Ikke startet"),
    Status.AVAILABLE.value: _("Tilgjengeliggjort"),
    Status.IN_USE.value: _("I bruk"),
    Status.STOPPED.value: _("Stoppet"),
}


class StrictDateField(forms.DateField):
    """A date typed as text; a bad one is named in the message."""

    widget = forms.TextInput

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                NOT_A_DATE, code="invalid", params={"value": value}
            ) from None


class DayForm(forms.Form):
    """``?dato=``: the day the counts are «as of» (empty: today). Between the register's earliest
    date and today: the records cannot say anything about the future."""

    dato = StrictDateField(
        label=_("Status per dato"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
    )

    def clean_dato(self) -> dt.date:
        day = self.cleaned_data.get("dato") or timezone.localdate()
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                _("Datoen %(day)s er etter i dag (%(today)s). Velg i dag eller en tidligere dato."),
                params={"day": day.strftime("%d.%m.%Y"), "today": today.strftime("%d.%m.%Y")},
            )
        if day < EARLIEST:
            raise forms.ValidationError(
                _("Datoen %(day)s er før %(earliest)s; registeret har ingen status så tidlig."),
                params={
                    "day": day.strftime("%d.%m.%Y"),
                    "earliest": EARLIEST.strftime("%d.%m.%Y"),
                },
            )
        return day


class ReportForm(forms.Form):
    """One municipality's status for one solution from a date, with its source."""

    #: Checked (and cleaned) by the service with the same messages as the bulk file and the API.
    CHECKED_BY_EDITING = ("endringskilde", "merknad")

    losning = forms.ModelChoiceField(
        label=_("Løsning"),
        queryset=Solution.objects.order_by("name"),
        empty_label="–",
        error_messages={"required": _("Velg løsningen statusen gjelder.")},
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=list(STATUS_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": _("Velg en status.")},
    )
    dato = StrictDateField(
        label=_("Gjelder fra"),
        input_formats=DATE_FORMATS,
        help_text=DATE_HELP,
        error_messages={"required": _("Skriv datoen statusen gjelder fra.")},
    )
    endringskilde = forms.CharField(
        label=_("Kilde"),
        required=False,
        strip=False,
        help_text=_(
            "Hvor opplysningen kommer fra, f.eks. «Kommunedirektørens e-post 3.3.2024» eller "
            "«Tjenesteavtale med Norsk helsenett»."
        ),
    )
    merknad = forms.CharField(
        label=_("Merknad (valgfri)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
