"""manage.py import_questions / export_questions (SPEC §7: every bad item reported, nothing written)."""

import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from questions.models import Category, Question, Tag
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db


def good_question(n=0, **overrides):
    return {
        "key": f"databases/question-{n}",
        "category": "databases",
        "title": f"Question {n}",
        "difficulty": "mid",
        "expected_minutes": 6,
        "status": "published",
        "tags": ["sql"],
        "prompt": f"Prompt {n}?",
        "model_answer": f"Answer {n}.",
        "key_points": ["one", "two", "three"],
        "follow_ups": [],
        **overrides,
    }


def bank(*questions):
    return {
        "format": "interview-bank/v1",
        "categories": [{"slug": "databases", "name": "Databases", "description": "", "display_order": 1}],
        "tags": [{"slug": "sql", "name": "SQL"}],
        "questions": list(questions),
    }


def write(tmp_path, data, name="bank.yaml", fmt="yaml"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if fmt == "json" else yaml.safe_dump(data))
    return str(path)


def import_errors(path, capsys):
    with pytest.raises(CommandError) as exc:
        call_command("import_questions", path)
    return capsys.readouterr().err, str(exc.value)


def test_import_creates_categories_tags_and_questions(tmp_path, capsys):
    call_command("import_questions", write(tmp_path, bank(good_question(1), good_question(2))))
    assert "2 created" in capsys.readouterr().out
    question = Question.objects.get(key="databases/question-1")
    assert question.category.slug == "databases"
    assert list(question.tags.values_list("slug", flat=True)) == ["sql"]
    assert question.key_points == ["one", "two", "three"]


def test_import_reads_json_too(tmp_path):
    call_command("import_questions", write(tmp_path, bank(good_question()), "bank.json", "json"))
    assert Question.objects.count() == 1


def test_reimport_updates_by_key_instead_of_duplicating(tmp_path, capsys):
    call_command("import_questions", write(tmp_path, bank(good_question(1))))
    call_command("import_questions", write(tmp_path, bank(good_question(1))))
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    call_command("import_questions", write(tmp_path, bank(good_question(1, prompt="A sharper prompt?"))))
    assert "1 updated" in capsys.readouterr().out
    question = Question.objects.get()
    assert question.prompt == "A sharper prompt?"
    assert question.revision == 2


def test_dry_run_reports_and_writes_nothing(tmp_path, capsys):
    call_command("import_questions", write(tmp_path, bank(good_question())), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not Question.objects.exists() and not Category.objects.exists() and not Tag.objects.exists()


def test_bad_file_reports_every_bad_item_with_index_and_field(tmp_path, capsys):
    missing = good_question(1)
    del missing["prompt"]
    data = bank(
        good_question(0),
        missing,
        good_question(2, category="astrology"),
        good_question(3, difficulty="expert"),
        good_question(0),  # duplicate key
        good_question(5, tags=["nope"]),
    )
    err, message = import_errors(write(tmp_path, data), capsys)
    assert "bank.yaml questions[1] prompt: This field is required." in err
    assert "bank.yaml questions[2] category: unknown category 'astrology'" in err
    assert "bank.yaml questions[3] difficulty: 'expert' is not a valid choice; allowed: junior, mid, senior." in err
    assert "bank.yaml questions[4] key: duplicate key 'databases/question-0' (first at bank.yaml questions[0])" in err
    assert "bank.yaml questions[5] tags: unknown tags ['nope']" in err
    assert "5 error(s); nothing was imported." in message
    assert not Question.objects.exists() and not Category.objects.exists()


def test_file_that_is_not_json_or_yaml_is_rejected(tmp_path, capsys):
    path = tmp_path / "bank.yaml"
    path.write_text("questions: [unclosed\n  - : :")
    err, _ = import_errors(str(path), capsys)
    assert "not valid YAML or JSON" in err
    path = tmp_path / "bank.json"
    path.write_text("{not json")
    err, _ = import_errors(str(path), capsys)
    assert "not valid JSON" in err
    assert not Question.objects.exists()


def test_wrong_shapes_are_reported(tmp_path, capsys):
    err, _ = import_errors(write(tmp_path, ["a", "list"]), capsys)
    assert "expected a mapping" in err
    err, _ = import_errors(write(tmp_path, {"questions": "many"}), capsys)
    assert "questions: expected a list" in err
    err, _ = import_errors(write(tmp_path, bank(good_question(surprise=1))), capsys)
    assert "questions[0]: unknown fields ['surprise']" in err


def test_one_bad_item_among_good_ones_writes_nothing(tmp_path, capsys):
    existing = QuestionFactory(key="databases/question-0", category=CategoryFactory(slug="databases"))
    data = bank(good_question(0, prompt="changed"), good_question(1, expected_minutes=-1))
    import_errors(write(tmp_path, data), capsys)
    existing.refresh_from_db()
    assert existing.prompt != "changed"
    assert Question.objects.count() == 1


def test_export_then_import_reproduces_the_bank(tmp_path, capsys):
    category = CategoryFactory(slug="caching", name="Caching", description="Fast reads", display_order=3)
    tag = TagFactory(slug="redis", name="Redis")
    QuestionFactory(
        category=category,
        tags=[tag],
        prompt="Multi-line\n\n```sql\nSELECT 1;\n```",
        follow_ups=["Why: because?"],
    )
    QuestionFactory(category=category, status="draft", follow_ups=[])
    out = tmp_path / "export.yaml"
    call_command("export_questions", "-o", str(out))
    first = out.read_text()

    Question.objects.all().delete()
    Category.objects.all().delete()
    Tag.objects.all().delete()
    call_command("import_questions", str(out))
    again = tmp_path / "again.yaml"
    call_command("export_questions", "-o", str(again))
    assert again.read_text() == first

    call_command("export_questions", "-o", str(tmp_path / "export.json"))
    assert json.loads((tmp_path / "export.json").read_text()) == yaml.safe_load(first)


def test_a_new_key_whose_prefix_is_another_category_is_reported_and_nothing_written(tmp_path, capsys):
    data = bank(good_question(0), good_question(1, key="caching/question-1"))
    err, message = import_errors(write(tmp_path, data), capsys)
    assert (
        "bank.yaml questions[1] key: The key must start with its category: 'databases/...', not 'caching/...'." in err
    )
    assert "1 error(s); nothing was imported." in message
    assert not Question.objects.exists()


def test_a_question_moved_to_another_category_reimports_with_its_old_key(tmp_path, capsys):
    QuestionFactory(key="caching/moved", category=CategoryFactory(slug="databases"))
    call_command("import_questions", write(tmp_path, bank(good_question(0, key="caching/moved"))))
    assert Question.objects.get().prompt == "Prompt 0?"
