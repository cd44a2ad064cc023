"""Building a model and changing it in the web form (the secretariat of its body, or an
administrator), through :func:`samarbeid.finance.services.save_model`: a refusal shows the form
again with each problem at its field and everything typed kept, nothing saved; a stale save (the
model changed since the form was opened) shows who changed it, keeps the input and takes the new
version, so saving again is a deliberate choice; a save goes to the model's page with a notice."""

from __future__ import annotations

from typing import Any

import rules
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from samarbeid.portfolio.models import BodyRole, CooperationBody
from samarbeid.registry import permissions
from samarbeid.web.auth import login_required

from .. import services
from ..form_values import initial_of, rows_in
from ..forms import EXEMPTION_ROWS, PART_ROWS, FeeModelForm
from ..models import FeeModel
from ..services import RESERVED_SLUGS
from .common import crumbs, forbidden, language, model_crumb
from .pages import model_or_404

NOT_ALLOWED_NEW = gettext_lazy(
    "Bare sekretariatet til et samarbeidsorgan eller en administrator kan lage kostnadsmodeller."
)


def _bodies(user) -> list[CooperationBody]:
    """The bodies ``user`` may make a model for: all for an administrator, else those the user
    is the secretariat of."""
    if permissions.is_admin(user):
        return list(CooperationBody.objects.order_by("name"))
    ids = BodyRole.objects.filter(user=user).values_list("body_id", flat=True)
    return list(CooperationBody.objects.filter(pk__in=ids).order_by("name"))


def _page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    form = context["form"]
    context.setdefault("has_errors", bool(form.is_bound and form.has_errors()))
    return render(request, "finance/form.html", context, status=status)


def _reserved(form: FeeModelForm) -> bool:
    """A short name that is one of the pages' own addresses."""
    slug = slugify(form.cleaned_data.get("slug") or form.cleaned_data.get("navn") or "")
    if slug in RESERVED_SLUGS:
        form.add_error(
            "slug",
            _("«%(slug)s» er en av sidenes egne adresser; velg et annet kort navn.")
            % {"slug": slug},
        )
        return True
    return False


@login_required
@require_http_methods(["GET", "POST"])
def create_model(request: HttpRequest) -> HttpResponse:
    if not rules.has_perm("finance.add_model", request.user):
        return forbidden(request, str(NOT_ALLOWED_NEW))
    bodies = _bodies(request.user)
    kwargs = {"creating": True, "bodies": bodies, "admin": permissions.is_admin(request.user)}
    if request.method == "POST":
        form = FeeModelForm(
            request.POST,
            part_rows=rows_in(request.POST, "del", PART_ROWS),
            exemption_rows=rows_in(request.POST, "fritak", EXEMPTION_ROWS),
            **kwargs,
        )
    else:
        initial = {"indeksering_belop": True, "organ": request.GET.get("organ", "")}
        form = FeeModelForm(initial=initial, **kwargs)
    title = _("Ny kostnadsmodell")
    context = {
        "form": form,
        "title": title,
        "submit": _("Lagre modellen"),
        "cancel": reverse("finance:models"),
        "crumbs": crumbs(("", title)),
    }
    if request.method == "GET" or not form.is_valid() or _reserved(form):
        return _page(request, context)
    body = next((b for b in bodies if str(b.pk) == form.cleaned_data.get("organ")), None)
    try:
        model = services.save_model(
            request.user,
            form.spec_data(),
            form.cleaned_data.get("endringskilde") or "",
            slug=form.cleaned_data.get("slug") or "",
            body=body,
            assumed_members=form.numbers,
            assumption=form.cleaned_data.get("antakelse") or "",
        )
    except services.EditForbidden as refused:
        return forbidden(request, refused.message)
    except services.EditRejected as rejected:
        form.attach(rejected.problems, language())
        return _page(request, context)
    messages.success(
        request,
        _("Kostnadsmodellen «%(name)s» er lagret (versjon %(version)s).")
        % {"name": model.name, "version": model.version},
    )
    return redirect("finance:model", model.slug)


@login_required
@require_http_methods(["GET", "POST"])
def edit_model(request: HttpRequest, slug: str) -> HttpResponse:
    model = model_or_404(slug)
    if not rules.has_perm("finance.change_model", request.user, model):
        message = _(
            "Bare sekretariatet til %(body)s eller en administrator kan endre modellen."
        ) % {"body": model.body.name if model.body else _("organet")}
        return forbidden(request, message, model)
    initial, part_rows, exemption_rows = initial_of(model)
    if request.method == "POST":
        part_rows = rows_in(request.POST, "del", part_rows)
        exemption_rows = rows_in(request.POST, "fritak", exemption_rows)
        form = FeeModelForm(
            request.POST, creating=False, part_rows=part_rows, exemption_rows=exemption_rows
        )
    else:
        form = FeeModelForm(
            initial=initial, creating=False, part_rows=part_rows, exemption_rows=exemption_rows
        )
    title = _("Endre %(name)s") % {"name": model.name}
    context = {
        "form": form,
        "model": model,
        "title": title,
        "lead": _("Versjon %(version)s, %(body)s.")
        % {"version": model.version, "body": model.body.name if model.body else _("uten organ")},
        "submit": _("Lagre endringene"),
        "cancel": reverse("finance:model", args=[model.slug]),
        "crumbs": crumbs(model_crumb(model), ("", _("Endre"))),
    }
    if request.method == "GET" or not form.is_valid():
        return _page(request, context)
    try:
        saved = services.save_model(
            request.user,
            form.spec_data(model.spec),
            form.cleaned_data.get("endringskilde") or "",
            model=model,
            expected_version=form.cleaned_data.get("versjon") or 0,
            assumed_members=form.numbers,
            assumption=form.cleaned_data.get("antakelse") or "",
        )
    except services.EditForbidden as refused:
        return forbidden(request, refused.message, model)
    except services.EditRejected as rejected:
        form.attach(rejected.problems, language())
        return _page(request, context)
    except services.ModelConflict as clash:
        started = form.cleaned_data.get("versjon") or 0
        return _conflict(request, context, clash, started, part_rows, exemption_rows)
    messages.success(
        request,
        _("«%(name)s» er lagret (versjon %(version)s).")
        % {"name": saved.name, "version": saved.version},
    )
    return redirect("finance:model", saved.slug)


def _conflict(request, context, clash, started: int, part_rows: int, exemption_rows: int):
    """The form again with what the editor typed and the version saved now; the versions saved
    since ``started`` (the one the editor opened) are listed."""
    current = FeeModel.objects.get(pk=clash.model.pk)
    data = request.POST.copy()
    data["versjon"] = str(current.version)
    form = FeeModelForm(data, creating=False, part_rows=part_rows, exemption_rows=exemption_rows)
    form.is_valid()
    context |= {
        "form": form,
        "conflict": clash,
        "latest": clash.latest,
        "their_versions": list(current.versions.filter(number__gt=started).order_by("-number")[:5]),
        "has_errors": False,
    }
    return _page(request, context, status=409)
