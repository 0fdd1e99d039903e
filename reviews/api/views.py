"""Spaced-repetition endpoints: due cards, reviews, forecast, reminder preferences."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from interview_bank.clock import RequestClockMixin
from reviews import selectors, services
from reviews.api.serializers import (
    ForecastQuerySerializer,
    ForecastSerializer,
    ReminderPreferenceSerializer,
    ReviewCardSerializer,
    ReviewInputSerializer,
    ReviewResultSerializer,
)
from reviews.models import ReviewCard


class DueCardsView(RequestClockMixin, generics.ListAPIView):
    """Your cards due now, most overdue first (prompts only)."""

    serializer_class = ReviewCardSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ReviewCard.objects.none()
        return selectors.cards_due(user=self.request.user, now=self.now)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        services.cards_mark_presented(cards=self._shown, now=self.now)
        return response

    def paginate_queryset(self, queryset):
        self._shown = super().paginate_queryset(queryset)
        return self._shown


class ReviewView(RequestClockMixin, APIView):
    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewResultSerializer})
    def post(self, request):
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = services.review_submit(user=request.user, now=self.now, **data.validated_data)
        card = ReviewCard.objects.select_related("question__category").get(pk=card.pk)
        return Response(ReviewResultSerializer(card).data, status=status.HTTP_201_CREATED)


class ForecastView(RequestClockMixin, APIView):
    @extend_schema(parameters=[ForecastQuerySerializer], responses={200: ForecastSerializer})
    def get(self, request):
        query = ForecastQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        days = selectors.review_forecast(user=request.user, now=self.now, days=query.validated_data["days"])
        return Response(ForecastSerializer({"days": days}).data)


class ReminderPreferenceView(APIView):
    @extend_schema(responses={200: ReminderPreferenceSerializer})
    def get(self, request):
        return Response(ReminderPreferenceSerializer(selectors.reminder_preference(user=request.user)).data)

    @extend_schema(request=ReminderPreferenceSerializer, responses={200: ReminderPreferenceSerializer})
    def patch(self, request):
        current = selectors.reminder_preference(user=request.user)
        data = ReminderPreferenceSerializer(current, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        preference = services.reminder_preference_update(user=request.user, **data.validated_data)
        return Response(ReminderPreferenceSerializer(preference).data)
