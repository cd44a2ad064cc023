"""Forms of the verification pages. A proposal of a new or changed arrangement uses the edit form
of the web app (:class:`~samarbeid.web.edit_forms.ArrangementForm`: the mapping file's columns,
judged by the intake's rules), plus the comment for the mapping editor."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from samarbeid.registry.formfields import CleanTextField
from samarbeid.web.edit_forms import ArrangementForm, SourceForm

from .models import Proposal

TEXTAREA = {"rows": 3, "cols": 60}

COMMENT_HELP = (
    "Påkrevd. Hva er feil, og hva er riktig? Kartleggeren leser kommentaren før forslaget godtas "
    "eller avvises."
)


def _comment() -> CleanTextField:
    return CleanTextField(
        label="Kommentar til kartleggeren",
        required=False,
        max_length=5000,
        help_text=COMMENT_HELP,
        widget=forms.Textarea(attrs={**TEXTAREA, "aria-required": "true"}),
    )


class OpenRoundForm(forms.Form):
    navn = CleanTextField(
        label="Navn på runden",
        required=False,
        max_length=150,
        help_text="Valgfritt. Tomt: «Kontrollrunde 1», «Kontrollrunde 2» …",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    svarfrist = forms.DateField(
        label="Svarfrist",
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text="Datoen kommunene skal svare innen, for eksempel 2021-10-13.",
        error_messages={
            "required": "Skriv svarfristen.",
            "invalid": "Skriv svarfristen som en dato, for eksempel 2021-10-13 eller 13.10.2021.",
        },
        widget=forms.DateInput(attrs={"type": "date", "aria-required": "true"}, format="%Y-%m-%d"),
    )
    beskjed = CleanTextField(
        label="Beskjed til kommunene",
        required=False,
        max_length=5000,
        help_text="Valgfritt. Kommer med i e-posten og øverst på hver kommunes liste.",
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def clean_svarfrist(self):
        deadline = self.cleaned_data["svarfrist"]
        if deadline < timezone.localdate():
            raise forms.ValidationError("Svarfristen kan ikke være før i dag.")
        return deadline


class ConfirmForm(forms.Form):
    merknad = CleanTextField(
        label="Merknad til kartleggeren",
        required=False,
        max_length=5000,
        help_text="Valgfritt.",
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class ProposalForm(ArrangementForm):
    """The edit form with a comment: a proposed new or changed arrangement."""

    kommentar = _comment()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(["kommentar", "endringskilde"])  # first on the page, and in the summary
        self.fields["endringskilde"].label = "Kilde for forslaget"
        self.fields["endringskilde"].help_text = (
            "Påkrevd. Hvor opplysningene kommer fra, for eksempel «Eierskapsmelding 2024» eller "
            "«Vedtak i kommunestyret 12. mars 2021»."
        )

    @property
    def comment(self) -> str:
        return self.cleaned_data.get("kommentar") or ""


class RemovalForm(SourceForm):
    """Why an arrangement should leave the municipality's list."""

    grunn = forms.ChoiceField(
        label="Hvorfor skal ordningen fjernes fra listen?",
        choices=Proposal.Removal.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Velg hvorfor ordningen skal fjernes fra listen."},
    )
    avsluttet = CleanTextField(
        label="Når ble ordningen avsluttet?",
        required=False,
        max_length=20,
        help_text="Bare hvis ordningen er avsluttet: år (ÅÅÅÅ) eller dato (ÅÅÅÅ-MM-DD).",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    kommentar = _comment()

    field_order = ["grunn", "avsluttet", "kommentar", "endringskilde", "versjon"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endringskilde"].label = "Kilde for forslaget"
        self.order_fields(self.field_order)

    @property
    def comment(self) -> str:
        return self.cleaned_data.get("kommentar") or ""


class DecisionForm(forms.Form):
    begrunnelse = CleanTextField(
        label="Begrunnelse",
        required=False,
        max_length=5000,
        help_text="Påkrevd når du avviser forslaget. Den som foreslo, får begrunnelsen på e-post.",
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    @property
    def note(self) -> str:
        return self.cleaned_data.get("begrunnelse") or ""
