"""Reminder settings: whether, when (local time zone and hour) and from how many due cards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from reviews import selectors, services
from web.forms import ReminderPreferenceForm


@login_required
def reminder_settings(request):
    current = selectors.reminder_preference(user=request.user)
    initial = {name: getattr(current, name) for name in ReminderPreferenceForm.base_fields}
    form = ReminderPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.reminder_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, "Reminder settings saved.")
        return redirect("web:reminder_settings")
    return render(request, "web/settings/reminders.html", {"form": form})
