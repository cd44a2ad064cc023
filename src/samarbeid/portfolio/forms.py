"""Forms of the portfolio pages, built from the one codec (:mod:`.fields`): every field is text
as typed (the services clean and check it, so the form, the API and files share one rule), the
change's source, and the version the editor started from."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .fields import CHOICE, DATE, PROSE, YES_NO, Field
from .models import Project

SOURCE_KEY = "endringskilde"
SOURCE_HELP = _(
    "Hvor opplysningene kommer fra, f.eks. «Møte i Grenlandsrådet 12.2.2022, sak 4/22»."
)
YES_NO_CHOICES = [("", _("Ikke kjent")), ("ja", _("Ja")), ("nei", _("Nei"))]


def _form_field(model, field: Field) -> forms.Field:
    label = _(field.label)
    if field.kind == CHOICE:
        choices = [("", _("Ikke kjent")), *list(model._meta.get_field(field.attr).choices)]
        return forms.ChoiceField(label=label, choices=choices, required=False)
    if field.kind == YES_NO:
        return forms.ChoiceField(label=label, choices=YES_NO_CHOICES, required=False)
    if field.kind == PROSE:
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), strip=False
        )
    attrs = {"inputmode": "numeric"} if field.kind in ("kroner", "year", "count") else {}
    help_text = _("ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ") if field.kind == DATE else ""
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
    )


def spec_form(
    model,
    fields: tuple[Field, ...],
    *,
    prefix_keys: str = "",
    versioned: bool = True,
    extra: dict[str, forms.Field] | None = None,
) -> type[forms.Form]:
    """A form class: the codec's fields (named by their keys, with ``prefix_keys``), any
    ``extra`` fields, the source, and the hidden version."""
    attrs: dict[str, forms.Field] = {}
    for field in fields:
        attrs[prefix_keys + field.key] = _form_field(model, field)
    attrs.update(extra or {})
    attrs[SOURCE_KEY] = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )
    if versioned:
        attrs["versjon"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Every text is checked (and cleaned) by the service the form calls, through the codec and
    # the registry's input boundary, with the same messages as files and the API.
    attrs["CHECKED_BY_EDITING"] = tuple(attrs)
    return type("SpecForm", (forms.Form,), attrs)


def raw(form: forms.Form, fields: tuple[Field, ...], prefix_keys: str = "") -> dict[str, str]:
    """The typed text of the codec's fields (keys without the prefix)."""
    return {f.key: form.cleaned_data.get(prefix_keys + f.key, "") or "" for f in fields}


class EndProjectForm(forms.Form):
    #: The services check these (source, dates parsed strictly).
    CHECKED_BY_EDITING = ("endringskilde",)

    fase = forms.ChoiceField(
        label=_("Hvordan prosjektet slutter"),
        choices=[
            (Project.Phase.ENDED, Project.Phase.ENDED.label),
            (Project.Phase.CANCELLED, Project.Phase.CANCELLED.label),
        ],
        widget=forms.RadioSelect,
    )
    endringskilde = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )
    versjon = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    #: The services check these (source, dates parsed strictly).
    CHECKED_BY_EDITING = ("vedtatt_dato", "endringskilde")

    vedtatt_av = forms.ChoiceField(label=_("Vedtatt av"), choices=[])
    vedtatt_dato = forms.CharField(
        label=_("Vedtatt dato"), required=False, help_text=_("ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ")
    )
    endringskilde = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )
    versjon = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, governing_bodies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vedtatt_av"].choices = [("", "–")] + [
            (str(g.pk), g.name) for g in governing_bodies
        ]


class RollOverForm(forms.Form):
    #: The services check these (source, dates parsed strictly).
    CHECKED_BY_EDITING = ("endringskilde",)

    endringskilde = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )


class SourceForm(RollOverForm):
    """A change that needs nothing but its source (restore)."""


class ParticipationForm(forms.Form):
    """One yes/no per municipality the user may mark (fields ``kommune_<key>``)."""

    #: The services check these (source, dates parsed strictly).
    CHECKED_BY_EDITING = ("endringskilde",)

    endringskilde = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )

    def __init__(self, *args, municipalities=(), current=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        current = current or {}
        for m in municipalities:
            value = current.get(m.key)
            self.fields[f"kommune_{m.key}"] = forms.ChoiceField(
                label=m.name,
                choices=[("ja", _("Deltar")), ("nei", _("Deltar ikke"))],
                widget=forms.RadioSelect,
                initial="" if value is None else ("ja" if value else "nei"),
                required=False,
            )

    def municipality_fields(self):
        return [self[name] for name in self.fields if name.startswith("kommune_")]


class MemberForm(forms.Form):
    #: The services check these (source, dates parsed strictly).
    CHECKED_BY_EDITING = ("inn_dato", "endringskilde")

    kommune = forms.ChoiceField(label=_("Kommune"), choices=[])
    inn_dato = forms.CharField(
        label=_("Medlem fra"),
        required=False,
        help_text=_("ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ; tomt: ikke kjent"),
    )
    endringskilde = forms.CharField(
        label=_("Kilde for endringen"), required=False, help_text=SOURCE_HELP, strip=False
    )

    def __init__(self, *args, municipalities=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kommune"].choices = [("", "–")] + [
            (m.key, getattr(m, "label", m.name)) for m in municipalities
        ]
