"""What sessions ask of apps above them (registered in their AppConfig.ready())."""

from interview_bank.hooks import Hook

session_start_from_set = Hook(
    "interviews.session_start_from_set",
    "(*, question_set_id, user, now, seed) -> InterviewSession, or InvalidRequest when the user cannot use "
    "that set; the hiring app provides it, so POST /sessions/ with `question_set` keeps working",
)
