"""The write side of the API: create, change and delete arrangements.

Everything that decides goes through :mod:`samarbeid.registry.editing` (the same functions as the
web forms: the intake's validation, the roles of :mod:`samarbeid.registry.permissions`, optimistic
locking, the change history). This module only translates: JSON in the shapes the API reads out
(numbers, lists, the host as an object) into the mapping file's cell texts, and the editing
module's refusals into HTTP answers:

=====================  ======================================================================
``EditRejected``       400, ``feil``: one item per problem (``felt``, ``rad``, ``kolonne``, …)
``EditForbidden``      403
no version given       428 (send ``versjon`` in the body or the version in ``If-Match``)
``EditConflict``       409, with the current ``versjon``, who changed it (``endret_av``) and when
=====================  ======================================================================
"""

from __future__ import annotations

import re

from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status

from samarbeid.registry import editing
from samarbeid.rules.schema import ARRANGEMENTS, MEMBERSHIP_COLUMNS, VALUE_COLUMNS

from .common import ErrorSerializer

#: Columns of the sheet Ordninger an API client may write (``deltakere`` is the list below).
LIST_COLUMNS = {"navnevarianter", "oppgaveomrader"}
#: The largest version number (the column is a 32-bit integer on PostgreSQL).
MAX_VERSION = 2**31 - 1
#: Fields of the read representation that a client may send back unchanged (they are ignored).
READ_ONLY = ("url", "kartlegging", "antall_deltakere", "advarsler")


def _ignored() -> serializers.Field:
    return serializers.JSONField(
        required=False, allow_null=True, help_text="Leses bare; kan sendes tilbake og overses"
    )


# --- Fields: JSON values to cell texts ----------------------------------------------------------


def _scalar(value, field: serializers.Field) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise serializers.ValidationError("Skriv en tekst eller et tall.")
    return str(value)


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": True},
)
class Cell(serializers.Field):
    """One cell of the mapping file: a text or a number; null or "" is empty (not known)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> str:
        return _scalar(data, self)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "integer"}]}},
            {"type": "string"},
        ],
        "nullable": True,
    },
)
class ListCell(Cell):
    """A list column: a JSON list, or the file's text with «; » between the items."""

    def to_internal_value(self, data) -> str:
        if isinstance(data, list):
            return "; ".join(_scalar(item, self) for item in data)
        return _scalar(data, self)


HOST_OBJECT = {
    "type": "object",
    "properties": {
        "status": {"type": "string", "enum": ["kommune", "ingen"]},
        "kommunenummer": {"type": "string", "nullable": True},
        "navn": {"type": "string", "nullable": True},
    },
}


@extend_schema_field({"oneOf": [{"type": "string"}, HOST_OBJECT], "nullable": True})
class HostCell(Cell):
    """The host: a municipality's name or number, «ingen», null (not known), or the object the API
    reads out (``{"status": "kommune", "kommunenummer": "3006"}``, ``{"status": "ingen"}``)."""

    def to_internal_value(self, data) -> str:
        if not isinstance(data, dict):
            return _scalar(data, self)
        state = data.get("status")
        if state == "ingen":
            return "ingen"
        if state == "kommune":
            return _scalar(data.get("kommunenummer") or data.get("navn"), self)
        if state == "annen":
            raise serializers.ValidationError(
                "En vertskommune som ikke er en kommune, kan ikke settes gjennom API-et; "
                "skriv det i vertskommune_kilde eller merknader."
            )
        raise serializers.ValidationError("status må være «kommune» eller «ingen».")


class MembershipInputSerializer(serializers.Serializer):
    deltaker = Cell(required=False, help_text="Kommunenavn, fylkeskommune eller annen eier")
    kommunenummer = Cell(required=False)
    type = Cell(required=False, help_text="kommune, fylkeskommune eller annen; tom = kommune")
    rolle = Cell(required=False, help_text="tom = deltaker")
    eierandel = Cell(required=False, help_text="Prosent (0–100)")
    inn_dato = Cell(required=False)
    ut_dato = Cell(required=False)
    som_trykt = Cell(required=False)
    kilde = Cell(required=False)
    fylkesnummer = _ignored()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = set(data) - set(self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["Ukjent felt for en deltaker."] for name in sorted(unknown)}
                )
        return super().to_internal_value(data)


def _column(key: str, **kwargs) -> serializers.Field:
    help_text = next(c.help_nb for c in ARRANGEMENTS.columns if c.key == key)
    if key in LIST_COLUMNS:
        return ListCell(required=False, help_text=help_text, **kwargs)
    if key == "vertskommune":
        return HostCell(required=False, help_text=help_text, **kwargs)
    return Cell(required=False, help_text=help_text, **kwargs)


class ArrangementInputSerializer(serializers.Serializer):
    """En ordning slik en klient skriver den: kartleggingsfilens kolonner (tekst, tall eller
    formene API-et leser ut), deltakerne, versjonen og kilden for endringen. Felt som bare leses
    (url, kartlegging, antall_deltakere, fylkesnummer), kan sendes tilbake og overses."""

    versjon = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versjonen endringen bygger på (eller If-Match); kreves for PUT, PATCH, DELETE",
    )
    endringskilde = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Hvor opplysningene kommer fra (påkrevd), f.eks. «Eierskapsmelding 2024»",
    )
    deltakere = MembershipInputSerializer(
        many=True,
        required=False,
        help_text="Alle deltakerne (erstatter listen). Utelatt i PATCH: uendret.",
    )

    def get_fields(self):
        fields = super().get_fields()
        for key in VALUE_COLUMNS:
            fields[key] = _column(key)
        for key in READ_ONLY:
            fields[key] = _ignored()
        return fields

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send et JSON-objekt."]})
        unknown = set(data) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: ["Ukjent felt."] for name in sorted(unknown)})
        return super().to_internal_value(data)


class DeleteInputSerializer(serializers.Serializer):
    versjon = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="Versjonen slettingen bygger på (eller If-Match)",
    )
    endringskilde = serializers.CharField(
        required=False, allow_blank=True, help_text="Hvorfor ordningen slettes (påkrevd)"
    )


# --- From a request to the editing functions ----------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Oppgi versjonen endringen bygger på: «versjon» i innholdet eller If-Match-topptekst "
        "(les ordningen først)."
    )


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT

    def __init__(self, conflict: editing.EditConflict) -> None:
        super().__init__(str(conflict))
        self.body = {
            "detail": str(conflict),
            "versjon": conflict.current_version,
            "endret_av": conflict.changed_by or None,
            "endret": conflict.changed_at.isoformat() if conflict.changed_at else None,
            "slettet": conflict.deleted,
        }


class Rejected(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, rejected: editing.EditRejected) -> None:
        message = "Endringen ble ikke lagret: " + str(rejected)
        super().__init__(message)
        self.body = {
            "detail": message,
            "feil": [problem(p) for p in rejected.problems],
            "advarsler": [problem(p) for p in rejected.warnings],
        }


def call(function, *args, **kwargs):
    """Run an editing function; its refusals become HTTP errors."""
    try:
        return function(*args, **kwargs)
    except editing.EditRejected as error:
        raise Rejected(error) from error
    except editing.EditForbidden as error:
        raise exceptions.PermissionDenied(error.message) from error
    except editing.EditConflict as error:
        raise Conflict(error) from error


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    versjon = serializers.IntegerField(
        allow_null=True, help_text="Ordningens versjon nå; null: ordningen er slettet"
    )
    endret_av = serializers.CharField(allow_null=True, help_text="Hvem som endret den sist")
    endret = serializers.DateTimeField(allow_null=True, help_text="Når")
    slettet = serializers.BooleanField()


class ProblemSerializer(serializers.Serializer):
    felt = serializers.CharField(
        allow_null=True,
        help_text="Kolonnen i arket Ordninger, «deltakere» for en deltaker, «endringskilde»; "
        "null: ordningen som helhet",
    )
    melding = serializers.CharField()
    kode = serializers.CharField(required=False)
    rad = serializers.IntegerField(
        required=False, allow_null=True, help_text="Deltakerens plass i listen (fra 0)"
    )
    kolonne = serializers.CharField(
        required=False, allow_null=True, help_text="Kolonnen i arket Deltakere"
    )
    verdi = serializers.CharField(required=False, allow_null=True)


class RejectedSerializer(ErrorSerializer):
    feil = ProblemSerializer(
        many=True, required=False, help_text="Problemene; mangler når innholdet ikke er JSON"
    )
    advarsler = ProblemSerializer(many=True, required=False)


def problem(p: editing.Problem) -> dict:
    return {
        "felt": p.field or None,
        "melding": p.message,
        "kode": p.code,
        "rad": p.row,
        "kolonne": p.column,
        "verdi": p.value,
    }


_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def expected_version(request, body_version: int | None) -> int:
    """The version the client's change is based on: ``versjon`` or ``If-Match``; 428 without."""
    header = request.headers.get("If-Match", "")
    from_header = None
    if header:
        match = _ETAG.match(header)
        if match is None:
            raise serializers.ValidationError(
                {"If-Match": ['Skriv versjonen slik ETag-en oppgir den, f.eks. "3".']}
            )
        from_header = int(match.group(1))
        if not 1 <= from_header <= MAX_VERSION:
            raise serializers.ValidationError({"If-Match": ["Versjonen finnes ikke."]})
    if body_version is not None and from_header is not None and body_version != from_header:
        raise serializers.ValidationError(
            {"versjon": ["versjon og If-Match oppgir forskjellige versjoner."]}
        )
    version = body_version if body_version is not None else from_header
    if version is None:
        raise PreconditionRequired()
    return version


def etag(version: int) -> str:
    return f'"{version}"'


def parse(request, *, partial: bool) -> tuple[dict[str, str], list[dict[str, str]] | None, dict]:
    """The body as ``values`` (file columns), ``memberships`` and the rest (version, source).

    ``partial`` (PATCH): only the columns sent change, participants only when sent. Otherwise
    (PUT, POST) the body is the whole arrangement: a column left out is empty (not known) and
    leaving out ``deltakere`` means no participants.
    """
    body = ArrangementInputSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = {
        k: ("" if v is None else v) for k, v in body.validated_data.items() if k not in READ_ONLY
    }
    meta = {"versjon": data.pop("versjon", None), "endringskilde": data.pop("endringskilde", "")}
    members = data.pop("deltakere", None)
    if not partial:
        data = {k: data.get(k, "") for k in VALUE_COLUMNS if k != "id" or "id" in data}
        members = members if members is not None else []
    # Only the sheet's columns go on (fylkesnummer is read-only and not one).
    memberships = (
        None
        if members is None
        else [{k: row.get(k) or "" for k in MEMBERSHIP_COLUMNS if k in row} for row in members]
    )
    return data, memberships, meta
