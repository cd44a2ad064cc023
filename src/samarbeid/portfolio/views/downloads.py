"""The plan as a file: JSON and Markdown (the command's stable outputs), and the document a
council files (HTML, PDF, Word) when its writers are there."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from samarbeid.reports.fmt import slug

from ..cli import as_json
from ..plan_data import plan_data
from ..render_md import plan_markdown
from .common import body_or_404, plan_or_404

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _render(data: dict, fmt: str) -> bytes:
    if fmt == "json":
        return as_json(data).encode("utf-8")
    if fmt == "md":
        return plan_markdown(data).encode("utf-8")
    from .. import render_doc

    if fmt == "html":
        return render_doc.plan_html(data).encode("utf-8")
    if fmt == "pdf":
        return render_doc.plan_pdf(data)
    return render_doc.plan_docx(data)


@require_GET
def plan_file(request: HttpRequest, body_id: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in CONTENT_TYPES:
        raise Http404(fmt)
    body = body_or_404(body_id)
    plan = plan_or_404(request, body, year)
    content = _render(plan_data(plan), fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = f"handlingsplan-{slug(body.short_name or body.name)}-{plan.year}.{fmt}"
    # A download, also the HTML: the document's own stylesheet is inline, which the site's
    # Content-Security-Policy (style-src 'self') would block in the browser.
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
