"""The admin for question sets (inline ordered items and rules) and invitations (with status)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from hiring.models import Invitation, QuestionSet, QuestionSetItem
from hiring.services import INVITATION_DEFAULT_DAYS, invitation_for_token
from tests.factories import CategoryFactory, HiringManagerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def admin_browser(client, hiring_manager):
    client.force_login(hiring_manager)
    return client


def make_set(owner, visibility="private", name="Loop"):
    question_set = QuestionSet.objects.create(owner=owner, name=name, time_limit_minutes=30, visibility=visibility)
    for position, question in enumerate(QuestionFactory.create_batch(2), 1):
        QuestionSetItem.objects.create(question_set=question_set, position=position, question=question)
    return question_set


def test_sets_show_their_ordered_items_inline(admin_browser, hiring_manager):
    question_set = make_set(hiring_manager)
    page = admin_browser.get(f"/admin/hiring/questionset/{question_set.pk}/change/")
    assert page.status_code == 200
    assert "Question set items" in page.text and "Question set rules" in page.text


def test_another_managers_private_set_is_not_in_the_admin(admin_browser):
    other = HiringManagerFactory(username="riley")
    private, shared = make_set(other, name="Private one"), make_set(other, "shared", name="Shared one")
    listing = admin_browser.get("/admin/hiring/questionset/").text
    assert "Shared one" in listing and "Private one" not in listing
    assert admin_browser.get(f"/admin/hiring/questionset/{private.pk}/change/").status_code == 302
    assert admin_browser.get(f"/admin/hiring/questionset/{shared.pk}/change/").status_code == 200


def test_invitations_list_their_status(admin_browser, hiring_manager):
    question_set = make_set(hiring_manager)
    now = timezone.now()
    for email, fields in [
        ("pending@example.com", {}),
        ("late@example.com", {"expires_at": now - timedelta(days=1)}),
        ("gone@example.com", {"revoked_at": now}),
    ]:
        Invitation.objects.create(
            question_set=question_set,
            email=email,
            public_id=email[:12],
            secret_hash="x" * 64,
            created_by=hiring_manager,
            **{"expires_at": now + timedelta(days=3), **fields},
        )
    listing = admin_browser.get("/admin/hiring/invitation/").text
    for status in ("pending", "expired", "revoked"):
        assert status in listing


def _invitation(question_set, created_by, email, **fields):
    return Invitation.objects.create(
        question_set=question_set,
        email=email,
        public_id=email[:12],
        secret_hash="x" * 64,
        created_by=created_by,
        **{"expires_at": timezone.now() + timedelta(days=3), **fields},
    )


def test_on_a_shared_set_a_manager_lists_and_revokes_only_the_invitations_they_sent(admin_browser, hiring_manager):
    owner = HiringManagerFactory(username="riley")
    shared = make_set(owner, "shared", name="Shared one")
    owners = _invitation(shared, owner, "owners@example.com")
    mine = _invitation(shared, hiring_manager, "mine@example.com")
    listing = admin_browser.get("/admin/hiring/invitation/").text
    assert "mine@example.com" in listing and "owners@example.com" not in listing
    admin_browser.post(
        "/admin/hiring/invitation/", {"action": "revoke", "_selected_action": [owners.pk, mine.pk]}, follow=True
    )
    owners.refresh_from_db()
    mine.refresh_from_db()
    assert owners.revoked_at is None and mine.revoked_at is not None


def _set_form(items=(), rules=(), **fields):
    """The admin's add/change POST for a set: its fields and both inlines' management forms."""
    data = {"name": "Admin loop", "description": "", "time_limit_minutes": 30, "visibility": "private", **fields}
    for prefix, rows in (("items", items), ("rules", rules)):
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0}
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data


class TestSetContentsInTheAdmin:
    """A set holds exactly one of items or rules, checked as the API checks them (SPEC §4)."""

    @pytest.fixture
    def databases(self, db):
        category = CategoryFactory(slug="databases")
        QuestionFactory.create_batch(3, category=category, difficulty="mid")
        return category

    def test_a_set_with_neither_items_nor_rules_is_refused(self, admin_browser):
        page = admin_browser.post("/admin/hiring/questionset/add/", _set_form())
        assert page.status_code == 200 and "Give either" in page.text
        assert not QuestionSet.objects.exists()

    def test_a_set_with_both_items_and_rules_is_refused(self, admin_browser, databases):
        question = QuestionFactory()
        form = _set_form(
            items=[{"position": 1, "question": question.pk}],
            rules=[{"position": 1, "category": databases.pk, "difficulty": "", "count": 1}],
        )
        page = admin_browser.post("/admin/hiring/questionset/add/", form)
        assert page.status_code == 200 and "Give either" in page.text
        assert not QuestionSet.objects.exists()

    @pytest.mark.parametrize("status", ["draft", "retired"])
    def test_unpublished_questions_are_refused(self, admin_browser, status):
        hidden = QuestionFactory(status=status)
        page = admin_browser.post(
            "/admin/hiring/questionset/add/", _set_form(items=[{"position": 1, "question": hidden.pk}])
        )
        assert page.status_code == 200 and f"[{hidden.pk}] are not published" in page.text
        assert not QuestionSet.objects.exists()

    def test_a_blueprint_the_bank_cannot_fill_is_refused_naming_the_pool(self, admin_browser, databases):
        rules = [{"position": 1, "category": databases.pk, "difficulty": "mid", "count": 4}]
        page = admin_browser.post("/admin/hiring/questionset/add/", _set_form(rules=rules))
        assert page.status_code == 200
        assert "Rule 1: The pool &#x27;databases, mid&#x27; holds 3 published questions; 4 asked." in page.text
        assert not QuestionSet.objects.exists()

    @pytest.mark.parametrize(
        ("fields", "rule_count", "message"),
        [
            ({"time_limit_minutes": 0}, 1, "Ensure this value is greater than or equal to 1."),
            ({}, 0, "Ensure this value is greater than or equal to 1."),
            ({}, 51, "Ensure this value is less than or equal to 50."),
        ],
    )
    def test_limits_of_the_api_apply_in_the_admin(self, admin_browser, databases, fields, rule_count, message):
        rules = [{"position": 1, "category": databases.pk, "difficulty": "", "count": rule_count}]
        page = admin_browser.post("/admin/hiring/questionset/add/", _set_form(rules=rules, **fields))
        assert page.status_code == 200 and message in page.text
        assert not QuestionSet.objects.exists()

    def test_rules_asking_more_than_a_session_holds_are_refused(self, admin_browser, databases):
        rules = [{"position": i, "category": databases.pk, "difficulty": "", "count": 30} for i in (1, 2)]
        page = admin_browser.post("/admin/hiring/questionset/add/", _set_form(rules=rules))
        assert page.status_code == 200 and "The set asks for 60 questions; at most 50." in page.text
        assert not QuestionSet.objects.exists()

    def test_a_valid_fixed_set_and_a_valid_blueprint_are_saved(self, admin_browser, hiring_manager, databases):
        first, second = QuestionFactory.create_batch(2)
        items = [{"position": 1, "question": second.pk}, {"position": 2, "question": first.pk}]
        admin_browser.post("/admin/hiring/questionset/add/", _set_form(items=items, name="Fixed"))
        rules = [{"position": 1, "category": databases.pk, "difficulty": "mid", "count": 3}]
        admin_browser.post("/admin/hiring/questionset/add/", _set_form(rules=rules, name="Blueprint"))
        fixed, blueprint = QuestionSet.objects.get(name="Fixed"), QuestionSet.objects.get(name="Blueprint")
        assert list(fixed.items.values_list("question_id", flat=True)) == [second.pk, first.pk]
        assert fixed.owner == hiring_manager and blueprint.rules.get().count == 3

    def test_deleting_every_item_of_a_set_is_refused(self, admin_browser, hiring_manager):
        question_set = make_set(hiring_manager)
        items = list(question_set.items.all())
        form = _set_form()
        form |= {"items-TOTAL_FORMS": 2, "items-INITIAL_FORMS": 2}
        for index, item in enumerate(items):
            form |= {
                f"items-{index}-id": item.pk,
                f"items-{index}-question_set": question_set.pk,
                f"items-{index}-position": item.position,
                f"items-{index}-question": item.question_id,
                f"items-{index}-DELETE": "on",
            }
        page = admin_browser.post(f"/admin/hiring/questionset/{question_set.pk}/change/", form)
        assert page.status_code == 200 and "Give either" in page.text
        assert question_set.items.count() == 2


class TestCreatingInvitationsInTheAdmin:
    """The admin's add form calls hiring.services.invitation_create and shows the link once."""

    URL = "/admin/hiring/invitation/add/"

    def test_the_set_chooser_offers_only_sets_the_manager_may_use(self, admin_browser, hiring_manager):
        other = HiringManagerFactory(username="riley")
        mine, shared = make_set(hiring_manager, name="Mine"), make_set(other, "shared", name="Theirs shared")
        private = make_set(other, name="Theirs private")
        page = admin_browser.get(self.URL)
        assert page.status_code == 200
        choices = {value for value, _ in page.context["adminform"].form.fields["question_set"].choices if value}
        assert {int(str(value)) for value in choices} == {mine.pk, shared.pk}
        response = admin_browser.post(self.URL, {"question_set": private.pk, "email": "pat@example.com"})
        assert "Choose one of your own question sets or a shared one." in response.text
        assert not Invitation.objects.exists()

    def test_a_new_invitation_shows_its_link_once_and_opens_for_the_invited_email(self, admin_browser, hiring_manager):
        other = HiringManagerFactory(username="riley")
        shared = make_set(other, "shared")
        with time_machine.travel(T0, tick=False):
            page = admin_browser.post(
                self.URL, {"question_set": shared.pk, "email": "casey@example.com", "extra_minutes": 15}, follow=True
            )
        invitation = Invitation.objects.get()
        assert (invitation.created_by, invitation.extra_minutes) == (hiring_manager, 15)
        assert invitation.expires_at == T0 + timedelta(days=INVITATION_DEFAULT_DAYS)
        shown = [str(m) for m in page.context["messages"] if "/invitations/" in str(m)]
        assert len(shown) == 1
        token = re.search(r"/invitations/([^/]+)/", shown[0]).group(1)
        casey = UserFactory(username="casey")
        assert invitation_for_token(token=token, user=casey) == invitation
        assert token not in admin_browser.get(f"/admin/hiring/invitation/{invitation.pk}/change/").text

    @pytest.mark.parametrize(
        ("expires_at", "message"),
        [(T0 - timedelta(days=1), "The expiry must be in the future."), (T0 + timedelta(days=91), "at most 90 days")],
    )
    def test_an_expiry_the_service_refuses_is_a_form_error_and_writes_nothing(
        self, admin_browser, hiring_manager, expires_at, message, django_capture_on_commit_callbacks
    ):
        question_set = make_set(hiring_manager)
        form = {
            "question_set": question_set.pk,
            "email": "casey@example.com",
            "extra_minutes": 0,
            "expires_at_0": expires_at.strftime("%Y-%m-%d"),
            "expires_at_1": expires_at.strftime("%H:%M:%S"),
        }
        with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks() as callbacks:
            page = admin_browser.post(self.URL, form)
        assert page.status_code == 200 and message in page.text
        assert not Invitation.objects.exists() and callbacks == []

    def test_the_rest_of_an_invitation_stays_read_only(self, admin_browser, hiring_manager):
        invitation = _invitation(make_set(hiring_manager), hiring_manager, "pat@example.com")
        page = admin_browser.get(f"/admin/hiring/invitation/{invitation.pk}/change/")
        assert page.status_code == 200 and 'name="email"' not in page.text
        admin_browser.post(f"/admin/hiring/invitation/{invitation.pk}/change/", {"email": "else@example.com"})
        invitation.refresh_from_db()
        assert invitation.email == "pat@example.com"


def test_a_bad_email_is_a_form_error_and_writes_nothing(admin_browser, hiring_manager):
    question_set = make_set(hiring_manager)
    page = admin_browser.post(
        TestCreatingInvitationsInTheAdmin.URL,
        {"question_set": question_set.pk, "email": "not-an-email", "extra_minutes": 0},
    )
    assert page.status_code == 200 and "Enter a valid email address." in page.text
    assert not Invitation.objects.exists()


class TestScorecardsAndIntegrityEventsInTheAdmin:
    """Read-only for hiring managers, blind like the API, and never editable."""

    @pytest.fixture
    def session(self, hiring_manager):
        from hiring.services import session_start_from_set

        return session_start_from_set(
            question_set=make_set(hiring_manager), candidate=UserFactory(username="casey"), now=timezone.now()
        )

    def _scorecard(self, session, scorer):
        from hiring.models import Scorecard, ScorecardScore

        scorecard = Scorecard.objects.create(
            session=session,
            scorer=scorer,
            recommendation="yes",
            summary=f"by {scorer.username}",
            submitted_at=timezone.now(),
        )
        first = session.questions.order_by("position").first()
        ScorecardScore.objects.create(scorecard=scorecard, session_question=first, position=1, score=3)
        return scorecard

    def test_others_scorecards_are_hidden_until_the_manager_submits_their_own(
        self, admin_browser, hiring_manager, session
    ):
        theirs = self._scorecard(session, HiringManagerFactory(username="riley"))
        assert "by riley" not in admin_browser.get("/admin/hiring/scorecard/").text
        assert admin_browser.get(f"/admin/hiring/scorecard/{theirs.pk}/change/").status_code == 302
        self._scorecard(session, hiring_manager)
        assert admin_browser.get(f"/admin/hiring/scorecard/{theirs.pk}/change/").status_code == 200

    def test_a_submitted_scorecard_cannot_be_edited_or_deleted(self, admin_browser, hiring_manager, session):
        from hiring.models import IntegrityEvent

        mine = self._scorecard(session, hiring_manager)
        IntegrityEvent.objects.create(session=session, type="paste", position=1, occurred_at=timezone.now())
        page = admin_browser.get(f"/admin/hiring/scorecard/{mine.pk}/change/")
        assert page.status_code == 200 and 'name="summary"' not in page.text
        assert "paste 1, copy 0, blur 0" in page.text
        admin_browser.post(f"/admin/hiring/scorecard/{mine.pk}/change/", {"summary": "changed", "recommendation": "no"})
        admin_browser.post(f"/admin/hiring/scorecard/{mine.pk}/delete/", {"post": "yes"})
        mine.refresh_from_db()
        assert (mine.summary, mine.recommendation) == ("by morgan", "yes")
        assert admin_browser.get("/admin/hiring/scorecard/add/").status_code == 403

    def test_integrity_events_are_listed_only_for_sessions_whose_results_the_manager_reads(
        self, client, hiring_manager, session
    ):
        from hiring.models import IntegrityEvent

        IntegrityEvent.objects.create(session=session, type="blur", occurred_at=timezone.now())
        client.force_login(hiring_manager)
        assert "blur" in client.get("/admin/hiring/integrityevent/").text
        client.force_login(HiringManagerFactory(username="riley"))
        page = client.get("/admin/hiring/integrityevent/")
        assert page.status_code == 200 and page.context["cl"].result_count == 0


def test_an_admin_invitation_is_queued_for_email_as_through_the_api(
    admin_browser, hiring_manager, django_capture_on_commit_callbacks
):
    question_set = make_set(hiring_manager)
    with django_capture_on_commit_callbacks() as callbacks:
        admin_browser.post(
            TestCreatingInvitationsInTheAdmin.URL,
            {"question_set": question_set.pk, "email": "casey@example.com", "extra_minutes": 0},
        )
    invitation = Invitation.objects.get()
    assert invitation.outbox.sealed_token and invitation.outbox.done_at is None
    assert len(callbacks) == 1  # the fast path: send_invitation, enqueued after commit
