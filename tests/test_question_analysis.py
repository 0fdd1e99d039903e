"""Question analysis for hiring managers (SPEC §10): facility, discrimination, exposure, flags."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hiring.analysis import pearson, question_stats
from interviews.models import InterviewSession, SessionQuestion
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY_POINTS = ["a", "b", "c", "d"]  # four key points: a score is hits / 4


def record_session(candidate, hits_by_question, *, now=None):
    """A finished session asking the given questions in order; hits None means not answered."""
    now = now or timezone.now()
    session = InterviewSession.objects.create(
        candidate=candidate, seed=1, status="completed", time_limit_minutes=30,
        started_at=now, deadline=now + timedelta(minutes=30), finished_at=now + timedelta(minutes=20),
    )  # fmt: skip
    for position, (question, hits) in enumerate(hits_by_question, start=1):
        SessionQuestion.objects.create(
            session=session, position=position, question=question, revision=question.revision,
            title=question.title, prompt=question.prompt, model_answer=question.model_answer,
            key_points=KEY_POINTS, category=question.category.slug, difficulty=question.difficulty,
            expected_minutes=question.expected_minutes,
            key_points_hit=None if hits is None else list(range(hits)),
            answered_at=None if hits is None else now, time_spent_seconds=None if hits is None else 60,
        )  # fmt: skip
    return session


@pytest.fixture
def questions(db):
    category = CategoryFactory(slug="databases")
    names = ["separating", "flat", "failed", "anchor_a", "anchor_b"]
    return dict(zip(names, QuestionFactory.create_batch(5, category=category, key_points=KEY_POINTS), strict=True))


def cohort(questions, size=30):
    """`size` candidates of known ability 0..1, one session of five questions each.

    The anchors follow ability (so the rest of a session tracks it); the separating question
    is answered fully by the stronger half and not at all by the weaker; the flat one
    alternates 2 and 3 key points whatever the ability; everyone fails the failed one.
    """
    for i in range(size):
        ability = i / (size - 1)
        record_session(
            UserFactory(username=f"cohort{i}"),
            [
                (questions["separating"], 4 if ability > 0.5 else 0),
                (questions["flat"], 2 + i % 2),
                (questions["failed"], 0),
                (questions["anchor_a"], round(4 * ability)),
                (questions["anchor_b"], round(4 * ability)),
            ],
        )
    return question_stats(question_ids=[q.pk for q in questions.values()])


class TestOnASyntheticCohort:
    def test_the_question_that_separates_strong_from_weak_discriminates_and_is_not_flagged(self, questions):
        stats = cohort(questions)[questions["separating"].pk]
        assert stats["times_asked"] == stats["times_answered"] == stats["exposure"] == 30
        assert stats["facility"] == stats["mean_score"] == 0.5
        assert stats["discrimination"] > 0.7  # the flag line is 0.2
        assert stats["flagged"] is False and stats["flags"] == [] and stats["retirement_suggested"] is False

    def test_a_question_everyone_answers_alike_does_not_discriminate_and_is_flagged(self, questions):
        stats = cohort(questions)[questions["flat"].pk]
        assert stats["facility"] == pytest.approx(0.625)
        assert abs(stats["discrimination"]) < 0.1
        assert stats["flagged"] is True
        assert any(flag.startswith("does not discriminate") for flag in stats["flags"])
        assert not any(flag.startswith("everyone fails") for flag in stats["flags"])

    def test_a_question_everyone_fails_is_flagged(self, questions):
        stats = cohort(questions)[questions["failed"].pk]
        assert stats["facility"] == 0.0 and stats["times_answered"] == 30
        assert stats["discrimination"] is None  # its scores do not vary
        assert stats["flagged"] is True
        assert any(flag.startswith("everyone fails") for flag in stats["flags"])

    def test_a_question_everyone_scores_the_same_on_has_no_correlation_but_does_not_discriminate(self, questions):
        stats = cohort(questions)[questions["failed"].pk]
        assert "does not discriminate: every candidate scores the same on it" in stats["flags"]

    def test_below_five_answers_there_is_no_discrimination_and_no_flag(self, questions):
        everything = cohort(questions, size=4)
        assert all(s["discrimination"] is None for s in everything.values())
        assert everything[questions["failed"].pk]["flagged"] is False
        assert everything[questions["failed"].pk]["facility"] == 0.0

    @pytest.mark.parametrize(("size", "suggested"), [(19, False), (20, True)])
    def test_retirement_is_suggested_from_twenty_answers_and_says_why(self, questions, size, suggested):
        stats = cohort(questions, size=size)[questions["failed"].pk]
        assert stats["flagged"] is True
        assert stats["retirement_suggested"] is suggested
        reasons = [f for f in stats["flags"] if f.startswith("retirement suggested")]
        assert bool(reasons) is suggested
        if suggested:
            assert any("facility 0.00 is under 0.15" in r for r in reasons)

    def test_a_discriminating_question_is_not_suggested_for_retirement(self, questions):
        assert cohort(questions)[questions["anchor_a"].pk]["retirement_suggested"] is False

    def test_the_flat_question_is_suggested_for_retirement_with_enough_answers(self, questions):
        stats = cohort(questions)[questions["flat"].pk]
        assert stats["retirement_suggested"] is True
        assert any(f.startswith("retirement suggested: discrimination") for f in stats["flags"])


class TestCounting:
    def test_exposure_counts_distinct_candidates_and_facility_only_answers(self, questions):
        separating, other = questions["separating"], questions["anchor_a"]
        casey, olivia = UserFactory(username="casey"), UserFactory(username="olivia")
        record_session(casey, [(separating, 4), (other, 0)])
        record_session(casey, [(separating, 2), (other, 0)])
        record_session(olivia, [(separating, None), (other, 0)])
        stats = question_stats(question_ids=[separating.pk])[separating.pk]
        assert stats["times_asked"] == 3 and stats["times_answered"] == 2 and stats["exposure"] == 2
        assert stats["facility"] == 0.75 and stats["mean_time_seconds"] == 60.0

    def test_a_question_never_asked_has_empty_stats(self, questions):
        stats = question_stats(question_ids=[questions["flat"].pk])[questions["flat"].pk]
        assert stats["times_asked"] == stats["exposure"] == 0
        assert stats["facility"] is None and stats["discrimination"] is None and stats["flagged"] is False

    def test_the_rest_of_a_session_counts_its_unanswered_questions_as_zero(self, questions):
        # Six sessions where the question's score goes with the others' answers;
        # the unanswered third question scores 0 on the rest side, as in the summary.
        target, other, skipped = questions["separating"], questions["anchor_a"], questions["anchor_b"]
        for i in range(6):
            record_session(UserFactory(username=f"c{i}"), [(target, i % 5), (other, i % 5), (skipped, None)])
        assert question_stats(question_ids=[target.pk])[target.pk]["discrimination"] == pytest.approx(1.0)

    def test_sessions_with_no_other_question_do_not_count_for_discrimination(self, questions):
        target = questions["separating"]
        for i in range(6):
            record_session(UserFactory(username=f"solo{i}"), [(target, i % 5)])
        stats = question_stats(question_ids=[target.pk])[target.pk]
        assert stats["times_answered"] == 6 and stats["discrimination"] is None


def test_pearson_matches_a_worked_example():
    # x = 1..5, y = 2, 4, 5, 4, 5: r = 6 / sqrt(10 * 6) = 0.7746
    assert pearson([(1, 2), (2, 4), (3, 5), (4, 4), (5, 5)]) == pytest.approx(0.774597, abs=1e-6)
    assert pearson([(1, 3), (2, 3), (3, 3)]) is None
    assert pearson([(1 / 3, 0.1), (1 / 3, 0.5), (1 / 3, 0.9)]) is None  # float noise is no variance


def test_the_analysis_costs_two_queries_whatever_the_number_of_questions(questions, django_assert_num_queries):
    cohort(questions, size=6)
    with django_assert_num_queries(2):
        question_stats(question_ids=[q.pk for q in questions.values()])
    with django_assert_num_queries(2):
        question_stats(question_ids=[questions["flat"].pk])


class TestQuestionDetail:
    def test_managers_see_the_analysis_in_the_question_detail(self, manager_client, questions):
        cohort(questions, size=6)
        stats = manager_client.get(f"/api/v1/questions/{questions['failed'].pk}/").data["stats"]
        assert stats["times_asked"] == 6 and stats["exposure"] == 6 and stats["facility"] == 0.0
        assert stats["flagged"] is True and stats["flags"] and stats["retirement_suggested"] is False
        assert {"discrimination", "mean_score", "mean_time_seconds", "again_share", "times_answered"} <= set(stats)

    def test_candidates_never_see_it(self, candidate_client, questions):
        cohort(questions, size=6)
        assert "stats" not in candidate_client.get(f"/api/v1/questions/{questions['failed'].pk}/").data

    def test_the_schema_documents_the_new_fields(self, client):
        schema = client.get("/api/schema/", {"format": "json"}).json()
        properties = schema["components"]["schemas"]["QuestionStats"]["properties"]
        for name in ("facility", "discrimination", "exposure", "flagged", "flags", "retirement_suggested"):
            assert name in properties
        assert properties["discrimination"]["nullable"] is True


CHANGELIST = "/admin/questions/question/"


class TestAdminList:
    @pytest.fixture
    def admin_browser(self, client, hiring_manager):
        client.force_login(hiring_manager)
        return client

    def test_the_list_shows_the_analysis_columns(self, admin_browser, questions):
        cohort(questions, size=6)
        response = admin_browser.get(CHANGELIST)
        assert response.status_code == 200
        text = response.text.lower()
        for column in ("asked", "facility", "discrimination", "flagged", "again %", "mean time (s)"):
            assert f">{column}<" in text or f">{column}</a>" in text
        assert "does not discriminate" in text  # the marker's title says why

    def test_the_analysis_filter_lists_flagged_questions_only(self, admin_browser, questions):
        cohort(questions)
        flagged = admin_browser.get(CHANGELIST, {"analysis": "flagged"})
        shown = {q.title for q in flagged.context["cl"].result_list}
        assert shown == {questions["flat"].title, questions["failed"].title}
        fine = admin_browser.get(CHANGELIST, {"analysis": "ok"})
        assert questions["separating"].title in {q.title for q in fine.context["cl"].result_list}
        retire = admin_browser.get(CHANGELIST, {"analysis": "retire"})
        assert {q.title for q in retire.context["cl"].result_list} == shown

    def test_the_query_count_does_not_grow_with_the_questions_on_the_page(
        self, admin_browser, questions, django_assert_max_num_queries
    ):
        cohort(questions, size=6)
        with CaptureQueriesContext(connection) as few:
            assert admin_browser.get(CHANGELIST).status_code == 200
        more = QuestionFactory.create_batch(40, category=questions["flat"].category, key_points=KEY_POINTS)
        for i, question in enumerate(more):
            record_session(UserFactory(username=f"more{i}"), [(question, 2), (questions["flat"], 1)])
        with django_assert_max_num_queries(len(few)):
            response = admin_browser.get(CHANGELIST)
        assert len(response.context["cl"].result_list) == 45
