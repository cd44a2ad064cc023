"""Extent, analyses 1 and 2: the number of counted arrangements, and their geographic level
(local, regional or higher, by the number of participating municipalities)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..cache import counted as _counted
from ..frames import _ids, _ids_by, _municipal_members, _pct
from ..model import MappingData, Table

LOCAL, REGIONAL, HIGHER = (
    "Lokalt (2–3 kommuner)",
    "Regionalt (4–8 kommuner)",
    "Høyere nivå (9 eller flere)",
)
PARTIAL = ("delvis", "gruppe")


def total(data: MappingData) -> Table:
    """Analysis 1: the number of counted arrangements."""
    counted = _counted(data)
    statuses = data.arrangements["status"].value_counts()
    ended, excluded = int(statuses.get("avsluttet", 0)), int(statuses.get("utenfor", 0))
    return Table(
        id="totalt",
        title="Antall samarbeidsordninger",
        n=len(counted),
        columns=["ordninger"],
        rows=[[len(counted)]],
        ids=[_ids(counted["ref"])],
        caption=(
            f"Tellende formelle samarbeidsordninger i kartleggingen (n = {len(counted)}). "
            "Avsluttede ordninger og ordninger utenfor definisjonen telles ikke."
        ),
        note=f"Registrert, men ikke telt: {ended} avsluttet, {excluded} utenfor definisjonen.",
    )


# ---------------------------------------------------------------------------------------------
# 2. Geographic level


def _municipal_counts(data: MappingData) -> pd.DataFrame:
    """Per counted arrangement: listed municipal participants, and the count used for its size
    (the stated count where the list is partial or a group and the stated count is larger)."""
    counted = _counted(data)[["ref", "participant_count_stated", "completeness"]].copy()
    counted["ref"] = counted["ref"].astype(str)
    listed = _municipal_members(data).groupby("ref").size()
    counted["listed"] = counted["ref"].map(listed).fillna(0).astype(int)
    stated = pd.to_numeric(counted["participant_count_stated"], errors="coerce")
    use_stated = (
        counted["completeness"].isin(PARTIAL) & stated.notna() & (stated > counted["listed"])
    )
    counted["used_stated"] = use_stated.fillna(False).astype(bool)
    counted["municipalities"] = np.where(
        counted["used_stated"], stated.fillna(0), counted["listed"]
    )
    counted["municipalities"] = counted["municipalities"].astype(int)
    return counted


def geographic_level(data: MappingData) -> Table:
    """Analysis 2: local (2–3), regional (4–8) or higher level (9+) by the number of
    participating municipalities, inside or outside the mapped area."""
    sizes = _municipal_counts(data)
    count = sizes["municipalities"]
    level = pd.Series(
        np.select([count >= 9, count >= 4, count >= 2], [HIGHER, REGIONAL, LOCAL], ""),
        index=sizes.index,
    )
    sizes["level"] = level
    known = sizes[sizes["level"] != ""]
    by_level = _ids_by(known, "level")
    n = len(known)
    rows, ids = [], []
    for name in (LOCAL, REGIONAL, HIGHER):
        refs = by_level.get(name, [])
        rows.append([name, len(refs), _pct(len(refs), n)])
        ids.append(refs)
    stated = sizes[sizes["used_stated"] & (sizes["level"] != "")]
    note = "Alle deltakende kommuner telles, også kommuner utenfor det kartlagte området."
    if len(stated):
        note += (
            f" For {len(stated)} ordninger med delvis deltakerliste eller gruppe er oppgitt antall "
            f"deltakere brukt fordi det er større enn antall kommuner i listen ({', '.join(_ids(stated['ref']))})."
        )
    return Table(
        id="geografisk_niva",
        title="Geografisk nivå",
        n=n,
        columns=["niva", "ordninger", "prosent"],
        rows=rows,
        ids=ids,
        missing=_ids(sizes.loc[sizes["level"] == "", "ref"]),
        missing_reason="Færre enn to kommuner som deltakere (antall kommuner ikke kjent eller under 2).",
        caption=(
            "Ordninger etter geografisk nivå: lokalt 2–3, regionalt 4–8 og høyere nivå 9 eller "
            f"flere deltakende kommuner. Prosent av ordningene med kjent nivå (n = {n})."
        ),
        note=note,
    )
