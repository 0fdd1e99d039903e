"""Spaced-repetition reviews in the browser: due cards one by one, reveal, rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from interview_bank.exceptions import InvalidRequest
from reviews import selectors, services
from reviews.models import Rating
from web.forms import ReviewRatingForm

FORECAST_DAYS = 7


@login_required
def review_next(request):
    """The most overdue card's prompt, or when the next one falls due."""
    now = timezone.now()
    due = selectors.cards_due(user=request.user, now=now)
    card = due.first()
    context = {"card": card, "due_count": due.count()}
    if card is None:
        context["forecast"] = selectors.review_forecast(user=request.user, now=now, days=FORECAST_DAYS)
        context["next_card"] = selectors.card_next_due(user=request.user)
    else:
        services.cards_mark_presented(cards=[card], now=now)  # the review's duration starts now
    return render(request, "web/reviews/next.html", context)


@login_required
def review_card(request, question_id):
    """The revealed card (GET) and its rating (POST). Cards exist only for questions
    the user answered in a session, whose answers they have seen already."""
    card = get_object_or_404(
        selectors.cards_reviewable(user=request.user).select_related("question__category"), question_id=question_id
    )
    form = ReviewRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rated = services.review_submit(
                user=request.user, question_id=question_id, rating=form.cleaned_data["rating"], now=timezone.now()
            )
        except InvalidRequest as exc:
            messages.error(request, exc.message)
        else:
            rating = form.cleaned_data["rating"]
            messages.success(request, f"Rated {rating}: next due {rated.due:%a %-d %b %Y %H:%M} UTC.")
            return redirect("web:reviews")
    return render(request, "web/reviews/card.html", {"card": card, "form": form, "ratings": Rating.choices})
