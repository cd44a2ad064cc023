"""Names and numbers of municipalities at a date: resolution through the gazetteer, with
suggestions, ambiguity and merged municipalities as findings; one participant of a record."""

from __future__ import annotations

import datetime as dt
import re

from samarbeid.reference.gazetteer import MunicipalityPeriod
from samarbeid.reference.vocab import (
    PARTICIPANT_KINDS,
)

from .checking import CheckContext
from .findings import ERROR, WARNING
from .spec import ArrangementSpec, MembershipSpec
from .tables import Table


class NameChecks(CheckContext):
    def resolve_municipality(
        self,
        text: str,
        number: str,
        table: Table,
        row: int,
        column: str,
        at: dt.date | None,
        until: dt.date | None,
    ) -> MunicipalityPeriod | None:
        """Resolve a name and/or number at a date (or before ``until``), reporting problems."""
        key = (text, number, at, until)
        cached = self._resolution_cache.get(key)
        if cached is None:
            cached = self._resolve(text, number, at, until)
            self._resolution_cache[key] = cached
        period, findings = cached
        for code, severity, value, col_override, kw in findings:
            self._add(severity, code, table, row, col_override or column, value, **kw)
        return period

    def _resolve(self, text: str, number: str, at: dt.date | None, until: dt.date | None):
        out: list[tuple] = []
        when = {"when_at": at.isoformat()} if at else {"when_until": until.isoformat()}
        if number:
            if not re.fullmatch(r"[0-9]{4}", number):
                out.append(("municipality_number_invalid", ERROR, number, "kommunenummer", {}))
                return None, out
            res = self._resolve_text(number, at, until)
            if res.status != "ok":
                return None, self._resolution_findings(res, number, when, out, "kommunenummer")
            if text:
                by_name = self._resolve_text(text, at, until)
                if by_name.status != "ok" or by_name.period.entity != res.period.entity:
                    out.append(
                        (
                            "number_name_mismatch",
                            ERROR,
                            text,
                            None,
                            {"number": number, "actual": res.period.label()},
                        )
                    )
                    return None, out
            return res.period, out
        res = self._resolve_text(text, at, until)
        if res.status == "ok":
            if res.normalised:
                out.append(
                    ("municipality_spelling", WARNING, text, None, {"actual": res.period.label()})
                )
            return res.period, out
        return None, self._resolution_findings(res, text, when, out, None)

    def _resolve_text(self, text: str, at: dt.date | None, until: dt.date | None):
        if at is not None:
            return self.gaz.resolve(text, at)
        # An ended arrangement: first as the name was the day before it ended, then any time before.
        res = self.gaz.resolve(text, until - dt.timedelta(days=1))
        if res.status in ("unknown", "not_valid_at_date"):
            res = self.gaz.resolve(text, until=until)
        return res

    def _resolution_findings(self, res, value: str, when: str, out: list, column: str | None):
        if res.status == "ambiguous":
            candidates = " / ".join(f"{p.qualified_name()} {p.number}" for p in res.candidates)
            out.append(
                ("municipality_ambiguous", ERROR, value, column, {**when, "candidates": candidates})
            )
        elif res.status == "not_valid_at_date":
            details = []
            for p in res.candidates[:3]:
                span = f"{p.valid_from or '…'}–{p.valid_to or ''}"
                successors = self.gaz.successors(p)
                after = f" → {', '.join(s.label() for s in successors)}" if successors else ""
                details.append(f"{p.label()} {span}{after}")
            out.append(
                (
                    "municipality_not_valid",
                    ERROR,
                    value,
                    column,
                    {**when, "detail": "; ".join(details)},
                )
            )
        else:
            suggestion = ", ".join(p.label() for p in res.suggestions) or None
            out.append(
                ("municipality_unknown", ERROR, value, column, {**when, "suggestion": suggestion})
            )
        return out

    def _participant(
        self,
        name: str,
        number: str,
        kind_text: str,
        table: Table,
        n: int,
        column: str,
        at: dt.date | None,
        until: dt.date | None,
    ) -> MembershipSpec | None:
        kind = (
            PARTICIPANT_KINDS.parse(kind_text).code
            if kind_text and PARTICIPANT_KINDS.parse(kind_text)
            else ""
        )
        if kind_text and not kind:
            self._vocab(PARTICIPANT_KINDS, kind_text, table, n, "type")
            return None
        if not kind and re.search(r"\bfylkeskommune\b", name, re.IGNORECASE):
            kind = "fylkeskommune"
        kind = kind or "kommune"
        if kind == "kommune":
            if not name and not number:
                self.error("participant_missing", table, n, column)
                return None
            period = self.resolve_municipality(
                name, number, table, n, column if not number else "kommunenummer", at, until
            )
            return MembershipSpec(table.name, n, kind, period=period) if period else None
        if not name:
            self.error("participant_missing", table, n, column)
            return None
        if kind == "fylkeskommune":
            county_name = re.sub(r"\s*fylkeskommune\s*$", "", name, flags=re.IGNORECASE)
            county = self.gaz.county_by_name(county_name, at or (until - dt.timedelta(days=1)))
            if county is None:
                self.error("county_unknown", table, n, column, name, **self._when(at, until))
                return None
            return MembershipSpec(table.name, n, kind, county=county)
        return MembershipSpec(table.name, n, kind, other_name=name)

    def _resolution_date(self, spec: ArrangementSpec) -> tuple[dt.date | None, dt.date | None]:
        """Members are checked at the mapping date, or for an ended arrangement while it ran."""
        if spec.status == "avsluttet":
            return None, spec.ended_on or self.spec.cutoff_date
        return self.spec.cutoff_date, None
