"""Pure-Python JCM reference data: value types, loader and validator (no Django)."""

from .errors import ReferenceDataError
from .parse import default_data_dir, load_dataset
from .records import (
    CONFIDENCE_TAGS,
    CONFIRMED_TAGS,
    EMISSION_FACTOR_KINDS,
    GENERATIONS,
    JAPAN_CODE,
    METHODOLOGY_STATUSES,
    TPE_FUNCTIONS,
    TPE_STATUSES,
    Country,
    CountryPair,
    GridEmissionFactor,
    Methodology,
    ReferenceDataset,
    SectoralScope,
    Tpe,
    TpeDesignation,
)
from .table import FILE_ORDER

__all__ = [
    "CONFIDENCE_TAGS",
    "CONFIRMED_TAGS",
    "EMISSION_FACTOR_KINDS",
    "FILE_ORDER",
    "GENERATIONS",
    "JAPAN_CODE",
    "METHODOLOGY_STATUSES",
    "TPE_FUNCTIONS",
    "TPE_STATUSES",
    "Country",
    "CountryPair",
    "GridEmissionFactor",
    "Methodology",
    "ReferenceDataError",
    "ReferenceDataset",
    "SectoralScope",
    "Tpe",
    "TpeDesignation",
    "default_data_dir",
    "load_dataset",
]
