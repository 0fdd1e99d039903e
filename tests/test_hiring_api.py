"""Question sets, invitations and results for hiring managers (SPEC §1, §3, §4)."""

import csv
import io
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail

from hiring.models import Invitation, InvitationEmail, QuestionSet
from hiring.tasks import send_invitation
from interviews.models import InterviewSession
from tests.factories import HiringManagerFactory, QuestionFactory, UserFactory

SETS = "/api/v1/question-sets/"
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(db):
    return HiringManagerFactory(username="riley")


@pytest.fixture
def other_manager_client(other_manager, client_for):
    return client_for(other_manager)


def make_set(client, bank, **overrides):
    body = {"name": "Backend loop", "questions": [q.pk for q in bank[:3]], "time_limit_minutes": 30, **overrides}
    body = {k: v for k, v in body.items() if v is not None}
    response = client.post(SETS, body, format="json")
    assert response.status_code == 201, response.data
    return response.data


def invite(client, set_id, **overrides):
    body = {"email": "casey@example.com", "extra_minutes": 0, **overrides}
    with mock.patch("hiring.services.enqueue_on_commit"):
        response = client.post(f"{SETS}{set_id}/invitations/", body, format="json")
    assert response.status_code == 201, response.data
    return response.data


class TestQuestionSets:
    def test_a_manager_creates_a_fixed_set(self, manager_client, bank):
        data = make_set(manager_client, bank, description="Loop for seniors", visibility="shared")
        assert data["questions"] == [q.pk for q in bank[:3]]
        assert (data["kind"], data["owner"], data["visibility"]) == ("fixed", "morgan", "shared")
        assert data["rules"] == []

    def test_a_manager_creates_a_blueprint(self, manager_client, bank):
        data = make_set(manager_client, bank, questions=None, rules=[{"category": "databases", "count": 4}])
        assert data["kind"] == "blueprint"
        assert data["rules"] == [{"category": "databases", "difficulty": None, "count": 4}]

    @pytest.mark.parametrize(
        ("body", "field", "fragment"),
        [
            (
                {"rules": [{"category": "databases", "difficulty": "mid", "count": 7}]},
                "rules",
                "Rule 1: The pool 'databases, mid' holds 6 published questions; 7 asked.",
            ),
            (
                {"rules": [{"category": "databases", "count": 4}, {"category": "databases", "count": 3}]},
                "rules",
                "together ask for more than the bank holds",
            ),
            ({"rules": [{"category": "astrology", "count": 1}]}, "rules", "does not exist"),
            ({"questions": []}, "questions", "Give either"),
            ({"time_limit_minutes": 0}, "time_limit_minutes", "greater than or equal to 1"),
            ({"name": ""}, "name", "blank"),
        ],
    )
    def test_invalid_sets_are_400_and_write_nothing(self, manager_client, bank, body, field, fragment):
        base = {"name": "Loop", "time_limit_minutes": 30}
        if "rules" not in body:
            base["questions"] = [bank[0].pk]
        response = manager_client.post(SETS, {**base, **body}, format="json")
        assert response.status_code == 400
        assert fragment in str(response.data[field])
        assert not QuestionSet.objects.exists()

    @pytest.mark.parametrize("status", ["draft", "retired"])
    def test_unpublished_questions_cannot_be_added(self, manager_client, bank, status):
        hidden = QuestionFactory(status=status)
        response = manager_client.post(
            SETS, {"name": "x", "questions": [bank[0].pk, hidden.pk], "time_limit_minutes": 5}, format="json"
        )
        assert response.status_code == 400
        assert f"[{hidden.pk}] are not published" in response.data["questions"][0]

    def test_duplicate_makes_a_private_copy_for_the_requester(self, manager_client, other_manager_client, bank):
        original = make_set(manager_client, bank, visibility="shared")
        copy = other_manager_client.post(f"{SETS}{original['id']}/duplicate/").data
        assert copy["owner"] == "riley" and copy["visibility"] == "private"
        assert copy["name"] == "Backend loop (copy)" and copy["questions"] == original["questions"]

    def test_managers_can_start_a_session_from_a_set_they_can_see(self, manager_client, bank):
        data = make_set(manager_client, bank)
        session = manager_client.post("/api/v1/sessions/", {"question_set": data["id"]}, format="json").data
        assert [q["question_id"] for q in session["questions"]] == data["questions"]  # fixed order kept
        assert session["time_limit_minutes"] == 30 and session["origin"] == "question_set"

    def test_candidates_cannot_start_from_a_managers_set(self, manager_client, candidate_client, bank):
        data = make_set(manager_client, bank)
        response = candidate_client.post("/api/v1/sessions/", {"question_set": data["id"]}, format="json")
        assert response.status_code == 400
        assert response.data == {"question_set": [f"No question set {data['id']} that you can use."]}


class TestOwnershipAndVisibility:
    def test_another_managers_private_set_and_its_results_are_404(self, manager_client, other_manager_client, bank):
        data = make_set(manager_client, bank)
        base = f"{SETS}{data['id']}/"
        for method, url in [
            ("get", base),
            ("patch", base),
            ("delete", base),
            ("get", base + "sessions/"),
            ("get", base + "sessions/csv/"),
            ("get", base + "invitations/"),
            ("post", base + "invitations/"),
            ("post", base + "duplicate/"),
        ]:
            response = getattr(other_manager_client, method)(url, {}, format="json")
            assert response.status_code == 404, (method, url, response.status_code)
        assert other_manager_client.get(SETS).data["count"] == 0

    def test_a_shared_set_is_visible_but_only_its_owner_changes_it(self, manager_client, other_manager_client, bank):
        data = make_set(manager_client, bank, visibility="shared")
        url = f"{SETS}{data['id']}/"
        assert other_manager_client.get(url).status_code == 200
        assert other_manager_client.get(url + "sessions/").status_code == 200
        response = other_manager_client.patch(url, {"name": "mine now"}, format="json")
        assert response.status_code == 403 and "Only the owner" in response.data["detail"]
        assert other_manager_client.delete(url).status_code == 403
        assert manager_client.patch(url, {"name": "Renamed"}, format="json").data["name"] == "Renamed"

    def test_candidates_cannot_create_sets_or_see_results(self, manager_client, candidate_client, bank):
        data = make_set(manager_client, bank, visibility="shared")
        assert candidate_client.get(SETS).status_code == 403
        assert candidate_client.post(SETS, {"name": "x"}, format="json").status_code == 403
        assert candidate_client.get(f"{SETS}{data['id']}/sessions/").status_code == 403


class TestSharedSetsBetweenManagers:
    """SPEC §4: on a shared set a manager sees, revokes and reads what they sent; its owner all of it."""

    def test_another_manager_sees_and_revokes_only_the_invitations_they_sent(
        self, manager_client, other_manager_client, bank
    ):
        data = make_set(manager_client, bank, visibility="shared")
        owners = invite(manager_client, data["id"], email="pat@example.com")
        theirs = invite(other_manager_client, data["id"], email="sam@example.com")
        url = f"{SETS}{data['id']}/invitations/"
        assert [i["email"] for i in other_manager_client.get(url).data] == ["sam@example.com"]
        assert sorted(i["email"] for i in manager_client.get(url).data) == ["pat@example.com", "sam@example.com"]

        response = other_manager_client.post(f"/api/v1/invitations/{owners['id']}/revoke/")
        assert response.status_code == 404
        assert Invitation.objects.get(pk=owners["id"]).revoked_at is None
        assert other_manager_client.post(f"/api/v1/invitations/{theirs['id']}/revoke/").data["status"] == "revoked"
        # The owner revokes any invitation of their set, whoever sent it.
        again = invite(other_manager_client, data["id"], email="lee@example.com")
        assert manager_client.post(f"/api/v1/invitations/{again['id']}/revoke/").data["status"] == "revoked"

    def test_another_manager_reads_only_the_results_of_their_invitations_and_own_sessions(
        self, manager_client, other_manager_client, candidate_client, bank
    ):
        data = make_set(manager_client, bank, visibility="shared")
        token = invite(manager_client, data["id"])["token"]  # casey, invited by the owner
        session = candidate_client.post(f"/api/v1/invitations/{token}/accept/").data
        candidate_client.post(
            f"/api/v1/sessions/{session['id']}/answers/", {"position": 1, "answer": "casey's"}, format="json"
        )
        manager_client.post(f"{SETS}{data['id']}/start/", {}, format="json")  # the owner tries the set
        invite(other_manager_client, data["id"], email="sam@example.com")
        tried = other_manager_client.post(f"{SETS}{data['id']}/start/", {}, format="json").data
        other_manager_client.post(
            f"/api/v1/sessions/{tried['id']}/answers/", {"position": 1, "answer": "riley's"}, format="json"
        )

        rows = other_manager_client.get(f"{SETS}{data['id']}/sessions/").data
        assert sorted((r["invitation"] or {}).get("email", r["candidate"]) for r in rows) == [
            "riley",
            "sam@example.com",
        ]
        csv_text = other_manager_client.get(f"{SETS}{data['id']}/sessions/csv/").content.decode()
        assert "riley's" in csv_text and "casey" not in csv_text
        owner_rows = manager_client.get(f"{SETS}{data['id']}/sessions/").data
        assert len(owner_rows) == 4  # casey's and sam's invitations, morgan's and riley's own tries
        assert "casey's" in manager_client.get(f"{SETS}{data['id']}/sessions/csv/").content.decode()


class TestInvitations:
    def test_creating_an_invitation_returns_a_token_and_emails_the_link_after_commit(
        self, manager_client, bank, django_capture_on_commit_callbacks
    ):
        data = make_set(manager_client, bank)
        with (
            mock.patch("interview_bank.queue.enqueue_now") as enqueue,
            django_capture_on_commit_callbacks(execute=True) as callbacks,
        ):
            response = manager_client.post(
                f"{SETS}{data['id']}/invitations/",
                {"email": "casey@example.com", "extra_minutes": 15},
                format="json",
            )
        assert response.status_code == 201
        body = response.data
        assert body["status"] == "pending" and body["extra_minutes"] == 15
        assert len(body["token"]) > 50 and body["url"].endswith(f"/invitations/{body['token']}/")
        assert len(callbacks) == 1
        # The message carries the invitation id only: never the token.
        (task, invitation_id), kwargs = enqueue.call_args
        assert task is send_invitation and invitation_id == body["id"] and kwargs == {}
        assert send_invitation.run(invitation_id) is True
        assert send_invitation.run(invitation_id) is False  # a redelivery sends nothing more
        assert len(mail.outbox) == 1 and body["url"] in mail.outbox[0].body
        # The token is stored only as a hash (and, until sent, sealed) and never listed again.
        assert body["token"] not in str(Invitation.objects.values().get())
        assert body["token"] not in str(InvitationEmail.objects.values().get())
        listed = manager_client.get(f"{SETS}{data['id']}/invitations/").data[0]
        assert listed["token"] is None and listed["status"] == "pending"

    def test_accepting_starts_the_sets_session_with_extra_time(self, manager_client, candidate_client, bank):
        data = make_set(manager_client, bank)
        token = invite(manager_client, data["id"], extra_minutes=20)["token"]
        with time_machine.travel(T0, tick=False):
            response = candidate_client.post(f"/api/v1/invitations/{token}/accept/")
        assert response.status_code == 201
        session = response.data
        assert [q["question_id"] for q in session["questions"]] == data["questions"]
        assert session["time_limit_minutes"] == 50 and session["origin"] == "invitation"
        assert datetime.fromisoformat(session["deadline"]) == T0 + timedelta(minutes=50)
        for question in session["questions"]:
            assert "model_answer" not in question and "key_points" not in question
        assert "SECRET" not in str(response.content)

    def test_a_second_accept_is_409(self, manager_client, candidate_client, bank):
        token = invite(manager_client, make_set(manager_client, bank)["id"])["token"]
        candidate_client.post(f"/api/v1/invitations/{token}/accept/")
        response = candidate_client.post(f"/api/v1/invitations/{token}/accept/")
        assert response.status_code == 409 and "already been used" in response.data["detail"]
        assert InterviewSession.objects.count() == 1

    def test_an_expired_invitation_is_409(self, manager_client, candidate_client, bank):
        with time_machine.travel(T0, tick=False):
            token = invite(
                manager_client, make_set(manager_client, bank)["id"], expires_at=(T0 + timedelta(days=2)).isoformat()
            )["token"]
        with time_machine.travel(T0 + timedelta(days=2, seconds=1), tick=False):
            response = candidate_client.post(f"/api/v1/invitations/{token}/accept/")
        assert response.status_code == 409 and "expired" in response.data["detail"]
        assert not InterviewSession.objects.exists()

    def test_a_revoked_invitation_is_409(self, manager_client, candidate_client, bank):
        invitation = invite(manager_client, make_set(manager_client, bank)["id"])
        revoked = manager_client.post(f"/api/v1/invitations/{invitation['id']}/revoke/")
        assert revoked.status_code == 200 and revoked.data["status"] == "revoked"
        response = candidate_client.post(f"/api/v1/invitations/{invitation['token']}/accept/")
        assert response.status_code == 409 and "withdrawn" in response.data["detail"]

    def test_accept_needs_login_and_the_invited_email(self, manager_client, anon_client, client_for, bank):
        token = invite(manager_client, make_set(manager_client, bank)["id"])["token"]
        assert anon_client.post(f"/api/v1/invitations/{token}/accept/").status_code == 401
        stranger = client_for(UserFactory(username="mallory"))
        assert stranger.post(f"/api/v1/invitations/{token}/accept/").status_code == 404
        assert stranger.get(f"/api/v1/invitations/{token}/").status_code == 404

    def test_guessed_or_altered_tokens_are_404(self, manager_client, candidate_client, bank):
        token = invite(manager_client, make_set(manager_client, bank)["id"])["token"]
        public_id, secret = token.split(".")
        altered = secret[:-1] + ("B" if secret.endswith("A") else "A")  # one character off
        for guess in [f"{public_id}.{altered}", f"{public_id}.x", f"AAAAAAAAAAAA.{secret}", "nonsense"]:
            assert candidate_client.post(f"/api/v1/invitations/{guess}/accept/").status_code == 404
        assert not InterviewSession.objects.exists()

    def test_tokens_come_from_secrets_and_compare_in_constant_time(self, manager_client, candidate_client, bank):
        with mock.patch("hiring.tokens.secrets.token_urlsafe", side_effect=["pubpubpubpub", "s" * 43]) as rand:
            token = invite(manager_client, make_set(manager_client, bank)["id"])["token"]
        assert token == "pubpubpubpub." + "s" * 43 and rand.call_count == 2
        with mock.patch("hiring.tokens.hmac.compare_digest", wraps=__import__("hmac").compare_digest) as compare:
            candidate_client.get(f"/api/v1/invitations/{token}/")
        assert compare.called

    def test_the_invited_candidate_sees_the_set_before_accepting(self, manager_client, candidate_client, bank):
        token = invite(manager_client, make_set(manager_client, bank)["id"], extra_minutes=10)["token"]
        data = candidate_client.get(f"/api/v1/invitations/{token}/").data
        assert data["question_set"] == "Backend loop" and data["time_limit_minutes"] == 40
        assert data["status"] == "pending"

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"email": "not-an-email"}, "email"),
            ({"extra_minutes": -5}, "extra_minutes"),
            ({"expires_at": "2000-01-01T00:00:00Z"}, "expires_at"),
            ({"expires_at": "2999-01-01T00:00:00Z"}, "expires_at"),
        ],
    )
    def test_invalid_invitations_are_400(self, manager_client, bank, body, field):
        data = make_set(manager_client, bank)
        response = manager_client.post(
            f"{SETS}{data['id']}/invitations/", {"email": "casey@example.com", **body}, format="json"
        )
        assert response.status_code == 400 and field in response.data
        assert not Invitation.objects.exists()


class TestResults:
    def answer_invited_session(self, manager_client, candidate_client, bank, answers):
        data = make_set(manager_client, bank)
        token = invite(manager_client, data["id"])["token"]
        session = candidate_client.post(f"/api/v1/invitations/{token}/accept/").data
        for position, body in answers.items():
            candidate_client.post(
                f"/api/v1/sessions/{session['id']}/answers/", {"position": position, **body}, format="json"
            )
        candidate_client.post(f"/api/v1/sessions/{session['id']}/finish/")
        return data, session

    def test_results_show_each_candidates_answers_ratings_times_and_score(self, manager_client, candidate_client, bank):
        data, session = self.answer_invited_session(
            manager_client,
            candidate_client,
            bank,
            {1: {"answer": "B-trees", "key_points_hit": [0, 1]}, 2: {"answer": "no idea", "rating": "again"}},
        )
        invite(manager_client, data["id"], email="pat@example.com")  # invited, not started
        rows = manager_client.get(f"{SETS}{data['id']}/sessions/").data
        done = next(r for r in rows if r["session"])
        pending = next(r for r in rows if not r["session"])
        assert pending["status"] == "pending" and pending["invitation"]["email"] == "pat@example.com"
        assert done["status"] == "accepted" and done["candidate"] == "casey"
        questions = done["session"]["questions"]
        assert questions[0]["answer"] == "B-trees" and questions[0]["key_points_hit"] == [0, 1]
        assert questions[0]["rating"] == "easy" and questions[1]["rating"] == "again"
        assert questions[0]["time_spent_seconds"] is not None
        assert done["summary"]["answered"] == 2 and done["summary"]["score"] == pytest.approx(1 / 3, abs=1e-3)

    def test_csv_has_one_row_per_answered_question_and_escapes_formulas(self, manager_client, candidate_client, bank):
        data, _ = self.answer_invited_session(
            manager_client,
            candidate_client,
            bank,
            {1: {"answer": '=HYPERLINK("http://evil")'}, 2: {"answer": "+1"}, 3: {"answer": "@SUM(A1)"}},
        )
        response = manager_client.get(f"{SETS}{data['id']}/sessions/csv/")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert len(rows) == 3
        assert [r["answer"] for r in rows] == ['\'=HYPERLINK("http://evil")', "'+1", "'@SUM(A1)"]
        assert rows[0]["email"] == "casey@example.com"

    def test_csv_skips_unanswered_questions(self, manager_client, candidate_client, bank):
        data, _ = self.answer_invited_session(manager_client, candidate_client, bank, {2: {"answer": "-1 is fine"}})
        rows = list(
            csv.DictReader(io.StringIO(manager_client.get(f"{SETS}{data['id']}/sessions/csv/").content.decode()))
        )
        assert [(r["position"], r["answer"]) for r in rows] == [("2", "'-1 is fine")]


class TestQuestionStats:
    def test_managers_see_stats_on_the_question_and_failing_questions_are_flagged(
        self, manager_client, candidate_client, client_for, bank
    ):
        question = bank[0]
        for i in range(5):
            client = client_for(UserFactory(username=f"c{i}"))
            session = client.post("/api/v1/sessions/", {"count": 6, "categories": ["databases"]}, format="json").data
            position = next(q["position"] for q in session["questions"] if q["question_id"] == question.pk)
            client.post(
                f"/api/v1/sessions/{session['id']}/answers/",
                {"position": position, "answer": "x", "key_points_hit": []},
                format="json",
            )
        stats = manager_client.get(f"/api/v1/questions/{question.pk}/").data["stats"]
        assert stats["times_asked"] == 5 and stats["times_answered"] == 5
        assert stats["again_share"] == 1.0 and stats["mean_score"] == 0.0 and stats["flagged"] is True
        assert "stats" not in candidate_client.get(f"/api/v1/questions/{question.pk}/").data

    def test_the_admin_list_shows_how_questions_fare(self, client, hiring_manager, bank):
        client.force_login(hiring_manager)
        response = client.get("/admin/questions/question/")
        assert response.status_code == 200
        for column in ("asked", "again %", "mean time (s)", "flagged"):
            assert column in response.text.lower()


class TestSetSize:
    """A set asks for at most what one session holds (SESSION_MAX_QUESTIONS), as a fixed set or a blueprint."""

    def test_a_fixed_set_of_more_than_a_session_holds_is_a_400(self, manager_client, settings):
        settings.SESSION_MAX_QUESTIONS = 3
        questions = QuestionFactory.create_batch(4)
        body = {"name": "Too long", "questions": [q.pk for q in questions], "time_limit_minutes": 30}
        response = manager_client.post(SETS, body, format="json")
        assert response.status_code == 400
        assert response.data["questions"] == ["The set asks for 4 questions; at most 3."]
        assert not QuestionSet.objects.exists()

    def test_a_blueprint_asking_for_more_than_a_session_holds_is_a_400(self, manager_client, bank, settings):
        settings.SESSION_MAX_QUESTIONS = 3
        body = {"name": "Too long", "rules": [{"category": "databases", "count": 2}] * 2, "time_limit_minutes": 30}
        response = manager_client.post(SETS, body, format="json")
        assert response.status_code == 400
        assert response.data["rules"] == ["The set asks for 4 questions; at most 3."]
        assert not QuestionSet.objects.exists()
