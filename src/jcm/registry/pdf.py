"""The retirement certificate as a PDF (WeasyPrint; Noto Sans CJK JP so that Japanese prints)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string

from jcm.registry.web_queries import Certificate


def certificate_pdf(cert: Certificate, *, context: dict[str, Any], request: Any = None, base_url: str = "/") -> bytes:
    from weasyprint import HTML  # imported here: slow to import, only the PDF needs it

    html = render_to_string("registry/certificate_pdf.html", {"c": cert, **context}, request=request)
    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf()
    return pdf
