"""The mapping's lifecycle page: its status, the steps the user may take, and the history.

Rules in :mod:`samarbeid.registry.lifecycle`; this module only shows and asks.
"""

from __future__ import annotations

import rules
from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samarbeid.registry import lifecycle
from samarbeid.registry.formfields import CleanTextField
from samarbeid.registry.models import Mapping

from . import access
from .edit.shared import _forbidden, notify
from .views import _crumbs

STEP_HINTS = {
    Mapping.Status.DRAFT: gettext_lazy(
        "Bare innloggede med en rolle for kartleggingen ser den; offentlige sider svarer «finnes ikke»."
    ),
    Mapping.Status.VERIFICATION: gettext_lazy(
        "Offentlig. Kommunene kontrollerer listene sine i kontrollrunder; kartleggerne kan endre."
    ),
    Mapping.Status.FROZEN: gettext_lazy(
        "Offentlig og skrivebeskyttet for alle. Bare en administrator kan åpne den igjen."
    ),
}


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Ny status"), widget=forms.RadioSelect)
    kilde = CleanTextField(
        label=gettext_lazy("Begrunnelse eller kilde"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For eksempel «Kontrollrunde 2 er avsluttet» eller et saksnummer."),
        error_messages={"required": gettext_lazy("Skriv hvorfor statusen endres.")},
    )

    def __init__(self, *args, steps: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (s, f"{lifecycle.label(s)} – {STEP_HINTS[s]}") for s in steps
        ]
        self.fields["status"].error_messages["required"] = _("Velg den nye statusen.")


@require_http_methods(["GET", "POST"])
def mapping_status(request: HttpRequest, mapping_id: int) -> HttpResponse:
    mapping = access.mapping_or_404(request.user, mapping_id)
    if not rules.has_perm("registry.change_mapping_status", request.user, mapping):
        message = _(
            "Bare kartleggerne for «%(name)s» og administratorer kan endre statusen til "
            "kartleggingen."
        ) % {"name": mapping.name}
        return _forbidden(request, message, mapping)
    steps = lifecycle.allowed_steps(request.user, mapping)
    form = StatusForm(request.POST or None, steps=steps)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lifecycle.set_status(
                    mapping,
                    form.cleaned_data["status"],
                    user=request.user,
                    source=form.cleaned_data["kilde"],
                )
            except lifecycle.LifecycleError as error:
                form.add_error(None, str(error))
            else:
                notify(
                    request,
                    _("«%(name)s» har nå status «%(status)s».")
                    % {"name": mapping.name, "status": mapping.get_status_display()},
                )
                return redirect("web:mapping", mapping.pk)
        status = 400
    return render(
        request,
        "web/edit/mapping_status.html",
        {
            "mapping": mapping,
            "form": form,
            "steps": steps,
            "hint": STEP_HINTS[mapping.status],
            "changes": mapping.status_changes.all(),
            "crumbs": _crumbs(mapping, ("", _("Status"))),
        },
        status=status,
    )
