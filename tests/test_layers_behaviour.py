"""Rules that moved to the app that owns them keep working (issue: one direction of dependency)."""

from datetime import timedelta
from importlib import import_module
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from hiring import services as hiring_services
from hiring.models import QuestionSetSession
from interview_bank.exceptions import InvalidRequest, NotAllowed
from interview_bank.hooks import Hook
from interviews import hooks as interview_hooks
from interviews.models import InterviewSession
from interviews.services import answer_submit, session_end_if_time_is_up, session_start_from_request
from questions import hooks as question_hooks
from tests.factories import HiringManagerFactory
from tests.test_hiring_api import SETS, T0

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed_set(hiring_manager, bank):
    return hiring_services.question_set_create(
        owner=hiring_manager, name="Loop", time_limit_minutes=30, questions=bank[:3], visibility="shared"
    )


class TestHooks:
    def test_a_hook_without_an_implementation_says_which_is_missing(self):
        hook = Hook("tests.example", "(x) -> y")
        assert not hook.registered
        with pytest.raises(ImproperlyConfigured, match=r"tests\.example \(\(x\) -> y\)"):
            hook(1)

    def test_a_hook_takes_one_implementation(self):
        hook = Hook("tests.example", "(x) -> y")
        hook.register(abs)
        hook.register(abs)  # the same one again (a second ready()) is harmless
        assert hook(-3) == 3
        with pytest.raises(ImproperlyConfigured, match="already has an implementation"):
            hook.register(round)

    def test_hiring_plugs_into_the_bank_and_sessions_at_start_up(self):
        assert question_hooks.question_stats.registered
        assert interview_hooks.session_start_from_set.registered

    def test_without_hiring_a_session_from_a_set_is_a_clear_400(self, manager_client, fixed_set):
        with mock.patch.object(interview_hooks.session_start_from_set, "_implementation", None):
            response = manager_client.post("/api/v1/sessions/", {"question_set": fixed_set.pk}, format="json")
        assert response.status_code == 400
        assert response.data == {"question_set": ["Question sets are not available on this server."]}

    def test_without_hiring_the_question_detail_has_no_stats(self, manager_client, bank):
        with mock.patch.object(question_hooks.question_stats, "_implementation", None):
            data = manager_client.get(f"/api/v1/questions/{bank[0].pk}/").data
        assert "stats" not in data and "model_answer" in data


class TestSessionsFromSets:
    def test_the_set_start_endpoint_starts_its_session(self, manager_client, fixed_set, bank):
        response = manager_client.post(f"{SETS}{fixed_set.pk}/start/", {}, format="json")
        assert response.status_code == 201
        assert [q["question_id"] for q in response.data["questions"]] == [q.pk for q in bank[:3]]
        assert response.data["origin"] == "question_set" and response.data["time_limit_minutes"] == 30
        assert QuestionSetSession.objects.get(session_id=response.data["id"]).question_set == fixed_set

    def test_the_set_start_endpoint_is_404_for_a_set_you_cannot_see(self, client_for, fixed_set):
        fixed_set.visibility = "private"
        fixed_set.save()
        other = client_for(HiringManagerFactory(username="riley"))
        assert other.post(f"{SETS}{fixed_set.pk}/start/", {}, format="json").status_code == 404

    def test_results_find_sessions_by_their_link_not_by_the_start_request(self, manager_client, fixed_set):
        session_id = manager_client.post("/api/v1/sessions/", {"question_set": fixed_set.pk}, format="json").data["id"]
        # Rewriting the recorded request no longer detaches the session from its set.
        InterviewSession.objects.filter(pk=session_id).update(request={})
        rows = manager_client.get(f"{SETS}{fixed_set.pk}/sessions/").data
        assert [row["session"]["id"] for row in rows] == [session_id]

    def test_an_invited_session_is_linked_once_and_listed_once(self, manager_client, candidate_client, fixed_set):
        with mock.patch("hiring.services.enqueue_on_commit"):
            token = manager_client.post(
                f"{SETS}{fixed_set.pk}/invitations/", {"email": "casey@example.com"}, format="json"
            ).data["token"]
        session_id = candidate_client.post(f"/api/v1/invitations/{token}/accept/").data["id"]
        assert QuestionSetSession.objects.filter(session_id=session_id, question_set=fixed_set).exists()
        rows = manager_client.get(f"{SETS}{fixed_set.pk}/sessions/").data
        assert [row["session"]["id"] for row in rows] == [session_id]
        assert rows[0]["invitation"] is not None

    def test_the_migration_links_sessions_made_before_the_link_existed(self, hiring_manager, fixed_set):
        session = hiring_services.session_start_from_set(question_set=fixed_set, candidate=hiring_manager, now=T0)
        QuestionSetSession.objects.all().delete()  # as before the link table
        migration = import_module("hiring.migrations.0003_question_set_sessions")
        migration.link_existing_sessions(apps, None)
        assert QuestionSetSession.objects.get().session_id == session.pk


class TestRulesLiveInServices:
    def test_only_the_owner_changes_or_deletes_a_shared_set(self, fixed_set):
        other = HiringManagerFactory(username="riley")
        with pytest.raises(NotAllowed, match="Only the owner"):
            hiring_services.question_set_update(question_set=fixed_set, user=other, name="mine")
        with pytest.raises(NotAllowed):
            hiring_services.question_set_delete(question_set=fixed_set, user=other)
        hiring_services.question_set_delete(question_set=fixed_set, user=fixed_set.owner)

    def test_invitations_expire_after_seven_days_by_default(self, fixed_set, hiring_manager):
        with mock.patch("hiring.services.enqueue_on_commit"):
            invitation, _ = hiring_services.invitation_create(
                question_set=fixed_set, created_by=hiring_manager, email="c@example.com", now=T0
            )
        assert invitation.expires_at == T0 + timedelta(days=7)

    @pytest.mark.parametrize(
        ("expires_in", "message"),
        [(timedelta(0), "must be in the future"), (timedelta(days=90, seconds=1), "at most 90 days ahead")],
    )
    def test_an_invitation_expires_in_the_future_and_at_most_90_days_ahead(
        self, fixed_set, hiring_manager, expires_in, message
    ):
        with pytest.raises(InvalidRequest, match=message):
            hiring_services.invitation_create(
                question_set=fixed_set,
                created_by=hiring_manager,
                email="c@example.com",
                now=T0,
                expires_at=T0 + expires_in,
            )

    def test_an_invitations_time_limit_is_the_sets_plus_the_extra_minutes(self, fixed_set, hiring_manager):
        with mock.patch("hiring.services.enqueue_on_commit"):
            invitation, _ = hiring_services.invitation_create(
                question_set=fixed_set, created_by=hiring_manager, email="c@example.com", now=T0, extra_minutes=15
            )
        assert invitation.time_limit_minutes == 45

    def test_a_session_within_the_margin_of_its_deadline_is_ended_as_expired(self, candidate, bank):
        session = session_start_from_request(candidate=candidate, now=T0, count=1, time_limit_minutes=1)
        margin = timedelta(seconds=3)
        assert not session_end_if_time_is_up(session=session, candidate=candidate, now=T0, margin=margin)
        at_zero = session.deadline - margin
        assert session_end_if_time_is_up(session=session, candidate=candidate, now=at_zero, margin=margin)
        session.refresh_from_db()
        assert session.status == "expired"

    def test_an_answer_is_revealed_once_answered_or_once_the_session_is_over(self, candidate, bank):
        with time_machine.travel(T0, tick=False):
            session = session_start_from_request(candidate=candidate, now=T0, count=2)
            first, second = session.questions.order_by("position")
            assert not first.revealed and not second.revealed
            answered = answer_submit(session_id=session.pk, candidate=candidate, now=T0, position=1, answer="x")
            assert answered.revealed
            session.status = "completed"
            second.session = session
            assert second.revealed
