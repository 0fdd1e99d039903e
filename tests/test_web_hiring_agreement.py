"""The agreement page: hiring managers only."""

import pytest

from hiring.services import question_set_create
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db


def test_manager_sees_agreement_and_candidate_gets_404(client, hiring_manager, candidate):
    qset = question_set_create(owner=hiring_manager, name="Loop", time_limit_minutes=10, questions=[QuestionFactory()])
    client.force_login(hiring_manager)
    response = client.get(f"/hiring/sets/{qset.pk}/agreement/")
    assert response.status_code == 200
    assert "0.8 or more is reliable" in response.content.decode()
    client.force_login(candidate)
    assert client.get(f"/hiring/sets/{qset.pk}/agreement/").status_code == 404
