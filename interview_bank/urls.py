from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from interview_bank.health import healthz, readyz

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("questions.api.urls")),
    path("", include("interviews.api.urls")),
    path("", include("reviews.api.urls")),
    path("", include("hiring.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Log in, log out, password change and reset: Django's own views and URL names.
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("web.urls")),
]

handler400 = "interview_bank.errors.bad_request"
handler404 = "interview_bank.errors.not_found"
handler500 = "interview_bank.errors.server_error"
