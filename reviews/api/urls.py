from django.urls import path

from reviews.api.views import DueCardsView, ForecastView, ReminderPreferenceView, ReviewView

urlpatterns = [
    path("reviews/due/", DueCardsView.as_view(), name="reviews-due"),
    path("reviews/", ReviewView.as_view(), name="reviews"),
    path("reviews/forecast/", ForecastView.as_view(), name="reviews-forecast"),
    path("me/reminders/", ReminderPreferenceView.as_view(), name="me-reminders"),
]
