"""A synthetic Europe-scale mapping as analysis input (no database): 35 000 municipalities,
15 000 arrangements, ~400 000 memberships. Deterministic for a seed.

Municipalities sit on a ring in 700 regions of 50 and 35 counties of 1 000; an arrangement takes
participants around a random centre, so most cooperation is local, as in real mappings. Sizes are
skewed (many 2-8, some 9-60, 150 with 100-600 members).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from samarbeid.analysis.model import (
    ARRANGEMENT_COLUMNS,
    MEMBERSHIP_COLUMNS,
    MUNICIPALITY_COLUMNS,
    TASK_AREA_COLUMNS,
    MappingData,
    size_class,
)
from samarbeid.reference.files import task_areas

FORMS = ["vertskommune", "avtale", "iks", "as", "ko", "ipr", "", ""]
SECTORS = ["administrasjon", "helse", "sosial", "undervisning", "kultur", "teknisk", "naering", ""]
WORDS = [
    "legevakt",
    "barnevern",
    "brann",
    "renovasjon",
    "IKT",
    "innkjøp",
    "revisjon",
    "PPT",
    "NAV",
    "landbruk",
    "kulturskole",
    "vannverk",
    "krisesenter",
    "lønn",
    "arkiv",
    "plan",
    "byggesak",
]


def make_europe(
    n_municipalities: int = 35_000,
    n_arrangements: int = 15_000,
    target_memberships: int = 400_000,
    seed: int = 1,
) -> MappingData:
    rng = np.random.default_rng(seed)
    index = np.arange(n_municipalities)
    entities = np.array([f"E{i:05d}" for i in index])
    population = rng.integers(300, 120_000, n_municipalities)
    county = index // 1000
    municipalities = pd.DataFrame(
        {
            "entity": entities,
            "number": [f"{i:05d}" for i in index],
            "name": [f"Kommune {i}" for i in index],
            "label": [f"Kommune {i} ({i:05d})" for i in index],
            "population": pd.array(population, dtype="Int64"),
            "county_number": [f"{c:02d}" for c in county],
            "county_name": [f"Fylke {c}" for c in county],
            "region": [f"Region {i // 50}" for i in index],
            "size_class": [size_class(int(p)) for p in population],
        },
        columns=MUNICIPALITY_COLUMNS,
    )

    sizes = np.clip(rng.lognormal(1.6, 0.8, n_arrangements).astype(int), 2, 60)
    big = rng.choice(n_arrangements, 150, replace=False)
    sizes[big] = rng.integers(100, 600, 150)
    small = np.ones(n_arrangements, dtype=bool)
    small[big] = False
    factor = (target_memberships * 1.13 - sizes[~small].sum()) / sizes[small].sum()
    sizes[small] = np.clip((sizes[small] * factor).round().astype(int), 2, None)
    refs = np.array([f"A{i:05d}" for i in range(n_arrangements)])
    member_ref, member_index = [], []
    for i, k in enumerate(sizes):
        centre = rng.integers(0, n_municipalities)
        spread = max(int(k) * 2, 10)
        chosen = np.unique((centre + rng.integers(-spread, spread, int(k))) % n_municipalities)
        member_ref.append(np.repeat(refs[i], len(chosen)))
        member_index.append(chosen)
    m_ref = np.concatenate(member_ref)
    m_index = np.concatenate(member_index)
    memberships = pd.DataFrame(
        {
            "ref": m_ref,
            "kind": "kommune",
            "entity": entities[m_index],
            "number": municipalities["number"].to_numpy()[m_index],
            "name": municipalities["name"].to_numpy()[m_index],
            "county_number": municipalities["county_number"].to_numpy()[m_index],
            "county_name": municipalities["county_name"].to_numpy()[m_index],
            "in_scope": True,
            "role": "deltaker",
            "share": np.nan,
        },
        columns=MEMBERSHIP_COLUMNS,
    )

    first_member = pd.Series(m_index).groupby(m_ref).first()
    has_host = rng.random(n_arrangements) < 0.5
    years = rng.integers(1960, 2024, n_arrangements)
    known_year = rng.random(n_arrangements) < 0.6
    host_index = first_member.reindex(refs).to_numpy()
    arrangements = pd.DataFrame(
        {
            "ref": refs,
            "name": [f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}" for i in range(n_arrangements)],
            "abbreviation": "",
            "status": "telles",
            "counted": True,
            "legal_form": rng.choice(FORMS, n_arrangements),
            "sector": rng.choice(SECTORS, n_arrangements),
            "established_from": pd.array(np.where(known_year, years, 0), dtype="Int64"),
            "established_unspecified": False,
            "ended": "",
            "host_status": np.where(has_host, "kommune", ""),
            "host_entity": np.where(has_host, entities[host_index], ""),
            "host_number": np.where(has_host, municipalities["number"].to_numpy()[host_index], ""),
            "host_name": np.where(has_host, municipalities["name"].to_numpy()[host_index], ""),
            "arsverk": np.where(
                rng.random(n_arrangements) < 0.3, rng.random(n_arrangements) * 20, np.nan
            ),
            "participant_count_stated": pd.array([None] * n_arrangements, dtype="Int64"),
            "completeness": "fullstendig",
            "task_areas": [
                tuple(sorted(set(rng.integers(1, 46, rng.integers(0, 3)).tolist())))
                for _ in range(n_arrangements)
            ],
            "org_number": "",
            "name_variants": [()] * n_arrangements,
            "status_note": "",
            "exclusion_reason": "",
        }
    )
    arrangements.loc[~known_year, "established_from"] = pd.NA
    arrangements["established_to"] = arrangements["established_from"]
    arrangements = arrangements[ARRANGEMENT_COLUMNS]
    areas = pd.DataFrame(
        [
            [t.nr, t.name, float(t.reference_pct) if t.reference_pct is not None else float("nan")]
            for t in task_areas()
        ],
        columns=TASK_AREA_COLUMNS,
    )
    cutoff = dt.date(2025, 1, 1)
    return MappingData(
        "Europa (syntetisk)",
        "Europa (syntetisk)",
        cutoff,
        cutoff,
        municipalities,
        arrangements,
        memberships,
        areas,
    )
