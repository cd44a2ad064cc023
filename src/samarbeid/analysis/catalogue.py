"""Every analysis of a mapping, in the order of the report, with the table ids tools rely on.

Stable ids (documented in the README): totalt, geografisk_niva, per_kommune, storrelsesklasse,
per_region, etablering_periode, etablering_ar, nye_siden, arsverk, fylkesgrense, oppgaveomrader,
vertskommuner, vertskommune_konsentrasjon, juridisk_form, juridisk_form_gruppe, tjenestestruktur, regioner, sektor,
nettverk, nettverk_fellesskap, nettverk_naboandeler, datakvalitet_mangler,
datakvalitet_deltakertall, datakvalitet_duplikater.
"""

from __future__ import annotations

from . import content, extent, hosts, network, quality, regions
from .model import MappingData, Table


def method_tables(data: MappingData, *, new_since: int = 2015) -> list[Table]:
    """Analyses 1–12 of nivi-method.md section 4, the network and the data-quality tables."""
    return [
        extent.total(data),
        extent.geographic_level(data),
        extent.per_municipality(data),
        extent.size_classes(data),
        extent.per_region(data),
        extent.establishment_periods(data),
        extent.establishment_years(data),
        extent.new_since(data, new_since),
        extent.staff_years(data),
        extent.cross_county(data),
        content.task_areas(data),
        hosts.host_distribution(data),
        hosts.host_concentration(data),
        content.legal_forms(data),
        content.legal_form_groups(data),
        content.service_structure(data),
        regions.regional_portraits(data),
        content.sectors(data),
        *network.network_tables(data),
        *quality.quality_tables(data),
    ]
