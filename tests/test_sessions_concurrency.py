"""Two racing answers to one position record exactly one (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from interview_bank.exceptions import Conflict
from interviews.models import SessionQuestion
from interviews.services import answer_submit, session_start_from_request
from tests.factories import CategoryFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent connections (CI runs it)")


def test_two_racing_answers_for_one_position_record_exactly_one():
    candidate = UserFactory()
    QuestionFactory.create_batch(3, category=CategoryFactory(slug="databases"))
    session = session_start_from_request(candidate=candidate, now=timezone.now(), count=2)
    barrier = threading.Barrier(8)
    outcomes = []

    def answer(text):
        try:
            barrier.wait()
            answer_submit(session_id=session.pk, candidate=candidate, now=timezone.now(), position=1, answer=text)
            outcomes.append("recorded")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(f"answer {i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["recorded"]
    item = SessionQuestion.objects.get(session=session, position=1)
    assert item.answer.startswith("answer ")
