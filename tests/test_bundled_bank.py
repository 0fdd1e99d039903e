"""The bundled question bank (fixtures/bank/) meets the content bar of the product."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from questions.bank import bank_paths
from questions.models import Question
from tests.similarity import most_similar_pairs

BANK_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "bank"

MIN_PER_CATEGORY = {
    "api-design": 20,
    "databases": 20,
    "security": 20,
    "caching": 20,
    "system-design": 20,
    "authentication": 10,
    "performance": 10,
    "messaging": 10,
    "devops": 10,
    "observability": 10,
    "testing": 10,
    "networking": 10,
}

# Cosine of stemmed, sublinear TF-IDF over title + prompt. The closest pair of
# genuinely different questions scores 0.39 (API gateway vs service mesh, and
# API gateway vs BFF contract ownership: one topic, two angles); hand-written
# paraphrases of bank prompts score 0.56-0.70 against their original (see
# PARAPHRASES). 0.5 sits between the two.
NEAR_DUPLICATE_THRESHOLD = 0.5
PARAPHRASES = {
    "databases/optimise-slow-query": (
        "Speeding up a slow SQL query. One endpoint became slow and you tracked it down to a single SQL "
        "query that now runs for roughly 4 seconds. How do you optimise it? Take me through your process, "
        "beyond just adding an index."
    ),
    "caching/redis-vs-memcached": (
        "Explain the differences between Redis and Memcached, and when you would pick each one for a cache."
    ),
}

# Every interview question the syllabus guides list, and where it is asked.
SYLLABUS_QUESTIONS = {
    "How do you design a scalable and secure RESTful API?": "api-design/scalable-secure-rest-api",
    "What are the differences between REST and GraphQL?": "api-design/rest-vs-graphql",
    "How would you optimize a slow SQL query?": "databases/optimise-slow-query",
    "Explain database normalization and denormalization.": "databases/normalisation-vs-denormalisation",
    "How would you implement JWT-based authentication in an API?": "authentication/jwt-api-implementation",
    "What is cross-site scripting (XSS), and how would you prevent it?": "security/xss-prevention",
    "Explain the MVC architecture.": "api-design/mvc-architecture",
    "How do you handle background tasks?": "messaging/background-tasks-emails",
    "How would you implement caching in a web application?": "caching/implement-caching-web-app",
    "Explain the differences between Redis and Memcached.": "caching/redis-vs-memcached",
    "How would you design a system to handle millions of requests per second?": (
        "system-design/millions-of-requests-per-second"
    ),
    "What strategies would you use to scale a backend service?": "system-design/scaling-a-backend-service",
}

# Topics the bank must let an interviewer ask about (issue #3), as words that
# must appear in some question's title, prompt or tags.
TOPICS = [
    "resource",
    "status code",
    "versioning",
    "pagination",
    "idempotency",
    "rate limit",
    "graphql",
    "grpc",
    "websocket",
    "openapi",
    "join",
    "index",
    "explain",
    "n+1",
    "isolation",
    "normalis",
    "replica",
    "shard",
    "nosql",
    "migration",
    "owasp",
    "xss",
    "csrf",
    "cors",
    "sql injection",
    "secret",
    "encrypt",
    "password",
    "jwt",
    "oauth",
    "oidc",
    "rbac",
    "abac",
    "mfa",
    "cache-aside",
    "write-through",
    "invalidation",
    "stampede",
    "ttl",
    "memcached",
    "cdn",
    "load balanc",
    "horizontal",
    "microservice",
    "event-driven",
    "cap",
    "consistency",
    "million",
    "profil",
    "connection pool",
    "async",
    "queue",
    "at-least-once",
    "idempotent",
    "outbox",
    "background",
    "docker",
    "kubernetes",
    "ci/cd",
    "terraform",
    "blue-green",
    "canary",
    "structured log",
    "metric",
    "tracing",
    "slo",
    "unit test",
    "integration test",
    "contract test",
    "load-test",
    "http/2",
    "http/3",
    "tls",
    "dns",
    "tcp",
    "udp",
]


def load_questions():
    questions = []
    for path in bank_paths([BANK_DIR]):
        questions.extend(yaml.safe_load(path.read_text()).get("questions") or [])
    return questions


QUESTIONS = load_questions()


def test_at_least_180_published_questions_over_the_twelve_categories():
    counts = Counter(q["category"] for q in QUESTIONS)
    assert len(QUESTIONS) >= 180
    assert all(q["status"] == "published" for q in QUESTIONS)
    for category, minimum in MIN_PER_CATEGORY.items():
        assert counts[category] >= minimum, f"{category}: {counts[category]} < {minimum}"
    assert set(counts) == set(MIN_PER_CATEGORY)


@pytest.mark.parametrize("category", MIN_PER_CATEGORY)
def test_every_difficulty_is_at_least_a_quarter_of_each_category(category):
    in_category = [q for q in QUESTIONS if q["category"] == category]
    counts = Counter(q["difficulty"] for q in in_category)
    for difficulty in ("junior", "mid", "senior"):
        assert counts[difficulty] * 4 >= len(in_category), f"{category}/{difficulty}: {dict(counts)}"


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["key"] for q in QUESTIONS])
def test_every_question_is_complete_and_within_bounds(question):
    assert question["key"].startswith(question["category"] + "/")
    assert 10 <= len(question["title"]) <= 120
    assert question["prompt"].strip().endswith(("?", ".", ":")) or "?" in question["prompt"]
    words = len(question["model_answer"].split())
    assert 120 <= words <= 400, f"model answer has {words} words"
    assert 3 <= len(question["key_points"]) <= 6
    assert all(0 < len(point) <= 140 for point in question["key_points"])
    assert 0 <= len(question["follow_ups"]) <= 3
    assert 1 <= len(question["tags"]) <= 5
    assert 2 <= question["expected_minutes"] <= 30


def test_no_two_prompts_are_near_duplicates():
    texts = {q["key"]: f"{q['title']} {q['prompt']}" for q in QUESTIONS}
    score, a, b = most_similar_pairs(texts, top=1)[0]
    assert score < NEAR_DUPLICATE_THRESHOLD, f"{a} and {b} are near-duplicates ({score:.2f})"


@pytest.mark.parametrize(("original", "paraphrase"), PARAPHRASES.items())
def test_similarity_check_catches_a_paraphrase(original, paraphrase):
    texts = {q["key"]: f"{q['title']} {q['prompt']}" for q in QUESTIONS}
    texts["paraphrase"] = paraphrase
    pairs = most_similar_pairs(texts, top=len(texts))
    score, a, b = next(pair for pair in pairs if "paraphrase" in pair)
    assert {a, b} == {original, "paraphrase"}
    assert score >= NEAR_DUPLICATE_THRESHOLD


@pytest.mark.parametrize(("asked", "key"), SYLLABUS_QUESTIONS.items())
def test_every_syllabus_interview_question_is_in_the_bank(asked, key):
    assert key in {q["key"] for q in QUESTIONS}, asked


@pytest.mark.parametrize("topic", TOPICS)
def test_every_listed_topic_can_be_asked(topic):
    haystacks = [
        " ".join([q["title"], q["prompt"], " ".join(q["tags"])]).lower().replace("normaliz", "normalis")
        for q in QUESTIONS
    ]
    assert any(topic in text for text in haystacks), topic


@pytest.mark.django_db
def test_bank_loads_like_make_run_and_exports_back_unchanged(tmp_path):
    # The same command bin/run uses on an empty database.
    call_command("import_questions", "--if-empty", str(BANK_DIR))
    assert Question.objects.filter(status="published").count() == len(QUESTIONS)
    call_command("import_questions", "--if-empty", str(BANK_DIR))  # second run: a no-op
    assert Question.objects.count() == len(QUESTIONS)

    out = tmp_path / "export.yaml"
    call_command("export_questions", "-o", str(out))
    exported = {q["key"]: q for q in yaml.safe_load(out.read_text())["questions"]}
    shipped = {q["key"]: {**q, "tags": sorted(q["tags"])} for q in QUESTIONS}
    assert exported == shipped
