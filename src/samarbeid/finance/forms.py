"""The form that builds or edits a cost-sharing model (the query of a calculation is
:mod:`.query`).

The form only collects text: the model's rules are :mod:`.spec`'s, run by
:func:`.services.save_model`, and its messages come back field by field (``deler[2].andel`` is
the second part row that was filled in; :meth:`FeeModelForm.field_of`). Parts and exemptions are
a fixed set of rows (no script needed); an empty row is left out. Free texts pass the input
boundary (:class:`~samarbeid.registry.formfields.CleanTextField`); amounts, years and percentages
are checked by the spec (``CHECKED_BY_EDITING``), the reason by the service.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samarbeid.registry.formfields import CleanTextField

from .members import gazetteer
from .query import YEAR
from .spec import BASIS_LABELS, PART_LABELS

# --- building and editing a model -----------------------------------------------------------------

#: Rows shown for the parts and the exemptions (one more than a model has, when it has more).
PART_ROWS = 5
EXEMPTION_ROWS = 3
MAX_ROWS = 20
#: Reserved: the addresses /kostnadsdeling/ny/ and /kostnadsdeling/sammenlign/.
AMOUNT_HELP = gettext_lazy("Hele kroner, for eksempel 500 000. Tomt: ingen.")
DEFLATOR_LINE = re.compile(r"^\s*(\S+?)\s*[:=]\s*(\S.*?)\s*$|^\s*(\d{4})\s+(\S.*?)\s*$")
NUMBERS = re.compile(r"[\s,;]+")

SOURCE_KEY = "endringskilde"
SOURCE_HELP = gettext_lazy(
    "Hvorfor modellen lages eller endres og hvor tallene kommer fra, for eksempel "
    "«Styremøte 12.3.2024, sak 5/24»."
)


def _number_field(label, help_text="", **attrs) -> forms.CharField:
    """Text as typed; the spec reads it (and says what is wrong)."""
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", **attrs}),
    )


def _choices(labels: Mapping[str, str], blank: str) -> list[tuple[str, str]]:
    return [("", blank), *((k, gettext_lazy(v)) for k, v in labels.items())]


class FeeModelForm(forms.Form):
    """One model: what it is, its parts, limits, exemptions, indexation, the assumed member
    list, and the reason for the change. ``creating``: the short name (the address) and the
    body are chosen once, on creation; ``bodies``: those the user may choose (``None`` among
    them for an administrator: no body)."""

    #: Checked by the spec and the service (see registry/formfields.py); the row fields too.
    CHECKED_BY_EDITING = (
        "prisaar",
        "budsjett",
        "tak",
        "gulv",
        "indeksering_standard",
        SOURCE_KEY,
    )

    navn = CleanTextField(label=gettext_lazy("Navn"), max_length=200, required=False)
    slug = CleanTextField(
        label=gettext_lazy("Kort navn"),
        max_length=80,
        required=False,
        help_text=gettext_lazy(
            "Blir adressen til modellen, for eksempel «vestland-30-70». Små bokstaver, tall og "
            "bindestrek; tomt: lages av navnet."
        ),
    )
    organ = forms.ChoiceField(label=gettext_lazy("Samarbeidsorgan"), required=False, choices=[])
    beskrivelse = CleanTextField(
        label=gettext_lazy("Beskrivelse"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Hva modellen bygger på og hva som er antatt."),
    )
    prisaar = _number_field(
        gettext_lazy("Prisår"),
        gettext_lazy("Året beløpene gjelder for, for eksempel 2024."),
        inputmode="numeric",
    )
    budsjett = _number_field(
        gettext_lazy("Budsjett (kr)"),
        gettext_lazy(
            "Det modellen skal dekke (selvkost). Må fylles ut når en del er en andel av budsjettet."
        ),
    )
    tak = _number_field(gettext_lazy("Tak per medlem (kr)"), AMOUNT_HELP)
    gulv = _number_field(gettext_lazy("Gulv per medlem (kr)"), AMOUNT_HELP)
    indeksering_standard = _number_field(
        gettext_lazy("Deflator hvert år (prosent)"),
        gettext_lazy("Prisjustering per år etter prisåret, for eksempel 3. Tomt: ingen."),
    )
    indeksering_deflator = CleanTextField(
        label=gettext_lazy("Deflator for enkeltår"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Én linje per år: «år: prosent», for eksempel «2025: 4,3»."),
    )
    indeksering_belop = forms.BooleanField(
        label=gettext_lazy("Fast beløp, pris per innbygger og budsjett"), required=False
    )
    indeksering_tak = forms.BooleanField(label=gettext_lazy("Taket"), required=False)
    indeksering_gulv = forms.BooleanField(label=gettext_lazy("Gulvet"), required=False)
    medlemmer = CleanTextField(
        label=gettext_lazy("Antatt medlemsliste (kommunenummer)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Bare når organets medlemmer ikke er registrert: kommunenumrene, skilt med mellomrom, "
            "komma eller linjeskift. Tomt: organets registrerte medlemmer."
        ),
    )
    bruk = CleanTextField(
        label=gettext_lazy("Brukstall (for fordeling etter bruk)"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Én linje per kommune og år: «år kommunenummer tall», for eksempel «2024 4602 120» "
            "(saker, timer, brukere, lisenser …). Tomt: ingen brukstall."
        ),
    )
    antakelse = CleanTextField(
        label=gettext_lazy("Hva som er antatt"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Påkrevd med en antatt medlemsliste: hvorfor listen er antatt og hva kilden sier. "
            "Vises på alle beregninger."
        ),
    )
    endringskilde = forms.CharField(
        label=gettext_lazy("Kilde/begrunnelse for endringen"),
        required=False,
        strip=False,
        help_text=SOURCE_HELP,
    )
    versjon = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        creating: bool = True,
        bodies=(),
        admin: bool = False,
        part_rows: int = PART_ROWS,
        exemption_rows: int = EXEMPTION_ROWS,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.creating = creating
        self.group_errors: dict[str, list[str]] = {}
        self.deflators: dict[str, str] = {}
        self.numbers: list[str] = []
        if creating:
            choices = [(str(b.pk), b.name) for b in bodies]
            if admin:
                choices = [("", _("Ingen (et utkast uten organ)")), *choices]
            self.fields["organ"].choices = choices
            self.fields["organ"].required = not admin
            self.fields["organ"].error_messages["required"] = _(
                "Velg organet modellen gjelder (du kan lage modeller for organer du er sekretariat for)."
            )
        else:
            del self.fields["slug"], self.fields["organ"]
        self.part_rows = max(1, min(part_rows, MAX_ROWS))
        self.exemption_rows = max(1, min(exemption_rows, MAX_ROWS))
        kinds = _choices(PART_LABELS, _("– ingen –"))
        bases = _choices(BASIS_LABELS, "–")
        for i in range(1, self.part_rows + 1):
            self.fields[f"del_{i}_type"] = forms.ChoiceField(
                label=_("Type"), choices=kinds, required=False
            )
            self.fields[f"del_{i}_belop"] = _number_field(_("Beløp (kr)"))
            self.fields[f"del_{i}_andel"] = _number_field(_("Andel (prosent)"))
            self.fields[f"del_{i}_fordeling"] = forms.ChoiceField(
                label=_("Fordeling av andelen"), choices=bases, required=False
            )
        for i in range(1, self.exemption_rows + 1):
            self.fields[f"fritak_{i}_kommunenummer"] = _number_field(
                _("Kommunenummer"), inputmode="numeric"
            )
            self.fields[f"fritak_{i}_egenbidrag"] = CleanTextField(
                label=_("Egenbidrag"),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"fritak_{i}_verdi"] = _number_field(_("Verdi av egenbidraget (kr)"))
        self.part_row_map: list[int] = []  # spec index - 1 → form row
        self.exemption_row_map: list[int] = []

    # -- the rows, for the template --------------------------------------------------------------

    def part_fields(self) -> list[tuple[int, list]]:
        names = ("type", "belop", "andel", "fordeling")
        return [(i, [self[f"del_{i}_{n}"] for n in names]) for i in range(1, self.part_rows + 1)]

    def exemption_fields(self) -> list[tuple[int, list]]:
        names = ("kommunenummer", "egenbidrag", "verdi")
        return [
            (i, [self[f"fritak_{i}_{n}"] for n in names]) for i in range(1, self.exemption_rows + 1)
        ]

    def row_label(self, name: str) -> str:
        """«Del 2, andel (%)» for a row's field; the field's label otherwise."""
        match = re.fullmatch(r"(del|fritak)_(\d+)_(\w+)", name)
        label = str(self.fields[name].label)
        if not match:
            return label
        kind = _("Del %(n)s") if match[1] == "del" else _("Fritak %(n)s")
        return f"{kind % {'n': match[2]}}, {label[:1].lower()}{label[1:]}"

    # -- reading -----------------------------------------------------------------------------------

    def _value(self, name: str) -> str:
        return (self.cleaned_data.get(name) or "").strip()

    def clean(self):
        data = super().clean()
        for i in range(1, self.part_rows + 1):
            filled = [self._value(f"del_{i}_{n}") for n in ("belop", "andel", "fordeling")]
            if any(filled) and not self._value(f"del_{i}_type"):
                self.add_error(f"del_{i}_type", _("Velg hva slags del dette er, eller tøm raden."))
        for i in range(1, self.exemption_rows + 1):
            filled = [self._value(f"fritak_{i}_{n}") for n in ("egenbidrag", "verdi")]
            if any(filled) and not self._value(f"fritak_{i}_kommunenummer"):
                self.add_error(
                    f"fritak_{i}_kommunenummer",
                    _("Skriv kommunenummeret til den som er fritatt, eller tøm raden."),
                )
        self._read_deflators()
        self._read_members()
        self._read_usage()
        return data

    def _read_usage(self) -> None:
        """«år kommunenummer tall» per line into {år: {kommunenummer: tall}}; the spec checks
        the numbers themselves (its messages come back on this field)."""
        self.usage: dict[str, dict[str, str]] = {}
        text = self.cleaned_data.get("bruk") or ""
        for number, line in enumerate(text.splitlines(), 1):
            words = line.replace(";", " ").replace("\t", " ").split()
            if not words:
                continue
            if len(words) != 3:
                self.add_error(
                    "bruk",
                    _("Linje %(n)s («%(line)s») er ikke «år kommunenummer tall», for eksempel "
                      "«2024 4602 120».") % {"n": number, "line": line.strip()[:40]},
                )  # fmt: skip
                continue
            year, municipality, value = words
            row = self.usage.setdefault(year, {})
            if municipality in row:
                self.add_error(
                    "bruk",
                    _("Kommune %(number)s står to ganger for %(year)s.")
                    % {"number": municipality[:10], "year": year[:10]},
                )
                continue
            row[municipality] = value

    def _read_deflators(self) -> None:
        text = self.cleaned_data.get("indeksering_deflator") or ""
        for number, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            match = DEFLATOR_LINE.match(line)
            if match is None:
                self.add_error(
                    "indeksering_deflator",
                    _("Linje %(n)s («%(line)s») er ikke «år: prosent», for eksempel «2025: 4,3».")
                    % {"n": number, "line": line.strip()[:40]},
                )
                continue
            year, rate = (match[1], match[2]) if match[1] else (match[3], match[4])
            if year in self.deflators:
                self.add_error(
                    "indeksering_deflator",
                    _("Året %(year)s står to ganger.") % {"year": year[:10]},
                )
                continue
            self.deflators[year] = rate.removesuffix("%").strip()

    def _read_members(self) -> None:
        text = self.cleaned_data.get("medlemmer") or ""
        numbers = [n for n in NUMBERS.split(text) if n]
        g = gazetteer()
        wrong = [n for n in numbers if not YEAR.match(n) or not g.number_history(n)]
        if wrong:
            self.add_error(
                "medlemmer",
                _(
                    "Ikke kommunenummer: %(numbers)s. Skriv fire sifre per kommune, for eksempel "
                    "4601."
                )
                % {"numbers": ", ".join(w[:10] for w in wrong[:5])},
            )
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if twice:
            self.add_error(
                "medlemmer",
                _("Står mer enn én gang: %(numbers)s.") % {"numbers": ", ".join(twice[:5])},
            )
        if len(numbers) > 500:
            self.add_error("medlemmer", _("Høyst 500 kommuner."))
        if numbers and not (self.cleaned_data.get("antakelse") or "").strip():
            self.add_error(
                "antakelse",
                _("Skriv hva som er antatt: en antatt medlemsliste vises alltid med forklaringen."),
            )
        self.numbers = [] if wrong or twice else numbers

    def spec_data(self, existing: Mapping | None = None) -> dict[str, Any]:
        """The model as the mapping :func:`.spec.parse` reads (text as typed). What the form does
        not show (usage figures) is kept from ``existing``."""
        parts = []
        self.part_row_map = []
        for i in range(1, self.part_rows + 1):
            kind = self._value(f"del_{i}_type")
            if not kind:
                continue
            if kind == "andel":
                parts.append(
                    {
                        "type": kind,
                        "andel": self._value(f"del_{i}_andel") or None,
                        "fordeling": self._value(f"del_{i}_fordeling"),
                    }
                )
            else:
                parts.append({"type": kind, "belop": self._value(f"del_{i}_belop") or None})
            self.part_row_map.append(i)
        exemptions = []
        self.exemption_row_map = []
        for i in range(1, self.exemption_rows + 1):
            number = self._value(f"fritak_{i}_kommunenummer")
            if not number:
                continue
            exemptions.append(
                {
                    "kommunenummer": number,
                    "egenbidrag": self._value(f"fritak_{i}_egenbidrag"),
                    "verdi": self._value(f"fritak_{i}_verdi") or None,
                }
            )
            self.exemption_row_map.append(i)
        data: dict[str, Any] = {
            "navn": self._value("navn"),
            "beskrivelse": self._value("beskrivelse"),
            "prisaar": self._value("prisaar") or None,
            "budsjett": self._value("budsjett") or None,
            "deler": parts,
            "gulv": self._value("gulv") or None,
            "tak": self._value("tak") or None,
            "fritak": exemptions,
            "indeksering": {
                "deflator": dict(self.deflators),
                "standard": self._value("indeksering_standard") or None,
                "belop": bool(self.cleaned_data.get("indeksering_belop")),
                "tak": bool(self.cleaned_data.get("indeksering_tak")),
                "gulv": bool(self.cleaned_data.get("indeksering_gulv")),
            },
        }
        if getattr(self, "usage", None):
            data["bruk"] = self.usage
        return data

    # -- the service's problems on their fields ------------------------------------------------

    def field_of(self, where: str) -> tuple[str | None, str | None]:
        """(form field, group) of a problem's field as the spec names it."""
        if where in self.fields and where not in ("versjon",):
            return where, None
        match = re.fullmatch(r"(deler|fritak)\[(\d+)\](?:\.(\w+))?", where)
        if match:
            rows = self.part_row_map if match[1] == "deler" else self.exemption_row_map
            index = int(match[2]) - 1
            if 0 <= index < len(rows):
                prefix = "del" if match[1] == "deler" else "fritak"
                suffix = match[3] or ("type" if prefix == "del" else "kommunenummer")
                name = f"{prefix}_{rows[index]}_{suffix}"
                if name in self.fields:
                    return name, None
            return None, match[1]
        if where == "bruk" or where.startswith("bruk."):
            return "bruk", None
        if where in ("deler", "fritak", "indeksering"):
            return None, where
        if where.startswith("indeksering."):
            key = where.split(".")[1]
            name = f"indeksering_{key}"
            return (name, None) if name in self.fields else (None, "indeksering")
        return None, None

    def attach(self, problems, lang: str) -> None:
        """Each problem at its field (or its group of rows); the rest on the form."""
        for problem in problems:
            message = problem.text(lang)
            name, group = self.field_of(problem.field or "")
            if (problem.field or "").startswith("indeksering.deflator."):
                message = f"{problem.field.rsplit('.', 1)[-1]}: {message}"
            elif (problem.field or "").startswith(
                "bruk."
            ):  # bruk.2024.4602: the line's year and number
                message = f"{problem.field.removeprefix('bruk.').replace('.', ' ')}: {message}"
            if name is not None:
                self.add_error(name, message)
            elif group is not None:
                self.group_errors.setdefault(group, []).append(message)
            else:
                self.add_error(None, message)

    def has_errors(self) -> bool:
        return bool(self.errors or self.group_errors)

    def summary(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every error, in the order of the form."""
        out = [("skjema", "", str(e)) for e in self.non_field_errors()]
        groups = {"deler": _("Deler"), "fritak": _("Fritak"), "indeksering": _("Indeksering")}
        shown: set[str] = set()
        for name in self.fields:
            group = (
                "deler"
                if name.startswith("del_")
                else "fritak"
                if name.startswith("fritak_")
                else "indeksering"
                if name.startswith("indeksering_")
                else None
            )
            if group and group not in shown and group in self.group_errors:
                shown.add(group)
                out += [(f"gruppe-{group}", groups[group], e) for e in self.group_errors[group]]
            for error in self.errors.get(name, []):
                out.append((self[name].id_for_label, self.row_label(name), str(error)))
        for group, messages in self.group_errors.items():
            if group not in shown:
                out += [(f"gruppe-{group}", groups[group], e) for e in messages]
        return out
