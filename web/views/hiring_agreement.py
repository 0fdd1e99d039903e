"""A question set's agreement between scorers, for hiring managers."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.roles import is_hiring_manager
from hiring.agreement import question_set_agreement
from hiring.selectors import question_set_list


@login_required
def set_agreement(request, set_id):
    if not is_hiring_manager(request.user):
        raise Http404("No such page.")
    question_set = get_object_or_404(question_set_list(user=request.user), pk=set_id)
    agreement = question_set_agreement(question_set=question_set, user=request.user)
    return render(request, "web/hiring/agreement.html", {"question_set": question_set, "agreement": agreement})
