"""The JSON API at /api/v1 (OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

from ninja import NinjaAPI

from jcm.cycle.api import router as cycle_router
from jcm.mrv.api import router as mrv_router
from jcm.portal.api import router as portal_router
from jcm.reference.api import router as reference_router
from jcm.registry.api import router as registry_router
from jcm.registry.api_journal import router as registry_journal_router
from jcm.site import api_errors

api = NinjaAPI(
    title="JCM Platform API",
    version="1",
    description="Public and authenticated endpoints of the JCM Platform.",
    urls_namespace="api",
)
api_errors.install(api)
api.add_router("/reference", reference_router)
api.add_router("/reference", portal_router)  # countries/{code} and tpes: with the cycle's designations
api.add_router("/registry", registry_router)
api.add_router("/registry", registry_journal_router)
api.add_router("/mrv", mrv_router)
api.add_router("/cycle", cycle_router)
