"""The JSON API (django-ninja): resources under /api/v1/, the OpenAPI document at
/api/openapi.json and its Swagger UI page at /api/docs (the bundled files, no CDN).

Authentication in `auth` (token or session), every failure as JSON in `errors`, one module
per resource group; every access decision is cchc_web.access's and every number
cchc_web.reporting's, so the API shows what the pages show to the same user. docs/api.md
describes it for the people who write scripts against it.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from cchc_web.api import aggregates, auth, catalog, downloads, errors, submissions, units

VERSION = "v1"


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Vietnamese as written, in UTF-8


api = NinjaAPI(
    title="API hệ thống báo cáo CCHC",
    version="1",
    description="Đọc dữ liệu báo cáo cải cách hành chính: đơn vị, kỳ báo cáo, biểu mẫu, báo "
                "cáo, số liệu tổng hợp, tình hình gửi báo cáo, văn bản. Xác thực bằng khóa "
                "truy cập API (Authorization: Bearer …) hoặc phiên đăng nhập. Mã lỗi: "
                "docs/api.md.",
    auth=auth.AUTH,
    renderer=Renderer(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # the validator badge would fetch validator.swagger.io: the page stays offline
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
)
errors.install(api)
for module in (units, catalog, submissions, aggregates, downloads):
    api.add_router(f"/{VERSION}/", module.router)
