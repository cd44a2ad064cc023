"""The registry's data model, by concern: places and reference data (:mod:`.places`), mappings,
arrangements and participants (:mod:`.mappings`), roles and the change history (:mod:`.editing`).
"""

from .editing import (
    ChangeRecord as ChangeRecord,
)
from .editing import (
    LoginFailure as LoginFailure,
)
from .editing import (
    RoleAssignment as RoleAssignment,
)
from .mappings import COUNTED as COUNTED
from .mappings import (
    Arrangement as Arrangement,
)
from .mappings import (
    Mapping as Mapping,
)
from .mappings import (
    MappingMunicipality as MappingMunicipality,
)
from .mappings import (
    MappingStatusChange as MappingStatusChange,
)
from .mappings import (
    Membership as Membership,
)
from .mappings import (
    Region as Region,
)
from .mappings import (
    RegionMembership as RegionMembership,
)
from .places import (
    County as County,
)
from .places import (
    Municipality as Municipality,
)
from .places import (
    MunicipalityChange as MunicipalityChange,
)
from .places import (
    MunicipalityPeriod as MunicipalityPeriod,
)
from .places import (
    Population as Population,
)
from .places import (
    ReferenceDataVersion as ReferenceDataVersion,
)
from .places import (
    TaskArea as TaskArea,
)
from .places import (
    ordered as ordered,
)
