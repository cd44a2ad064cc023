"""``/api/kommuner/``: the reference data on municipalities, one day at a time, with history."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response

from samarbeid.reference.gazetteer import load_gazetteer

from ..common import (
    BAD_REQUEST,
    COMMON_ERRORS,
    LIST_ERRORS,
    NOT_FOUND,
    ApiPolicy,
    ApiView,
    ParameterError,
    document,
)
from ..serializers import reference as s
from .shared import NUMBER, _not_found

FOUR_DIGITS = re.compile(r"[0-9]{4}")
DATE = OpenApiParameter(
    "dato", OpenApiTypes.DATE, description="Dagen det gjelder (ÅÅÅÅ-MM-DD); standard: i dag"
)


def _date(request) -> dt.date:
    text = request.query_params.get("dato", "").strip()
    if not text:
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError("dato", f"«{text}» er ikke en dato (ÅÅÅÅ-MM-DD).") from None


@extend_schema_view(
    get=document(
        summary="Kommuner en dag",
        description="Alle kommuner som var gyldige den dagen (referansedataene), etter nummer.",
        parameters=[
            DATE,
            OpenApiParameter(
                "fylke",
                {"type": "string", "pattern": "^[0-9]{2}$"},
                description="Bare kommuner i fylket med dette nummeret",
            ),
        ],
        responses={200: s.ReferenceMunicipalitySerializer(many=True), **BAD_REQUEST, **LIST_ERRORS},
    )
)
class ReferenceMunicipalityListView(ApiPolicy, generics.ListAPIView):
    serializer_class = s.ReferenceMunicipalitySerializer

    def get_queryset(self):
        day = _date(self.request)
        county = self.request.query_params.get("fylke", "").strip()
        periods = load_gazetteer().valid_at(day)
        return [p for p in periods if not county or p.county.number == county]


class ReferenceMunicipalityDetailView(ApiView):
    @document(
        summary="Én kommune en dag, med historikk",
        description="Kommunen som hadde nummeret den dagen, dens numre og navn over tid, alle "
        "kommuner som har hatt nummeret, og endringene (nytt nummer, navn, sammenslåing, deling).",
        parameters=[NUMBER, DATE],
        responses={
            200: s.ReferenceMunicipalityDetailSerializer,
            **BAD_REQUEST,
            **COMMON_ERRORS,
            **NOT_FOUND,
        },
    )
    def get(self, request, nummer: str):
        day = _date(request)
        gazetteer = load_gazetteer()
        valid = FOUR_DIGITS.fullmatch(nummer) is not None
        period = gazetteer.by_number(nummer, day) if valid else None
        if period is None:
            known = gazetteer.number_history(nummer) if valid else []
            if not known:
                _not_found(f"Ingen kommune har hatt nummeret {nummer}.")
            spans = ", ".join(f"{p.name} {_span(p.valid_from, p.valid_to)}" for p in known)
            _not_found(f"Kommunenummer {nummer} var ikke i bruk {day.isoformat()} ({spans}).")
        entity_periods = gazetteer.entity_periods(period.entity)
        changes = []
        for each in entity_periods:
            for change in gazetteer.changes_of(each):
                if change not in changes:
                    changes.append(change)
        changes.sort(key=lambda c: (c.date, c.before.number, c.after.number))
        entry = {
            "number": period.number,
            "name": period.name,
            "name_official": period.name_official,
            "county": period.county,
            "valid_from": period.valid_from,
            "valid_to": period.valid_to,
            "entity_periods": entity_periods,
            "number_periods": gazetteer.number_history(nummer),
            "changes": changes,
        }
        serializer = s.ReferenceMunicipalityDetailSerializer(entry, context={"request": request})
        return Response(serializer.data)


def _span(start: dt.date | None, end: dt.date | None) -> str:
    return f"{start.isoformat() if start else '…'}–{end.isoformat() if end else ''}"
