"""Hiring managers' pages: their question sets, a set's results, one session scored blind."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import is_hiring_manager
from hiring.agreement import question_set_agreement
from hiring.integrity import integrity_counts, records_integrity
from hiring.scorecards import BLIND_MESSAGE, scorable_sessions, scorecard_list, scorecard_submit
from hiring.selectors import question_set_list, question_set_results
from interview_bank.exceptions import Conflict, InvalidRequest, NotAllowed
from interviews.selectors import session_summary_of
from interviews.services import session_expire_if_overdue
from web.forms import RECOMMENDATION_CHOICES, ScorecardForm

RECOMMENDATION_LABELS = dict(RECOMMENDATION_CHOICES)


def _manager_or_404(request):
    if not is_hiring_manager(request.user):
        raise Http404("No such page.")


@login_required
def hiring_home(request):
    _manager_or_404(request)
    return render(request, "web/hiring/home.html", {"question_sets": question_set_list(user=request.user)})


@login_required
def hiring_set(request, set_id):
    question_set = get_object_or_404(question_set_list(user=request.user), pk=set_id)
    rows = question_set_results(question_set=question_set, user=request.user, now=timezone.now())
    return render(request, "web/hiring/set.html", {"question_set": question_set, "rows": rows})


@login_required
def hiring_session(request, session_id):
    """Answers beside the model answer, and the scorecard form; others' scorecards once yours is in."""
    now = timezone.now()
    session = get_object_or_404(
        scorable_sessions(user=request.user).select_related("candidate", "question_set_link__question_set"),
        pk=session_id,
    )
    session = session_expire_if_overdue(session=session, now=now)
    items = list(session.questions.order_by("position"))
    form = ScorecardForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                scorecard_submit(
                    session_id=session.pk,
                    scorer=request.user,
                    recommendation=form.cleaned_data["recommendation"],
                    summary=form.cleaned_data["summary"],
                    scores=form.scores(),
                    now=now,
                )
            except InvalidRequest as exc:
                form.add_error(None, exc.message)
                status = 400
            except Conflict as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, "Your scorecard is saved. The other scorers' scorecards are below.")
                return redirect(f"{request.path}#scorecards")
        else:
            status = 400
    try:
        submitted = list(scorecard_list(session_id=session.pk, user=request.user))
    except NotAllowed:  # blind: the caller has not submitted theirs yet
        submitted = None
    own = submitted is not None
    scorecards = []
    if own:
        for card in submitted:
            scores = {s.position: s for s in card.scores.all()}
            scorecards.append(
                {
                    "card": card,
                    "recommendation": RECOMMENDATION_LABELS[card.recommendation],
                    "scores": [scores.get(item.position) for item in items],
                    "mine": card.scorer_id == request.user.pk,
                }
            )
    entries = [{"item": item, "fields": form.fields_for(item.position) if item.answered else None} for item in items]
    context = {
        "session": session,
        "question_set": session.question_set_link.question_set,
        "summary": session_summary_of(session),
        "flags": integrity_counts([session.pk])[session.pk] if records_integrity(session) else None,
        "entries": entries,
        "items": items,
        "form": form,
        "own": own,
        "scorecards": scorecards,
        "blind_message": BLIND_MESSAGE,
        "running": not session.is_over,
    }
    return render(request, "web/hiring/session.html", context, status=status)


@login_required
def hiring_agreement(request, set_id):
    """How far the set's scorers agree, and each scorer's drift."""
    _manager_or_404(request)
    question_set = get_object_or_404(question_set_list(user=request.user), pk=set_id)
    agreement = question_set_agreement(question_set=question_set, user=request.user)
    return render(request, "web/hiring/agreement.html", {"question_set": question_set, "agreement": agreement})
