"""The checks of one edit before anything is written: the rules of the mapping file for this one
record (:func:`samarbeid.rules.record.check_record`), values that are not text, the same id or
name elsewhere in the mapping, a municipality editor's reach, and the free texts of the edit
(its source) through the input boundary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_noop

from samarbeid.reference.vocab import alias_key
from samarbeid.rules.boundary import Issue, clean_cell
from samarbeid.rules.findings import ERROR, WARNING, Finding
from samarbeid.rules.record import check_record
from samarbeid.rules.schema import ARRANGEMENTS, MEMBERSHIPS, Column
from samarbeid.rules.spec import ArrangementSpec

from . import permissions
from .edit_outcomes import PARTICIPANTS, SOURCE_FIELD, Problem
from .models import (
    Arrangement,
    Mapping,
    Municipality,
)
from .participation import takes_part_on

# --- Validation with the intake's rules ---------------------------------------------------------


@dataclass
class Checked:
    spec: ArrangementSpec | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _problem(finding: Finding) -> Problem:
    if finding.sheet == MEMBERSHIPS.name:
        return Problem(
            PARTICIPANTS,
            finding.code,
            finding.text("nb"),
            finding.severity,
            row=(finding.row or 1) - 1,
            column=finding.column,
            value=finding.value,
            finding=finding,
        )
    return Problem(
        finding.column or "",
        finding.code,
        finding.text("nb"),
        finding.severity,
        value=finding.value,
        finding=finding,
    )


def check(
    mapping: Mapping, values: dict[str, str], memberships: list[dict[str, str]] | None
) -> Checked:
    """Validate one arrangement as the intake validates a mapping file with just this row.

    ``values`` must hold ``id``; ``memberships`` None means the participants are given inline
    (``values["deltakere"]``) or not at all.
    """
    shape = _shape_problems(values, memberships)
    if shape:
        return Checked(None, shape)
    result = check_record(
        {k: _text(v) for k, v in values.items()},
        [{k: _text(v) for k, v in row.items()} for row in memberships or []],
        mapping_name=mapping.name,
        cutoff_date=mapping.cutoff_date,
    )
    ours = [
        _problem(f)
        for f in result.findings
        if f.sheet in (ARRANGEMENTS.name, MEMBERSHIPS.name)
        and f.code != "membership_arrangement_unknown"  # only when the id itself is missing
    ]
    spec = result.spec.arrangements[0] if result.spec.arrangements else None
    return Checked(
        spec,
        [p for p in ours if p.severity == ERROR],
        [p for p in ours if p.severity == WARNING],
    )


SCALARS = (str, int, float, Decimal, bool, dt.date, type(None))


def _shape_problems(
    values: dict[str, Any], memberships: list[dict[str, Any]] | None
) -> list[Problem]:
    """A value that is not a text or a number (an object, a list, …) is refused by name, never
    stored as its Python representation."""
    problems = []
    for key, value in values.items():
        if not isinstance(value, SCALARS):
            problems.append(_shape_problem(key, value))
    for i, row in enumerate(memberships or []):
        if not isinstance(row, dict):
            problems.append(_shape_problem(PARTICIPANTS, row, row=i))
            continue
        for key, value in row.items():
            if not isinstance(value, SCALARS):
                problems.append(_shape_problem(PARTICIPANTS, value, row=i, column=key))
    return problems


def _shape_problem(field_name: str, value: Any, row: int | None = None, column=None) -> Problem:
    return Problem(
        field_name,
        "value_not_text",
        gettext_noop("Forventet en tekst eller et tall, ikke {kind}."),
        row=row,
        column=column,
        params={"kind": type(value).__name__},
    )


def _text(value: Any) -> str:
    """Form and JSON values as the cell text a file would hold (stripped; \\r\\n -> \\n)."""
    if value is None:
        return ""
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def duplicates(mapping: Mapping, spec: ArrangementSpec, exclude: int | None) -> list[Problem]:
    """What the intake checks within one file, checked against the rest of the mapping."""
    problems = []
    others = Arrangement.objects.filter(mapping=mapping).exclude(pk=exclude)
    same_ref = others.filter(ref=spec.ref).first()
    if same_ref is not None:
        problems.append(
            Problem(
                "id",
                "id_duplicate",
                gettext_noop("Id-en «{ref}» er allerede brukt av ordningen «{name}»."),
                value=spec.ref,
                params={"ref": spec.ref, "name": same_ref.name},
            )
        )
    key = alias_key(spec.name)
    for ref, name in others.values_list("ref", "name"):
        if alias_key(name) == key:
            problems.append(
                Problem(
                    "navn",
                    "arrangement_duplicate",
                    gettext_noop(
                        "Samme ordning to ganger: «{name}» finnes allerede i kartleggingen "
                        "(ordning {ref})."
                    ),
                    value=spec.name,
                    params={"name": spec.name, "ref": ref},
                )
            )
            break
    return problems


def _municipality_scope(
    user, mapping: Mapping, spec: ArrangementSpec, *, new: bool
) -> list[Problem]:
    """A municipality editor saves only arrangements one of its municipalities takes part in.

    A new arrangement must have it taking part on the mapping's date (the same rule as the role
    check, registry/participation.py). A change to an existing one was allowed by that role
    check on the arrangement as it was; after the change the municipality must still be among
    the participants, but may have left: recording that it left is how it leaves."""
    if permissions.can_edit_mapping(user, mapping):
        return []
    mine = permissions.editable_municipalities(user, mapping)
    taking_part = {
        m.period.entity
        for m in spec.memberships
        if m.period is not None
        and (not new or takes_part_on(mapping.cutoff_date, m.joined_on, m.left_on))
    }
    if mine & taking_part:
        return []
    names = " eller ".join(
        sorted(Municipality.objects.filter(key__in=mine).values_list("name", flat=True))
    )
    return [
        Problem(
            PARTICIPANTS,
            "municipality_editor_scope",
            gettext_noop(
                "Som kommuneredaktør kan du bare lagre ordninger som {names} deltar i. Har "
                "kommunen gått ut av ordningen, skriv datoen i «Uttrådt» i stedet for å fjerne den."
            ),
            params={"names": names},
        )
    ]


SOURCE_COLUMN = Column(SOURCE_FIELD, "Kilde for endringen")
PROSE_COLUMN = Column("", "", prose=True)


def text_problems(field_name: str, value: Any, *, prose: bool = False) -> list[Problem]:
    """What the input boundary refuses in a free text (a source; with ``prose``, a comment that
    may start with a formula character): no control character, at most a cell's length, and no
    formula unless ``prose``. Empty is fine here."""
    _, issues = clean_cell(PROSE_COLUMN if prose else SOURCE_COLUMN, _text(value))
    return [_issue_problem(field_name, issue) for issue in issues if issue.severity == ERROR]


def clean_text_value(value: Any) -> str:
    """A free text as it is stored, after :func:`text_problems` found nothing."""
    return clean_cell(PROSE_COLUMN, _text(value))[0]


def _source_problems(source: str) -> list[Problem]:
    """The source of a change passes the same input boundary as every cell (no formula, no
    control character, at most a cell's length), and it is required."""
    problems = text_problems(SOURCE_FIELD, source)
    if problems or clean_text_value(source):
        return problems
    return [
        Problem(
            SOURCE_FIELD,
            "source_required",
            gettext_noop(
                "Kilden for endringen mangler. Skriv hvor opplysningene kommer fra, for eksempel "
                "«Eierskapsmelding 2024» eller «E-post fra kommunen 3. mars»."
            ),
        )
    ]


def _clean_source(source: str) -> str:
    """The source as it is stored (checked by :func:`_source_problems` first)."""
    return clean_text_value(source)


def _issue_problem(field_name: str, issue: Issue) -> Problem:
    finding = Finding(
        issue.severity, issue.code, field_name, value=issue.value, params=issue.params
    )
    return Problem(
        field_name,
        issue.code,
        finding.text("nb"),
        issue.severity,
        value=issue.value,
        finding=finding,
    )


#: For other apps' edits (the portfolio): one issue of the input boundary as a field's problem,
#: and the check of a change's required source.
issue_problem = _issue_problem
source_problems = _source_problems
clean_source = _clean_source
