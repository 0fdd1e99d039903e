"""Mock interviews in the browser: start, one question at a time, reveal and grade, summary, history.

Thin: each view reads the clock once, calls the session services and renders.
"""

from contextlib import suppress
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiring.integrity import records_integrity
from interview_bank.exceptions import Conflict, InvalidRequest
from interviews import selectors, services
from interviews.grading import rating_from_key_points
from interviews.models import InterviewSession
from reviews.models import Rating
from web.forms import AnswerForm, GradeForm, InterviewStartForm

# The countdown shown reaches zero this long before the server's deadline, so
# that the answer it submits at zero lands in time (a slow network included).
AUTOSUBMIT_LEAD_SECONDS = 3
AUTOSUBMIT_LEAD = timedelta(seconds=AUTOSUBMIT_LEAD_SECONDS)
HISTORY_PAGE_SIZE = 20


def _own_session(request, session_id) -> InterviewSession:
    """The requester's session, its questions prefetched; anyone else's is a 404."""
    return get_object_or_404(selectors.session_list(candidate=request.user), pk=session_id)


def _own_session_as_of(request, session_id, now) -> InterviewSession:
    """The requester's session, expired first if its deadline passed."""
    return services.session_expire_if_overdue(session=_own_session(request, session_id), now=now)


def _question_or_404(session, position: int):
    """The session's question at `position`, from the prefetched questions."""
    for item in session.questions.all():
        if item.position == position:
            return item
    raise Http404(f"No question {position} in this session.")


def _time_is_up(request, session, now) -> bool:
    """Over, or ended now because the countdown shows zero (services.session_end_if_time_is_up)."""
    return services.session_end_if_time_is_up(session=session, candidate=request.user, now=now, margin=AUTOSUBMIT_LEAD)


def _next_unanswered(session, after: int = 0):
    """The first unanswered position after `after`, wrapping round; None when all are answered."""
    items = list(session.questions.all())
    pending = [q for q in items if not q.answered]
    later = [q for q in pending if q.position > after]
    return (later or pending or [None])[0]


def _grade_form(item, data=None) -> GradeForm:
    # Prefixed by position: the summary shows several grade forms at once.
    return GradeForm(data, key_points=item.key_points, prefix=f"q{item.position}")


def _grade_context(item) -> dict:
    total = len(item.key_points)
    return {
        "grade_form": _grade_form(item),
        # The rating each number of ticked key points suggests, for the page to prefill.
        "suggested_ratings": [rating_from_key_points(hit, total).value for hit in range(total + 1)],
        "ratings": Rating.choices,
    }


@login_required
def interview_new(request):
    form = InterviewStartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.session_start_from_request(
                candidate=request.user,
                now=timezone.now(),
                count=data["count"],
                categories=data["categories"] or None,
                difficulties=data["difficulties"] or None,
                time_limit_minutes=data["time_limit_minutes"],
                include_due_reviews=data["include_due_reviews"],
                exclude_seen=data["exclude_seen"],
            )
        except InvalidRequest as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect("web:interview", session_id=session.pk)
    return render(request, "web/interviews/new.html", {"form": form})


@login_required
def interview(request, session_id):
    """Where a session stands: its next unanswered question, the finish page, or the summary."""
    now = timezone.now()
    session = _own_session_as_of(request, session_id, now)
    if _time_is_up(request, session, now):
        return redirect("web:interview_summary", session_id=session.pk)
    following = _next_unanswered(session)
    if following is not None:
        return redirect("web:interview_question", session_id=session.pk, position=following.position)
    return render(request, "web/interviews/all_answered.html", {"session": session})


@login_required
def interview_question(request, session_id, position):
    now = timezone.now()
    session = _own_session_as_of(request, session_id, now)
    item = _question_or_404(session, position)
    if not item.answered and _time_is_up(request, session, now):
        return redirect("web:interview_summary", session_id=session.pk)
    remaining = 0 if session.is_over else max(0.0, (session.deadline - now).total_seconds())
    following = _next_unanswered(session, after=position)
    context = {
        "session": session,
        "item": item,
        "items": list(session.questions.all()),
        "remaining_ms": int(remaining * 1000),
        "lead_ms": AUTOSUBMIT_LEAD_SECONDS * 1000,
        "display_remaining": max(0, int(remaining) - AUTOSUBMIT_LEAD_SECONDS),
        "next_item": following,
        "skip_to": following if following is not None and following.position != position else None,
        # The candidate was told on the invitation page that these are recorded.
        "records_integrity": records_integrity(session) and not session.is_over,
    }
    if not item.revealed:
        context["answer_form"] = AnswerForm()
    elif item.rating is None:
        context.update(_grade_context(item))
    return render(request, "web/interviews/question.html", context)


@login_required
@require_POST
def interview_answer(request, session_id, position):
    now = timezone.now()
    session = _own_session(request, session_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Your answer was not saved: {error}")
        return redirect("web:interview_question", session_id=session.pk, position=position)
    timed_out = form.cleaned_data["timed_out"]
    try:
        services.answer_submit(
            session_id=session.pk,
            candidate=request.user,
            now=now,
            position=position,
            answer=form.cleaned_data["answer"],
        )
    except (Conflict, InvalidRequest) as exc:
        messages.error(request, f"Your answer was not saved: {exc.message}")
        return redirect("web:interview", session_id=session.pk)
    if timed_out:
        with suppress(Conflict):  # already over: the summary tells how
            services.session_finish(session_id=session.pk, candidate=request.user, now=now, timed_out=True)
        messages.info(request, "Time is up. What you had typed was saved as your answer.")
        return redirect(reverse("web:interview_summary", args=[session.pk]) + f"#q{position}")
    return redirect("web:interview_question", session_id=session.pk, position=position)


@login_required
@require_POST
def interview_grade(request, session_id, position):
    now = timezone.now()
    session = _own_session(request, session_id)
    item = _question_or_404(session, position)
    form = _grade_form(item, request.POST)
    if form.is_valid():
        try:
            services.answer_grade(
                session_id=session.pk,
                candidate=request.user,
                now=now,
                position=position,
                key_points_hit=form.cleaned_data["key_points_hit"],
                rating=form.cleaned_data["rating"] or None,
            )
        except (Conflict, InvalidRequest) as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "That grade was not saved: tick key points of this question and pick a rating.")
    session = services.session_expire_if_overdue(session=session, now=now)
    if session.is_over:
        return redirect(reverse("web:interview_summary", args=[session.pk]) + f"#q{position}")
    return redirect("web:interview", session_id=session.pk)


@login_required
@require_POST
def interview_finish(request, session_id):
    session = _own_session(request, session_id)
    try:
        services.session_finish(session_id=session.pk, candidate=request.user, now=timezone.now())
    except Conflict as exc:
        messages.info(request, exc.message)
    return redirect("web:interview_summary", session_id=session.pk)


@login_required
def interview_summary(request, session_id):
    session = _own_session_as_of(request, session_id, timezone.now())
    if not session.is_over:
        return redirect("web:interview", session_id=session.pk)
    items = []
    for item in session.questions.all():
        grading = _grade_context(item) if item.answered and item.rating is None else {}
        items.append({"item": item, **grading})
    return render(
        request,
        "web/interviews/summary.html",
        {"session": session, "summary": selectors.session_summary_of(session), "items": items},
    )


@login_required
def interview_history(request):
    services.sessions_expire_overdue(candidate=request.user, now=timezone.now())
    sessions = selectors.session_list(candidate=request.user)
    page = Paginator(sessions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(s, selectors.session_summary_of(s)) for s in page.object_list]
    return render(request, "web/interviews/history.html", {"page": page, "rows": rows})
