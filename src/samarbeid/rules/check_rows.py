"""The rows of Ordninger and Deltakere: every field of an arrangement (vocabularies, numbers,
years, dates) and its participants."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from samarbeid.core.i18n import Text, gettext_noop
from samarbeid.reference.gazetteer import mod11_ok
from samarbeid.reference.vocab import (
    COMPLETENESS,
    ESTABLISHED_UNSPECIFIED,
    EXCLUSION_REASONS,
    LEGAL_FORMS,
    ROLES,
    SECTORS,
    STATUSES,
    Vocabulary,
    alias_key,
)

from .boundary import check_length, check_number, parse_count
from .checking import CheckContext
from .checking import Row as _Row
from .findings import ERROR
from .schema import (
    ARRANGEMENTS,
    MEMBERSHIPS,
    MIN_YEAR,
)
from .spec import ArrangementSpec
from .tables import Table
from .values import parse_date, parse_year_or_date, split_list


class RowChecks(CheckContext):
    # -- arrangements --------------------------------------------------------------------------
    def _vocab(self, vocab: Vocabulary, text: str, table: Table, number: int, column: str) -> str:
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
                number,
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
        expected: str | Text,
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
                    expected=Text(gettext_noop("en unik id for ordningen")),
                )
            elif ref in by_ref:
                self.error("id_duplicate", table, row.number, "id", ref, other_row=by_ref[ref].row)
            if not name:
                self.error(
                    "value_required",
                    table,
                    row.number,
                    "navn",
                    expected=Text(gettext_noop("ordningens navn")),
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
        spec.status = self._vocab(STATUSES, g("status"), table, row.number, "status") or "telles"
        spec.exclusion_reason = self._vocab(
            EXCLUSION_REASONS, g("utenfor_grunn"), table, row.number, "utenfor_grunn"
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
        spec.legal_form = self._vocab(
            LEGAL_FORMS, g("juridisk_form"), table, row.number, "juridisk_form"
        )
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
        spec.sector = self._vocab(SECTORS, g("sektor"), table, row.number, "sektor")
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
            Text(gettext_noop("antall årsverk, et tall ≥ 0")),
        )
        spec.arsverk_source = g("arsverk_kilde")
        spec.budget = self._decimal(
            g("budsjett"), table, row, "budsjett", Text(gettext_noop("kroner, et tall ≥ 0"))
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
                    expected=Text(gettext_noop("et helt tall ≥ 0 (høyst 2 147 483 647)")),
                )
        spec.participants_completeness = self._vocab(
            COMPLETENESS, g("deltakerliste"), table, row.number, "deltakerliste"
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
                    self._vocab(ROLES, row.get("rolle"), table, row.number, "rolle") or "deltaker"
                )
                membership.ownership_share = self._decimal(
                    row.get("eierandel"),
                    table,
                    row,
                    "eierandel",
                    Text(gettext_noop("prosent 0–100")),
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
