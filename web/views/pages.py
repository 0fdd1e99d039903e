"""The front page: a welcome for visitors, the dashboard for candidates."""

from django.shortcuts import render
from django.utils import timezone

from interviews import selectors as interview_selectors
from interviews import services as interview_services
from reviews import selectors as review_selectors
from web.charts import score_chart

RECENT_SESSIONS = 5


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/home.html")
    now = timezone.now()
    interview_services.sessions_expire_overdue(candidate=request.user, now=now)
    recent = list(interview_selectors.session_list(candidate=request.user)[:RECENT_SESSIONS])
    history = interview_selectors.category_score_history(candidate=request.user)
    return render(
        request,
        "web/dashboard.html",
        {
            "due_count": review_selectors.cards_due(user=request.user, now=now).count(),
            "recent": [(s, interview_selectors.session_summary_of(s)) for s in recent],
            "history": history,
            "chart": score_chart(history),
        },
    )
