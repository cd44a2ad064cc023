"""Template tags that put editing onto the public pages: who is signed in, the edit buttons an
editor may use, the change history of an arrangement, and the one-time notice after a save."""

from __future__ import annotations

from django import template
from django.contrib import messages

from samarbeid.registry import history, permissions
from samarbeid.registry.models import ChangeRecord

from .. import display

register = template.Library()

HISTORY_ON_PAGE = 5
#: Columns whose values are codes of a vocabulary: shown with their Norwegian label.
VOCABULARY_COLUMNS = {
    "status": "status",
    "utenfor_grunn": "exclusion_reason",
    "juridisk_form": "legal_form",
    "sektor": "sector",
    "deltakerliste": "completeness",
}


def _user(context: template.Context):
    request = context.get("request")
    return getattr(request, "user", None) if request is not None else None


@register.inclusion_tag("web/edit/_user_bar.html", takes_context=True)
def user_bar(context: template.Context) -> dict:
    request = context.get("request")
    user = _user(context)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "signed_in": signed_in,
        "user": user,
        "roles": permissions.role_labels(user) if signed_in else [],
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
        "login_page": getattr(getattr(request, "resolver_match", None), "url_name", "") == "login",
    }


@register.inclusion_tag("web/edit/_notice.html", takes_context=True)
def edit_notice(context: template.Context) -> dict:
    """The message left by the last save (once). Only signed-in editors get one."""
    request = context.get("request")
    user = _user(context)
    notice = None
    if user is not None and user.is_authenticated and hasattr(request, "_messages"):
        said = list(messages.get_messages(request))
        saved = [m.message for m in said if m.level == messages.SUCCESS]
        if saved:
            notice = {
                "message": saved[-1],
                "warnings": [m.message for m in said if m.level == messages.WARNING],
            }
    return {"notice": notice}


@register.inclusion_tag("web/edit/_arrangement_tools.html", takes_context=True)
def arrangement_tools(context: template.Context, arrangement) -> dict:
    user = _user(context)
    return {
        "arrangement": arrangement,
        "can_edit": permissions.can_edit_arrangement(user, arrangement),
        "can_delete": permissions.can_delete_arrangement(user, arrangement),
        "frozen": arrangement.mapping.frozen,
        "signed_in": bool(user is not None and user.is_authenticated),
    }


@register.inclusion_tag("web/edit/_mapping_tools.html", takes_context=True)
def mapping_tools(context: template.Context, mapping) -> dict:
    user = _user(context)
    return {
        "mapping": mapping,
        "can_create": permissions.can_create_arrangement(user, mapping),
        "can_manage": permissions.can_manage_mapping(user, mapping),
        "has_deleted": ChangeRecord.objects.filter(
            mapping=mapping, action=ChangeRecord.Action.DELETED
        ).exists(),
    }


@register.simple_tag(takes_context=True)
def can_manage_mapping(context: template.Context, mapping) -> bool:
    """Whether the signed-in user may move the mapping through its lifecycle."""
    return permissions.can_manage_mapping(_user(context), mapping)


@register.simple_tag(takes_context=True)
def can_edit_mapping(context: template.Context, mapping) -> bool:
    """Whether the signed-in user may change the whole mapping (upload a file, for instance)."""
    return permissions.can_edit_mapping(_user(context), mapping)


@register.inclusion_tag("web/edit/_history_summary.html", takes_context=True)
def arrangement_history(context: template.Context, arrangement) -> dict:
    """The newest changes, for the arrangement page (the whole history has its own page)."""
    records = list(history.changes_of(arrangement)[: HISTORY_ON_PAGE + 1])
    return {
        "arrangement": arrangement,
        "entries": [(r, history.describe(r.before, r.after)) for r in records[:HISTORY_ON_PAGE]],
        "more": len(records) > HISTORY_ON_PAGE,
        "heading_id": "endringshistorikk",
    }


@register.filter
def shown_value(change: history.FieldChange, which: str) -> str:
    """A changed value as a reader reads it: vocabulary labels, "(tom)" for nothing."""
    value = getattr(change, which)
    if not value:
        return "(tom)"
    vocabulary = VOCABULARY_COLUMNS.get(change.column)
    return display.vocab_label(value, vocabulary) if vocabulary else value


@register.filter
def field_label(column: str) -> str:
    return history.LABELS.get(column, column)
