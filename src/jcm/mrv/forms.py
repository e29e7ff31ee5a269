"""The web boundary of the MRV capability: upload forms, staging of uploaded files for the
services, and engine errors described in the reader's language (pages and API share these)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jcm.mrv.core import (
    InputFormatError,
    MissingParameter,
    MrvError,
    OutOfRange,
    PeriodError,
    UnitError,
    UnknownMethodology,
    list_methodologies,
)


def _title(exc: MrvError) -> str:
    for cls, text in (
        (UnknownMethodology, _("Unknown methodology")),
        (MissingParameter, _("Missing value")),
        (OutOfRange, _("Value out of range")),
        (UnitError, _("Unit error")),
        (PeriodError, _("Monitoring period error")),
        (InputFormatError, _("Malformed input")),
    ):
        if isinstance(exc, cls):
            return text
    return _("Invalid input")


def describe_location(exc: MrvError) -> str:
    loc = exc.location
    parts = []
    if loc.file is not None:
        parts.append(_("file %(name)s") % {"name": loc.file})
    if loc.sheet is not None:
        parts.append(_("sheet %(name)s") % {"name": loc.sheet})
    if loc.cell is not None:
        parts.append(_("cell %(ref)s") % {"ref": loc.cell})
    if loc.row is not None:
        parts.append(_("row %(number)s") % {"number": loc.row})
    if loc.column is not None:
        parts.append(_("column %(name)s") % {"name": loc.column})
    if loc.field is not None:
        parts.append(_("field %(name)s") % {"name": loc.field})
    return ", ".join(parts)


def error_body(exc: MrvError) -> dict[str, Any]:
    """A 422 body: what kind of problem, where (file/row/column, sheet/cell or field) and why.

    ``reason`` is the engine's own (English) explanation; ``title`` and ``where`` are translated.
    """
    where = describe_location(exc)
    title = _title(exc)
    detail = f"{title}: {where}: {exc.reason}" if where else f"{title}: {exc.reason}"
    data = exc.to_dict()
    return {
        "detail": detail,
        "title": title,
        "where": where,
        "error": data["error"],
        "reason": exc.reason,
        "location": data["location"],
        "errors": [{"field": where or "body", "message": exc.reason}],
    }


@contextmanager
def staged_uploads(*groups: Iterable[UploadedFile | None]) -> Iterator[list[list[Path]]]:
    """Write uploaded files to a private temporary folder under their own names (each in its own
    subfolder, so equal names do not collide); yield their paths group by group; delete them after."""
    with tempfile.TemporaryDirectory(prefix="jcm-mrv-") as tmp:
        out: list[list[Path]] = []
        n = 0
        for group in groups:
            paths = []
            for upload in group:
                if upload is None:
                    continue
                name = Path(upload.name or "upload").name or "upload"
                folder = Path(tmp) / str(n)
                folder.mkdir()
                path = folder / name
                with path.open("wb") as f:
                    for chunk in upload.chunks():
                        f.write(chunk)
                paths.append(path)
                n += 1
            out.append(paths)
        yield out


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        cleaned = super().clean(data, initial)
        return [cleaned] if cleaned else []


def _methodology_choices() -> list[tuple[str, str]]:
    return [(m.jcm_id, f"{m.jcm_id} ver {m.version} — {m.title}") for m in list_methodologies()]


class CalculationForm(forms.Form):
    methodology = forms.ChoiceField(label=gettext_lazy("Methodology"), choices=_methodology_choices)
    meter_files = MultipleFileField(
        label=gettext_lazy("Meter files"),
        required=False,
        help_text=gettext_lazy(
            "CSV or Parquet in the long format: device_id, timestamp with UTC offset, parameter, value, unit."
        ),
    )
    parameters_file = forms.FileField(
        label=gettext_lazy("Parameters file"),
        required=False,
        help_text=gettext_lazy("JSON or YAML: project-specific values, calibration findings, meter options."),
    )
    periods = forms.CharField(
        label=gettext_lazy("Monitoring periods"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2024-01-01T00:00+07:00/2025-01-01T00:00+07:00"}),
        help_text=gettext_lazy("One period START/END per line; the end is not included."),
    )
    tz = forms.CharField(
        label=gettext_lazy("UTC offset for dates without time"),
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"placeholder": "+07:00", "size": 8}),
    )
    label = forms.CharField(
        label=gettext_lazy("Label"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Optional, e.g. the project reference."),
    )

    def clean_periods(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["periods"].splitlines()]
        return [line for line in lines if line]


class WorkbookCheckForm(forms.Form):
    workbook = forms.FileField(
        label=gettext_lazy("Monitoring spreadsheet (.xlsx)"),
        help_text=gettext_lazy("A filled workbook written by “jcm mrv template”, saved in a spreadsheet application."),
    )
    label = forms.CharField(label=gettext_lazy("Label"), required=False, max_length=200)
