"""Checks across the fields and participants of one arrangement, and the legal rules of its form
(kommuneloven, IKS-loven, aksjeloven; see ../shared/domain/legal-rules.md)."""

from __future__ import annotations

import re

from samarbeid.core.i18n import Text
from samarbeid.reference.vocab import (
    HOST_FORMS,
    LEGAL_FORMS,
    MULTI_MUNICIPAL_FORMS,
)

from .boundary import plain
from .checking import TRANSITION_27_DEADLINE, CheckContext
from .schema import (
    MEMBERSHIPS,
)
from .spec import ArrangementSpec, MembershipSpec
from .tables import Table


class CrossChecks(CheckContext):
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
                self.error(
                    "too_few_municipalities",
                    table,
                    spec.row,
                    "juridisk_form",
                    spec.legal_form,
                    form=Text(term.nb),
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
