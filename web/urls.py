"""The candidate's web pages."""

from django.urls import path

from web.views import accounts, hiring, interviews, invitations, pages, reminders, reviews

app_name = "web"

urlpatterns = [
    path("", pages.home, name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("interviews/", interviews.interview_history, name="interview_history"),
    path("interviews/new/", interviews.interview_new, name="interview_new"),
    path("interviews/<int:session_id>/", interviews.interview, name="interview"),
    path("interviews/<int:session_id>/q/<int:position>/", interviews.interview_question, name="interview_question"),
    path("interviews/<int:session_id>/q/<int:position>/answer/", interviews.interview_answer, name="interview_answer"),
    path("interviews/<int:session_id>/q/<int:position>/grade/", interviews.interview_grade, name="interview_grade"),
    path("interviews/<int:session_id>/finish/", interviews.interview_finish, name="interview_finish"),
    path("interviews/<int:session_id>/summary/", interviews.interview_summary, name="interview_summary"),
    path("reviews/", reviews.review_next, name="reviews"),
    path("reviews/<int:question_id>/", reviews.review_card, name="review_card"),
    path("settings/reminders/", reminders.reminder_settings, name="reminder_settings"),
    path("hiring/", hiring.hiring_home, name="hiring"),
    path("hiring/sets/<int:set_id>/", hiring.hiring_set, name="hiring_set"),
    path("hiring/sessions/<int:session_id>/", hiring.hiring_session, name="hiring_session"),
    path("invitations/<str:token>/", invitations.invitation, name="invitation"),
    path("invitations/<str:token>/start/", invitations.invitation_start, name="invitation_start"),
    path("hiring/sets/<int:set_id>/agreement/", hiring.hiring_agreement, name="hiring_agreement"),
]
