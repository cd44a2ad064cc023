"""Validate a read mapping file: every problem as a finding; the valid content as a spec.

Pure Python over the gazetteer (no database): ``samarbeid check`` needs nothing else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from samarbeid.reference.files import task_area_numbers
from samarbeid.reference.gazetteer import Gazetteer, MunicipalityPeriod, load_gazetteer, mod11_ok
from samarbeid.reference.vocab import (
    COMPLETENESS,
    ESTABLISHED_UNSPECIFIED,
    EXCLUSION_REASONS,
    HOST_FORMS,
    LEGAL_FORMS,
    MULTI_MUNICIPAL_FORMS,
    PARTICIPANT_KINDS,
    ROLES,
    SECTORS,
    STATUSES,
    Vocabulary,
    alias_key,
)

from .boundary import Issue, check_length, check_number, clean_cell, parse_count, plain
from .findings import ERROR, WARNING, Finding
from .schema import (
    ARRANGEMENTS,
    MAPPING,
    MAPPING_FIELD_LIMITS,
    MAPPING_FIELDS,
    MEMBERSHIPS,
    MIN_YEAR,
    SCOPE,
    SHEETS,
    Column,
    Sheet,
)
from .spec import ArrangementSpec, MappingSpec, MembershipSpec, ScopeSpec
from .tables import RawWorkbook, Table
from .values import parse_date, parse_year_or_date, split_list, too_early

TRANSITION_27_DEADLINE = dt.date(2023, 11, 1)


@dataclass
class CheckResult:
    spec: MappingSpec
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def file_errors(self) -> list[Finding]:
        """Errors that no row can be skipped for (file, mapping, scope)."""
        return [
            f
            for f in self.errors
            if f.sheet in (None, MAPPING.name, SCOPE.name)
            or f.code in {"column_missing", "column_unknown", "column_duplicate"}
        ]


class _Row:
    """One row of a table: its cells, cleaned at the input boundary, by column key, and the row
    number for findings."""

    __slots__ = ("cells", "errors", "number", "table")

    def __init__(self, table: Table, number: int, cells: dict[str, str]) -> None:
        self.table = table
        self.number = number
        self.cells = cells
        self.errors: list[Finding] = []  # what the input boundary refused in this row

    def get(self, key: str) -> str:
        return self.cells.get(key, "")


class Validator:
    def __init__(
        self,
        book: RawWorkbook,
        *,
        mapping_name: str | None = None,
        cutoff_date: dt.date | None = None,
        today: dt.date | None = None,
        gazetteer: Gazetteer | None = None,
    ) -> None:
        self.book = book
        self.file = book.display_name
        self.gaz = gazetteer or load_gazetteer()
        self.today = today or dt.date.today()
        self.mapping_name = mapping_name
        self.cutoff_override = cutoff_date
        self.findings: list[Finding] = []
        self.spec = MappingSpec()
        self._resolution_cache: dict[tuple, object] = {}
        self._task_areas = task_area_numbers()

    # -- findings ------------------------------------------------------------------------------
    def _add(
        self,
        severity: str,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        suggestion: str | None = None,
        **params: object,
    ) -> None:
        self.findings.append(
            Finding(
                severity,
                code,
                self.file,
                sheet=table.name if table else None,
                row=row,
                column=column,
                value=value,
                suggestion=suggestion,
                params=params,
                row_is_line=bool(table and table.rows_are_lines),
            )
        )

    def error(
        self,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **kw: object,
    ) -> None:
        self._add(ERROR, code, table, row, column, value, **kw)

    def warn(
        self,
        code: str,
        table: Table | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        **kw: object,
    ) -> None:
        self._add(WARNING, code, table, row, column, value, **kw)

    # -- entry point ---------------------------------------------------------------------------
    def run(self) -> CheckResult:
        for name in self.book.unknown_sheets:
            self.warn("sheet_unknown", value=name, expected=", ".join(s.name for s in SHEETS))
        tables = {s.name: self.book.tables.get(s.name.lower()) for s in SHEETS}
        if tables[ARRANGEMENTS.name] is None:
            self.error(
                "sheet_missing", sheet=ARRANGEMENTS.name, expected=", ".join(s.name for s in SHEETS)
            )
            return CheckResult(self.spec, self.findings)
        rows = {
            name: self._rows(SHEETS[i], table)
            for i, (name, table) in enumerate(tables.items())
            if table is not None
        }
        self._mapping(rows.get(MAPPING.name, []), tables[MAPPING.name])
        if self.spec.cutoff_date is None:
            return CheckResult(self.spec, self.findings)
        self._scope(rows.get(SCOPE.name, []), tables[SCOPE.name])
        by_ref = self._arrangements(rows[ARRANGEMENTS.name], tables[ARRANGEMENTS.name])
        self._memberships(rows.get(MEMBERSHIPS.name, []), tables[MEMBERSHIPS.name], by_ref)
        for arrangement in self.spec.arrangements:
            self._cross_checks(arrangement, tables[ARRANGEMENTS.name], tables[MEMBERSHIPS.name])
        return CheckResult(self.spec, self.findings)

    def _rows(self, sheet: Sheet, table: Table) -> list[_Row]:
        known = set(sheet.keys)
        index: dict[str, int] = {}
        for i, key in enumerate(table.columns):
            if not key:
                continue
            if key in index:
                self.error("column_duplicate", table, table.header_row or None, value=key)
            elif key not in known:
                close = difflib.get_close_matches(key, sheet.keys, n=1, cutoff=0.75)
                self.error(
                    "column_unknown",
                    table,
                    table.header_row or None,
                    value=key,
                    suggestion=close[0] if close else None,
                    expected=", ".join(sheet.keys),
                )
            else:
                index[key] = i
        for column in sheet.columns:
            if column.required and column.key not in index and table.columns:
                self.error("column_missing", table, table.header_row or None, column=column.key)
        if not table.rows:
            if sheet.required:
                self.error("sheet_empty", table)
            return []
        columns = {c.key: c for c in sheet.columns}
        result = []
        for number, cells in table.rows:
            width = len(cells)
            row = _Row(table, number, {})
            for key, i in index.items():
                raw = cells[i] if i < width else ""
                if raw:
                    raw, issues = clean_cell(columns[key], raw)
                    for issue in issues:
                        self._issue(issue, table, number, key)
                        if issue.severity == ERROR:
                            row.errors.append(self.findings[-1])
                row.cells[key] = raw
            result.append(row)
        return result

    def _issue(
        self, issue: Issue, table: Table | None, row: int | None, column: str | None
    ) -> None:
        self._add(issue.severity, issue.code, table, row, column, issue.value, **issue.params)

    # -- mapping and scope ---------------------------------------------------------------------
    def _mapping(self, rows: list[_Row], table: Table | None) -> None:
        fields: dict[str, tuple[str, int]] = {}
        for row in rows:
            key = alias_key(row.get("felt"))
            if key not in MAPPING_FIELDS:
                self.error(
                    "mapping_field_unknown",
                    table,
                    row.number,
                    "felt",
                    row.get("felt"),
                    expected=", ".join(MAPPING_FIELDS),
                )
                continue
            if key in fields:  # never "the last one wins"
                self.error(
                    "mapping_field_duplicate",
                    table,
                    row.number,
                    "felt",
                    row.get("felt"),
                    other_row=fields[key][1],
                )
                continue
            value = row.get("verdi")
            if key in MAPPING_FIELD_LIMITS and value:
                issue = check_length(value, *MAPPING_FIELD_LIMITS[key])
                if issue is not None:
                    self._issue(issue, table, row.number, "verdi")
                    value = ""
            fields[key] = (value, row.number)
        spec = self.spec
        spec.name = fields.get("navn", ("", 0))[0]
        if self.mapping_name is not None:
            spec.name = self._mapping_name(self.mapping_name)
        spec.title = fields.get("tittel", ("", 0))[0]
        spec.description = fields.get("beskrivelse", ("", 0))[0]
        spec.source = fields.get("kilde", ("", 0))[0]
        if not spec.name:
            self.error("mapping_name_missing", table)
        if self.cutoff_override:
            spec.cutoff_date = self.cutoff_override
        elif "dato" in fields and fields["dato"][0]:
            text, number = fields["dato"]
            day = parse_date(text)
            if day is None:
                self._bad_date("date_invalid", table, number, "verdi", text)
            elif day > self.today:
                self.error(
                    "date_future", table, number, "verdi", text, today=self.today.isoformat()
                )
            else:
                spec.cutoff_date = day
        else:
            self.error("mapping_date_missing", table)

    def _mapping_name(self, text: str) -> str:
        """A name given outside the file (``--mapping``, the upload form) passes the same boundary
        as the file's own field ``navn``; its problems are the file's."""
        limit, one_line = MAPPING_FIELD_LIMITS["navn"]
        name, issues = clean_cell(Column("navn", "", max_length=limit, one_line=one_line), text)
        for issue in issues:
            self._issue(issue, None, None, None)
        return name

    def _bad_date(self, code: str, table: Table | None, row: int, column: str, text: str) -> None:
        if too_early(text):
            self.error("date_too_early", table, row, column, text, min_year=MIN_YEAR)
        else:
            self.error(code, table, row, column, text)

    def _when(self, at: dt.date | None, until: dt.date | None) -> dict[str, str]:
        return {"when_at": at.isoformat()} if at else {"when_until": until.isoformat()}

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

    def _scope(self, rows: list[_Row], table: Table | None) -> None:
        at = self.spec.cutoff_date
        seen: dict[str, int] = {}
        for position, row in enumerate(rows):
            name, number = row.get("kommune"), row.get("kommunenummer")
            if not name and not number:
                self.error(
                    "value_required",
                    table,
                    row.number,
                    "kommune",
                    expected=("kommunenavn eller kommunenummer", "a municipality name or number"),
                )
                continue
            period = self.resolve_municipality(
                name, number, table, row.number, "kommunenummer" if number else "kommune", at, None
            )
            if period is None:
                continue
            if period.entity in seen:
                self.error(
                    "scope_duplicate",
                    table,
                    row.number,
                    "kommune",
                    period.label(),
                    other_row=seen[period.entity],
                )
                continue
            seen[period.entity] = row.number
            self.spec.scope.append(ScopeSpec(position, period, row.get("region")))
        if table is None or not rows:
            self.warn("scope_empty", table)

    # -- arrangements --------------------------------------------------------------------------
    def _vocab(self, vocab: Vocabulary, text: str, table: Table, row: _Row, column: str) -> str:
        if not text:
            return ""
        term = vocab.parse(text)
        if term is None:
            labels = [t.code for t in vocab.terms]
            close = difflib.get_close_matches(
                alias_key(text), [alias_key(t.nb) for t in vocab.terms] + labels, n=1, cutoff=0.6
            )
            suggestion = None
            if close:
                match = vocab.parse(close[0])
                suggestion = match.code if match else close[0]
            self.error(
                "vocabulary_unknown",
                table,
                row.number,
                column,
                text,
                suggestion=suggestion,
                expected=", ".join(labels),
            )
            return ""
        return term.code

    def _decimal(
        self,
        text: str,
        table: Table,
        row: _Row,
        column: str,
        expected: str | tuple[str, str],
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        if not text:
            return None
        sheet = MEMBERSHIPS if table.name == MEMBERSHIPS.name else ARRANGEMENTS
        value, issue = check_number(text, sheet.column(column), maximum)
        if issue is not None:
            self._add(
                issue.severity,
                issue.code,
                table,
                row.number,
                column,
                issue.value,
                expected=expected,
                **issue.params,
            )
        return value

    def _arrangements(self, rows: list[_Row], table: Table) -> dict[str, ArrangementSpec]:
        by_ref: dict[str, ArrangementSpec] = {}
        names: dict[str, int] = {}
        for position, row in enumerate(rows):
            before = len(self.findings)
            ref, name = row.get("id"), row.get("navn")
            if not ref:
                self.error(
                    "value_required",
                    table,
                    row.number,
                    "id",
                    expected=("en unik id for ordningen", "a unique id for the arrangement"),
                )
            elif ref in by_ref:
                self.error("id_duplicate", table, row.number, "id", ref, other_row=by_ref[ref].row)
            if not name:
                self.error(
                    "value_required",
                    table,
                    row.number,
                    "navn",
                    expected=("ordningens navn", "the name of the arrangement"),
                )
            else:
                key = alias_key(name)
                if key in names:
                    self.error(
                        "arrangement_duplicate",
                        table,
                        row.number,
                        "navn",
                        name,
                        other_row=names[key],
                    )
                else:
                    names[key] = row.number
            spec = ArrangementSpec(row=row.number, ref=ref, name=name)
            spec.position = position  # type: ignore[attr-defined]
            self._arrangement_fields(spec, row, table)
            self._attach(spec, before, row)
            if ref and ref not in by_ref:
                by_ref[ref] = spec
            self.spec.arrangements.append(spec)
        return by_ref

    def _attach(self, spec: ArrangementSpec, since: int, row: _Row | None = None) -> None:
        """Errors found since index ``since``, and those the input boundary found in ``row``,
        belong to ``spec``: it is rejected with them."""
        new = (row.errors if row is not None else []) + [
            f for f in self.findings[since:] if f.severity == ERROR
        ]
        if new:
            spec.valid = False
            spec.problems.extend(new)

    def _arrangement_fields(self, spec: ArrangementSpec, row: _Row, table: Table) -> None:
        g = row.get
        n = row.number
        spec.abbreviation = g("forkortelse")
        spec.name_variants = split_list(g("navnevarianter"))
        name_limit = ARRANGEMENTS.column("navn").max_length
        for variant in spec.name_variants:  # each variant is a name: held to the name's length
            if issue := check_length(variant, name_limit, True):
                self._issue(issue, table, n, "navnevarianter")
        spec.status = self._vocab(STATUSES, g("status"), table, row, "status") or "telles"
        spec.exclusion_reason = self._vocab(
            EXCLUSION_REASONS, g("utenfor_grunn"), table, row, "utenfor_grunn"
        )
        spec.status_note = g("statusmerknad")
        if g("avsluttet"):
            parsed = parse_year_or_date(g("avsluttet"))
            if parsed is None:
                self._bad_date("ended_invalid", table, n, "avsluttet", g("avsluttet"))
            elif parsed[0] > self.today:
                self.error(
                    "date_future",
                    table,
                    n,
                    "avsluttet",
                    g("avsluttet"),
                    today=self.today.isoformat(),
                )
            else:
                spec.ended_on, spec.ended_precision = parsed
                if spec.status == "telles" and spec.ended_on <= self.spec.cutoff_date:
                    self.error("ended_but_counted", table, n, "status", g("avsluttet"))
        spec.legal_form = self._vocab(LEGAL_FORMS, g("juridisk_form"), table, row, "juridisk_form")
        spec.legal_form_source = g("juridisk_form_kilde")
        orgnr = g("organisasjonsnummer").replace(" ", "")
        if orgnr:
            if not re.fullmatch(r"[0-9]{9}", orgnr):
                self.error(
                    "orgnr_format", table, n, "organisasjonsnummer", g("organisasjonsnummer")
                )
            elif not mod11_ok(orgnr):
                self.error("orgnr_checksum", table, n, "organisasjonsnummer", orgnr)
            else:
                spec.org_number = orgnr
        spec.sector = self._vocab(SECTORS, g("sektor"), table, row, "sektor")
        for part in split_list(g("oppgaveomrader")):
            number = parse_count(part, 999)
            if number is not None and number in self._task_areas:
                if number not in spec.task_areas:
                    spec.task_areas.append(number)
            else:
                self.error("task_area_unknown", table, n, "oppgaveomrader", part)
        self._established(spec, g("etablert"), table, n)
        host = g("vertskommune")
        if host:
            if alias_key(host) in {"ingen", "none"}:
                spec.host_status = "ingen"
            else:
                at, until = self._resolution_date(spec)
                period = self.resolve_municipality(host, "", table, n, "vertskommune", at, until)
                if period is not None:
                    spec.host_status, spec.host = "kommune", period
        spec.host_source = g("vertskommune_kilde")
        spec.arsverk = self._decimal(
            g("arsverk"),
            table,
            row,
            "arsverk",
            ("antall årsverk, et tall ≥ 0", "staff-years, a number ≥ 0"),
        )
        spec.arsverk_source = g("arsverk_kilde")
        spec.budget = self._decimal(
            g("budsjett"), table, row, "budsjett", ("kroner, et tall ≥ 0", "kroner, a number ≥ 0")
        )
        spec.description = g("beskrivelse")
        spec.notes = g("merknader")
        spec.sources = g("kilder")
        stated = g("deltakere_oppgitt_antall")
        if stated:
            count = parse_count(stated)
            if count is not None:
                spec.participant_count_stated = count
            else:
                self.error(
                    "integer_invalid",
                    table,
                    n,
                    "deltakere_oppgitt_antall",
                    stated,
                    expected=(
                        "et helt tall ≥ 0 (høyst 2 147 483 647)",
                        "a whole number ≥ 0 (at most 2,147,483,647)",
                    ),
                )
        spec.participants_completeness = self._vocab(
            COMPLETENESS, g("deltakerliste"), table, row, "deltakerliste"
        )
        spec.participants_note = g("deltakere_merknad")
        spec.participants_as_printed = g("deltakere_som_trykt")
        at, until = self._resolution_date(spec)
        for name in split_list(g("deltakere")):
            membership = self._participant(name, "", "", table, n, "deltakere", at, until)
            if membership is not None:
                spec.memberships.append(membership)
        spec.inline_participants = bool(g("deltakere"))  # type: ignore[attr-defined]

    def _established(self, spec: ArrangementSpec, text: str, table: Table, n: int) -> None:
        if not text:
            return
        if alias_key(text) in {alias_key(t) for t in ESTABLISHED_UNSPECIFIED}:
            spec.established_unspecified = True
            return
        match = re.fullmatch(r"([0-9]{4})(?:\s*[-–]\s*([0-9]{4}))?", text.strip())
        if not match or (match.group(2) and int(match.group(2)) < int(match.group(1))):
            self.error("established_invalid", table, n, "etablert", text)
            return
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if first < MIN_YEAR:
            self.error("year_too_early", table, n, "etablert", text, min_year=MIN_YEAR)
            return
        if first > self.today.year:
            self.error("year_future", table, n, "etablert", text, today=self.today.year)
            return
        if first > self.spec.cutoff_date.year:
            self.warn("year_after_cutoff", table, n, "etablert", text, cutoff=self.spec.cutoff_date)
        spec.established_from, spec.established_to = first, last

    def _resolution_date(self, spec: ArrangementSpec) -> tuple[dt.date | None, dt.date | None]:
        """Members are checked at the mapping date, or for an ended arrangement while it ran."""
        if spec.status == "avsluttet":
            return None, spec.ended_on or self.spec.cutoff_date
        return self.spec.cutoff_date, None

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
            self._vocab(PARTICIPANT_KINDS, kind_text, table, _FakeRow(n), "type")
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

    # -- memberships ---------------------------------------------------------------------------
    def _memberships(
        self, rows: list[_Row], table: Table | None, by_ref: dict[str, ArrangementSpec]
    ) -> None:
        if table is None:
            return
        for row in rows:
            ref = row.get("ordning_id")
            arrangement = by_ref.get(ref)
            if arrangement is None:
                self.error("membership_arrangement_unknown", table, row.number, "ordning_id", ref)
                continue
            before = len(self.findings)
            if getattr(arrangement, "inline_participants", False):
                self.error("participants_both", table, row.number, "ordning_id", ref)
            at, until = self._resolution_date(arrangement)
            membership = self._participant(
                row.get("deltaker"),
                row.get("kommunenummer"),
                row.get("type"),
                table,
                row.number,
                "deltaker",
                at,
                until,
            )
            if membership is not None:
                membership.role = (
                    self._vocab(ROLES, row.get("rolle"), table, row, "rolle") or "deltaker"
                )
                membership.ownership_share = self._decimal(
                    row.get("eierandel"),
                    table,
                    row,
                    "eierandel",
                    ("prosent 0–100", "percent 0–100"),
                    maximum=Decimal(100),
                )
                for column, attr in (("inn_dato", "joined_on"), ("ut_dato", "left_on")):
                    text = row.get(column)
                    if text:
                        day = parse_date(text)
                        if day is None:
                            self._bad_date("date_invalid", table, row.number, column, text)
                        setattr(membership, attr, day)
                if (
                    membership.joined_on
                    and membership.left_on
                    and membership.left_on < membership.joined_on
                ):
                    self.error(
                        "dates_reversed",
                        table,
                        row.number,
                        "ut_dato",
                        membership.left_on.isoformat(),
                        other=membership.joined_on.isoformat(),
                    )
                membership.as_printed = row.get("som_trykt")
                membership.source = row.get("kilde")
                arrangement.memberships.append(membership)
            self._attach(arrangement, before, row)

    def _cross_checks(
        self, spec: ArrangementSpec, table: Table, members_table: Table | None
    ) -> None:
        before = len(self.findings)
        seen: dict[tuple[str, str], int] = {}
        unique: list[MembershipSpec] = []
        for m in spec.memberships:
            identity = m.identity()
            if identity in seen:
                where = members_table if m.sheet == MEMBERSHIPS.name else table
                label = (
                    m.period.label() if m.period else (m.county.name if m.county else m.other_name)
                )
                self.error(
                    "participant_duplicate",
                    where,
                    m.row,
                    "deltaker",
                    label,
                    other_row=seen[identity],
                )
                continue
            seen[identity] = m.row
            unique.append(m)
        shares = [m.ownership_share for m in unique if m.ownership_share is not None]
        if shares and sum(shares) > 100:
            first = next(m for m in unique if m.ownership_share is not None)
            where = members_table if first.sheet == MEMBERSHIPS.name else table
            self.error(
                "shares_over_100",
                where,
                first.row,
                "eierandel",
                plain(sum(shares)),
                name=spec.name,
            )
        listed = len(unique)
        municipal = sum(1 for m in unique if m.kind in ("kommune", "fylkeskommune"))
        if listed == 0:
            self.warn("no_participants", table, spec.row, "deltakere")
        complete = spec.participants_completeness in ("", "fullstendig")
        stated = spec.participant_count_stated
        if spec.legal_form in MULTI_MUNICIPAL_FORMS and spec.legal_form in {"iks", "ko"}:
            effective = municipal if complete or stated is None else max(municipal, stated)
            if effective < 2:
                term = LEGAL_FORMS.by_code[spec.legal_form]
                form = (term.nb, term.en)
                self.error(
                    "too_few_municipalities",
                    table,
                    spec.row,
                    "juridisk_form",
                    spec.legal_form,
                    form=form,
                    name=spec.name,
                    count=municipal,
                )
        if stated is not None:
            if stated < listed:
                self.warn(
                    "stated_count_below_listed",
                    table,
                    spec.row,
                    "deltakere_oppgitt_antall",
                    str(stated),
                    stated=stated,
                    listed=listed,
                )
            elif spec.participants_completeness == "fullstendig" and stated != listed:
                self.warn(
                    "stated_count_differs",
                    table,
                    spec.row,
                    "deltakere_oppgitt_antall",
                    str(stated),
                    stated=stated,
                    listed=listed,
                )
        if spec.host is not None and unique:
            entities = {m.period.entity for m in unique if m.period is not None}
            if spec.host.entity not in entities:
                names = ", ".join(m.period.qualified_name() for m in unique if m.period is not None)
                if complete:
                    self.error(
                        "host_not_participant",
                        table,
                        spec.row,
                        "vertskommune",
                        spec.host.label(),
                        participants=names or "ingen kommuner",
                    )
                else:
                    self.warn(
                        "host_not_participant",
                        table,
                        spec.row,
                        "vertskommune",
                        spec.host.label(),
                        participants=names or "ingen kommuner",
                    )
        self._legal_rules(spec, table)
        self._attach(spec, before)

    def _legal_rules(self, spec: ArrangementSpec, table: Table) -> None:
        """Findings from legal-rules.md: warnings only (the registry records reality)."""
        name_key = spec.name.casefold()
        if (
            spec.legal_form == "ipr"
            and "interkommunalt politisk råd" not in name_key
            and not re.search(r"\bi?k?pr\b|ipr", name_key)
        ):
            self.warn(
                "rule_name_form",
                table,
                spec.row,
                "navn",
                spec.name,
                name=spec.name,
                required="interkommunalt politisk råd/IPR",
                form="interkommunalt politisk råd",
            )
        if (
            spec.legal_form == "ko"
            and "oppgavefellesskap" not in name_key
            and not re.search(r"\bko\b", name_key)
            and "oppgåvefellesskap" not in name_key
        ):
            self.warn(
                "rule_name_form",
                table,
                spec.row,
                "navn",
                spec.name,
                name=spec.name,
                required="kommunalt oppgavefellesskap/KO",
                form="kommunalt oppgavefellesskap",
            )
        if spec.legal_form == "iks" and "iks" not in name_key:
            self.warn("rule_iks_name", table, spec.row, "navn", spec.name, name=spec.name)
        if (
            spec.legal_form == "styre-27"
            and spec.status == "telles"
            and self.spec.cutoff_date > TRANSITION_27_DEADLINE
        ):
            self.warn(
                "rule_27_deadline", table, spec.row, "juridisk_form", spec.name, name=spec.name
            )
        if spec.legal_form in HOST_FORMS and spec.host_status == "":
            self.warn("rule_host_missing", table, spec.row, "vertskommune")


class _FakeRow:
    def __init__(self, number: int) -> None:
        self.number = number


def validate(book: RawWorkbook, **options: object) -> CheckResult:
    return Validator(book, **options).run()  # type: ignore[arg-type]
