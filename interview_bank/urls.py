from csp.decorators import csp_update
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from interview_bank.health import healthz, readyz

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("questions.api.urls")),
    path("", include("interviews.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("hiring.api.urls")),
]

# Swagger UI under the site's CSP: the split view serves its start-up script as
# a file (no inline script), but the UI sets inline styles and draws data: icons.
swagger_ui = csp_update({"style-src": ["'unsafe-inline'"], "img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(url_name="schema")
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", swagger_ui, name="swagger-ui"),
    # Browsers ask for /favicon.ico whatever the page says; send them to the SVG.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True), name="favicon"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Log in, log out, password change and reset: Django's own views and URL names.
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("web.urls")),
]

handler400 = "interview_bank.errors.bad_request"
handler404 = "interview_bank.errors.not_found"
handler500 = "interview_bank.errors.server_error"
