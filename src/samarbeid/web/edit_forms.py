"""The edit forms. They only collect text in the mapping file's columns: every rule is the intake's
(:mod:`samarbeid.registry.editing` runs its validator), so the form has no rules of its own and
shows the intake's messages field by field."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from samarbeid.reference.vocab import (
    COMPLETENESS,
    EXCLUSION_REASONS,
    LEGAL_FORMS,
    PARTICIPANT_KINDS,
    ROLES,
    SECTORS,
    STATUSES,
)
from samarbeid.registry.editing import PARTICIPANTS, SOURCE_FIELD, Problem
from samarbeid.registry.history import LABELS, MEMBERSHIP_COLUMNS, MEMBERSHIP_LABELS
from samarbeid.registry.models import TaskArea
from samarbeid.rules.schema import ARRANGEMENTS, MEMBERSHIPS

UNKNOWN = ("", "Ikke kjent")
TEXTAREA = {"rows": 3, "cols": 60}

HELP = {
    "id": "Tom: neste ledige id i kartleggingen.",
    "navn": "Påkrevd. Formelt eller vanlig navn.",
    "navnevarianter": "Skilt med semikolon (;).",
    "utenfor_grunn": "Bare for status «Utenfor definisjonen».",
    "statusmerknad": "Hvorfor ordningen er avsluttet eller utenfor definisjonen.",
    "avsluttet": "År (ÅÅÅÅ) eller dato (ÅÅÅÅ-MM-DD).",
    "organisasjonsnummer": "9 siffer.",
    "etablert": "År (ÅÅÅÅ), periode (ÅÅÅÅ-ÅÅÅÅ) eller «uspesifisert». Tom: ikke kjent.",
    "vertskommune": "Navn eller nummer på kommunen, «ingen», eller tom: ikke kjent.",
    "arsverk": "Tall større enn eller lik 0, for eksempel 6,2. Tom: ikke kjent.",
    "arsverk_kilde": "Kilde og alle tall som er oppgitt for årsverk.",
    "budsjett": "Kroner, tall større enn eller lik 0. Tom: ikke kjent.",
    "deltakere_oppgitt_antall": "For eksempel 44 når kilden sier «eid av 44 kommuner».",
}
MEMBER_HELP = {
    "deltaker": "Kommune, fylkeskommune eller annen eier.",
    "kommunenummer": "Valgfritt; skiller kommuner med samme navn.",
    "eierandel": "Prosent, 0–100.",
    "inn_dato": "ÅÅÅÅ-MM-DD.",
    "ut_dato": "ÅÅÅÅ-MM-DD.",
}


def _text(name: str, *, textarea: bool = False, **attrs) -> forms.CharField:
    widget = forms.Textarea(attrs=TEXTAREA) if textarea else forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=LABELS.get(name, name),
        required=False,
        strip=True,
        help_text=HELP.get(name, ""),
        widget=widget,
    )


def _select(name: str, choices: list[tuple[str, str]]) -> forms.CharField:
    """A select whose value is judged by the intake (a value outside the list gets its message)."""
    return forms.CharField(
        label=LABELS.get(name, name),
        required=False,
        help_text=HELP.get(name, ""),
        widget=forms.Select(choices=choices),
    )


class ArrangementForm(forms.Form):
    """All columns of the sheet Ordninger except the id (shown, not edited) and the participants
    (the formset), plus the required source of the change and the version edited.

    Its texts are not cleaned here: :mod:`samarbeid.registry.editing` passes them through the
    intake's input boundary and shows its findings (warnings included) field by field."""

    #: Fields whose text registry.editing checks (see registry/formfields.py).
    CHECKED_BY_EDITING = frozenset(
        {*(k for k in ARRANGEMENTS.keys if k not in {"id", "deltakere"}), "endringskilde"}
    )

    navn = _text("navn", autocomplete="off")
    forkortelse = _text("forkortelse", autocomplete="off")
    navnevarianter = _text("navnevarianter", autocomplete="off")
    status = _select("status", STATUSES.choices())
    utenfor_grunn = _select("utenfor_grunn", [("", "Ikke aktuelt"), *EXCLUSION_REASONS.choices()])
    statusmerknad = _text("statusmerknad", textarea=True)
    avsluttet = _text("avsluttet", autocomplete="off")
    juridisk_form = _select("juridisk_form", [UNKNOWN, *LEGAL_FORMS.choices()])
    juridisk_form_kilde = _text("juridisk_form_kilde", autocomplete="off")
    organisasjonsnummer = _text("organisasjonsnummer", inputmode="numeric", autocomplete="off")
    sektor = _select("sektor", [UNKNOWN, *SECTORS.choices()])
    oppgaveomrader = forms.MultipleChoiceField(
        label=LABELS["oppgaveomrader"],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kryss av alle som gjelder. Ingen avkrysset: ikke kjent.",
    )
    etablert = _text("etablert", autocomplete="off")
    vertskommune = _text("vertskommune", autocomplete="off")
    vertskommune_kilde = _text("vertskommune_kilde", autocomplete="off")
    arsverk = _text("arsverk", inputmode="decimal", autocomplete="off")
    arsverk_kilde = _text("arsverk_kilde", autocomplete="off")
    budsjett = _text("budsjett", inputmode="decimal", autocomplete="off")
    beskrivelse = _text("beskrivelse", textarea=True)
    merknader = _text("merknader", textarea=True)
    kilder = _text("kilder", textarea=True)
    deltakerliste = _select("deltakerliste", [UNKNOWN, *COMPLETENESS.choices()])
    deltakere_oppgitt_antall = _text("deltakere_oppgitt_antall", inputmode="numeric")
    deltakere_som_trykt = _text("deltakere_som_trykt", textarea=True)
    deltakere_merknad = _text("deltakere_merknad", autocomplete="off")
    endringskilde = forms.CharField(
        label="Kilde for endringen",
        required=False,
        max_length=2000,
        help_text=(
            "Påkrevd. Hvor opplysningene kommer fra, for eksempel «Eierskapsmelding 2024» eller "
            "«E-post fra kommunen 3. mars»."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    versjon = forms.IntegerField(required=False, widget=forms.HiddenInput)

    #: Columns of the sheet Ordninger the form edits, in the form's order.
    COLUMNS = (
        "navn",
        "forkortelse",
        "navnevarianter",
        "status",
        "utenfor_grunn",
        "statusmerknad",
        "avsluttet",
        "juridisk_form",
        "juridisk_form_kilde",
        "organisasjonsnummer",
        "sektor",
        "oppgaveomrader",
        "etablert",
        "vertskommune",
        "vertskommune_kilde",
        "arsverk",
        "arsverk_kilde",
        "budsjett",
        "beskrivelse",
        "merknader",
        "kilder",
        "deltakerliste",
        "deltakere_oppgitt_antall",
        "deltakere_som_trykt",
        "deltakere_merknad",
    )
    GROUPS = (
        ("Navn og status", ("navn", "forkortelse", "navnevarianter", "status", "utenfor_grunn",
                            "statusmerknad", "avsluttet")),
        ("Organisering", ("juridisk_form", "juridisk_form_kilde", "organisasjonsnummer", "sektor",
                          "etablert", "vertskommune", "vertskommune_kilde", "arsverk",
                          "arsverk_kilde", "budsjett")),
        ("Oppgaveområder", ("oppgaveomrader",)),
        ("Beskrivelse og kilder", ("beskrivelse", "merknader", "kilder")),
        ("Om deltakerlisten", ("deltakerliste", "deltakere_oppgitt_antall", "deltakere_som_trykt",
                               "deltakere_merknad")),
    )  # fmt: skip

    def __init__(self, *args, creating: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oppgaveomrader"].choices = [
            (str(t.nr), f"{t.nr}. {t.name}") for t in TaskArea.objects.order_by("nr")
        ]
        if creating:
            self.fields["id"] = _text("id", autocomplete="off")
            self.order_fields(["id"])
        self.fields["navn"].widget.attrs["aria-required"] = "true"
        self.fields["endringskilde"].widget.attrs["aria-required"] = "true"

    @classmethod
    def initial_from(cls, values: dict[str, str]) -> dict[str, object]:
        """Form initial data from a snapshot's values (the mapping file's texts)."""
        initial: dict[str, object] = {k: v for k, v in values.items() if k != "oppgaveomrader"}
        initial["oppgaveomrader"] = [
            part.strip() for part in values.get("oppgaveomrader", "").split(";") if part.strip()
        ]
        return initial

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in self.GROUPS]

    def values(self) -> dict[str, str]:
        """The columns as the mapping file would hold them (call after ``is_valid()``)."""
        data = self.cleaned_data
        values = {c: data.get(c) or "" for c in self.COLUMNS if c != "oppgaveomrader"}
        values["oppgaveomrader"] = "; ".join(data.get("oppgaveomrader") or [])
        if "id" in self.fields:
            values["id"] = data.get("id") or ""
        return values

    @property
    def source(self) -> str:
        return self.cleaned_data.get("endringskilde") or ""


class MembershipForm(forms.Form):
    """One row of the sheet Deltakere (checked by registry.editing, like ArrangementForm)."""

    CHECKED_BY_EDITING = frozenset(MEMBERSHIPS.keys)

    deltaker = forms.CharField(required=False, label=MEMBERSHIP_LABELS["deltaker"])
    kommunenummer = forms.CharField(
        required=False,
        label=MEMBERSHIP_LABELS["kommunenummer"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )
    type = forms.CharField(
        required=False,
        label=MEMBERSHIP_LABELS["type"],
        widget=forms.Select(choices=PARTICIPANT_KINDS.choices()),
    )
    rolle = forms.CharField(
        required=False,
        label=MEMBERSHIP_LABELS["rolle"],
        widget=forms.Select(choices=ROLES.choices()),
    )
    eierandel = forms.CharField(
        required=False,
        label=MEMBERSHIP_LABELS["eierandel"],
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 6}),
    )
    inn_dato = forms.CharField(required=False, label=MEMBERSHIP_LABELS["inn_dato"])
    ut_dato = forms.CharField(required=False, label=MEMBERSHIP_LABELS["ut_dato"])
    som_trykt = forms.CharField(required=False, label=MEMBERSHIP_LABELS["som_trykt"])
    kilde = forms.CharField(required=False, label=MEMBERSHIP_LABELS["kilde"])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("deltaker", "inn_dato", "ut_dato", "som_trykt", "kilde"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def row(self) -> dict[str, str]:
        data = self.cleaned_data
        return {c: (data.get(c) or "").strip() for c in MEMBERSHIP_COLUMNS}

    def is_blank(self) -> bool:
        """Nothing typed (type and role always have a value: they are lists)."""
        data = self.cleaned_data
        return not any(
            (data.get(c) or "").strip() for c in MEMBERSHIP_COLUMNS if c not in ("type", "rolle")
        )


BaseMembershipFormSet = formset_factory(MembershipForm, extra=3, can_delete=True)


class MembershipFormSet(BaseMembershipFormSet):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", PARTICIPANTS)
        super().__init__(*args, **kwargs)
        self.row_forms: list[MembershipForm] = []
        #: Problems with the participants as a whole (not one row's field).
        self.general_errors: list[str] = []

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Fjern deltakeren"

    def rows(self) -> list[dict[str, str]]:
        """The participants kept (not blank, not marked for removal), in order; call after
        ``is_valid()``. ``row_forms[i]`` is the form of ``rows()[i]``."""
        self.row_forms = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
        ]
        return [form.row() for form in self.row_forms]


class SourceForm(forms.Form):
    """The required source of a deletion or restore, and the version it applies to."""

    CHECKED_BY_EDITING = frozenset({"endringskilde"})

    endringskilde = ArrangementForm.base_fields["endringskilde"]
    versjon = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["endringskilde"].widget.attrs["aria-required"] = "true"

    @property
    def source(self) -> str:
        return self.cleaned_data.get("endringskilde") or ""


def attach_problems(
    form: forms.Form, formset: MembershipFormSet | None, problems: list[Problem]
) -> None:
    """Put each problem on its field: participants on their row's field, the rest on the form."""
    for p in problems:
        if (
            p.field == PARTICIPANTS
            and formset is not None
            and p.row is not None
            and 0 <= p.row < len(formset.row_forms)
        ):
            target = formset.row_forms[p.row]
            column = p.column if p.column in target.fields else None
            target.add_error(column, p.message)
            continue
        if p.field == PARTICIPANTS and formset is not None:
            formset.general_errors.append(p.message)
            continue
        if p.field in form.fields and p.field != "versjon":
            form.add_error(p.field, p.message)
        elif p.field == SOURCE_FIELD and "endringskilde" in form.fields:
            form.add_error("endringskilde", p.message)
        else:
            form.add_error(None, p.message)
