"""The invitation landing page: who invited you to what, then accept and start."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hiring.models import Invitation
from hiring.selectors import question_set_size
from hiring.services import invitation_accept, invitation_for_token
from interview_bank.exceptions import Conflict


def invitation(request, token):
    """Visitors are asked to log in or sign up with the invited email; a token that
    does not open an invitation for the user is a 404, whatever the reason."""
    if not request.user.is_authenticated:
        return render(request, "web/invitations/visitor.html", {"token": token})
    try:
        found = invitation_for_token(token=token, user=request.user)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation for this account.") from None
    question_set = found.question_set
    return render(
        request,
        "web/invitations/landing.html",
        {
            "invitation": found,
            "question_set": question_set,
            "status": found.status_at(timezone.now()),
            "question_count": question_set_size(question_set),
            "minutes": found.time_limit_minutes,
            "token": token,
        },
    )


@login_required
@require_POST
def invitation_start(request, token):
    try:
        session = invitation_accept(token=token, user=request.user, now=timezone.now())
    except Invitation.DoesNotExist:
        raise Http404("No such invitation for this account.") from None
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("web:invitation", token=token)
    return redirect("web:interview", session_id=session.pk)
