"""What the bank asks of apps above it (registered in their AppConfig.ready())."""

from interview_bank.hooks import Hook

question_stats = Hook(
    "questions.question_stats",
    "(*, question_ids) -> {question id: stats dict}, how candidates fared; the hiring app provides it",
)
