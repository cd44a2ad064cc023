"""Which mapping a request may read (``registry.view_mapping``: :mod:`samarbeid.registry.rules`).

A draft is answered with 404 for everyone without a role for it, as if it did not exist: the
public pages, the API and the downloads never show that it is there.
"""

from __future__ import annotations

import rules
from django.http import Http404
from django.utils.translation import gettext as _

from samarbeid.registry.models import Mapping


def mapping_or_404(user, mapping_id: int) -> Mapping:
    """The mapping with this id if ``user`` may read it, else :class:`Http404`."""
    mapping = Mapping.objects.filter(pk=mapping_id).first()
    if mapping is None or not rules.has_perm("registry.view_mapping", user, mapping):
        raise Http404(_("Fant ingen kartlegging med nummer %(id)s.") % {"id": mapping_id})
    return mapping
