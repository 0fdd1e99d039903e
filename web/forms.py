"""Form shapes of the web pages: they check input and say what is allowed; services decide."""

from zoneinfo import available_timezones

from django import forms
from django.conf import settings
from django.contrib.auth.validators import UnicodeUsernameValidator

from accounts.validation import email_check_free, password_check, username_check_free
from questions.models import Question
from questions.selectors import category_list
from reviews.models import Rating

TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(available_timezones())]


class SignupForm(forms.Form):
    username = forms.CharField(
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        max_length=254,
        help_text="For password resets, reminders and invitations.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not all digits, not a common password.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        return username_check_free(self.cleaned_data["username"])

    def clean_email(self):
        return email_check_free(self.cleaned_data["email"])

    def clean(self):
        data = super().clean()
        password, again = data.get("password1"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", "The two passwords differ; type the same password twice.")
        elif password:
            try:
                password_check(password, username=data.get("username", ""), email=data.get("email", ""))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class InterviewStartForm(forms.Form):
    categories = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every category.",
    )
    difficulties = forms.MultipleChoiceField(
        required=False,
        choices=Question.Difficulty.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every difficulty.",
    )
    count = forms.IntegerField(
        label="Number of questions", min_value=1, max_value=settings.SESSION_MAX_QUESTIONS, initial=5
    )
    time_limit_minutes = forms.IntegerField(
        label="Time limit (minutes)",
        required=False,
        min_value=1,
        max_value=settings.SESSION_MAX_MINUTES,
        help_text="Leave empty to get the questions' expected minutes added up.",
    )
    include_due_reviews = forms.BooleanField(
        label="Include my due reviews first", required=False, help_text="Due review cards fill the first slots."
    )
    exclude_seen = forms.BooleanField(label="Prefer questions I have not been asked", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (c.slug, f"{c.name} ({c.question_count})") for c in category_list() if c.question_count
        ]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer",
        required=False,
        strip=False,
        max_length=settings.ANSWER_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Markdown works. Empty is allowed: it counts as answered.",
    )
    # Set by the page's countdown when it submits at zero.
    timed_out = forms.BooleanField(required=False, widget=forms.HiddenInput)


class GradeForm(forms.Form):
    key_points_hit = forms.TypedMultipleChoiceField(
        label="Key points your answer covered",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rating = forms.ChoiceField(choices=Rating.choices, required=False)

    def __init__(self, *args, key_points: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_points_hit"].choices = list(enumerate(key_points))


class ReviewRatingForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices)


class ReminderPreferenceForm(forms.Form):
    enabled = forms.BooleanField(label="Email me when reviews are due", required=False)
    timezone = forms.ChoiceField(label="Time zone", choices=TIMEZONE_CHOICES)
    hour = forms.TypedChoiceField(
        label="Hour (local time)", coerce=int, choices=[(h, f"{h:02d}:00") for h in range(24)]
    )
    min_due = forms.IntegerField(label="Only when at least this many cards are due", min_value=1, max_value=1000)


RECOMMENDATION_CHOICES = [
    ("strong_no", "Strong no"),
    ("no", "No"),
    ("yes", "Yes"),
    ("strong_yes", "Strong yes"),
]
SCORE_CHOICES = [(1, "1 · weak"), (2, "2 · below the bar"), (3, "3 · meets the bar"), (4, "4 · strong")]


class ScorecardForm(forms.Form):
    """A scorer's scorecard: per answered position the key points seen and a 1-4 score, then a
    recommendation and a summary. The service checks the rules (hiring.scorecards)."""

    recommendation = forms.ChoiceField(choices=RECOMMENDATION_CHOICES, widget=forms.RadioSelect)
    summary = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}), help_text="Markdown works."
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [item for item in items if item.answered]
        for item in self.items:
            self.fields[f"kp_{item.position}"] = forms.TypedMultipleChoiceField(
                label=f"Key points the answer to question {item.position} covered",
                coerce=int,
                required=False,
                choices=list(enumerate(item.key_points)),
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"score_{item.position}"] = forms.TypedChoiceField(
                label=f"Score for question {item.position}",
                coerce=int,
                choices=SCORE_CHOICES,
                widget=forms.RadioSelect,
                error_messages={"required": "Pick a score from 1 to 4 for this answer."},
            )

    def fields_for(self, position):
        return self[f"kp_{position}"], self[f"score_{position}"]

    def scores(self) -> list[dict]:
        return [
            {
                "position": item.position,
                "key_points_hit": self.cleaned_data[f"kp_{item.position}"],
                "score": self.cleaned_data[f"score_{item.position}"],
            }
            for item in self.items
        ]
