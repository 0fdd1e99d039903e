"""Writes to the question bank: create, edit (with revisions), delete or retire."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.text import slugify

from questions.bank import Bank
from questions.models import Category, Question, Tag
from questions.pools import bank_version_bump


def question_key_for(*, category: Category, title: str) -> str:
    """A new stable key `<category>/<slug of title>`, suffixed until unique."""
    base = f"{category.slug}/{slugify(title)[:100].strip('-') or 'question'}"
    key, n = base, 2
    while Question.objects.filter(key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def question_create(
    *,
    now: datetime,
    category: Category,
    title: str,
    prompt: str,
    model_answer: str,
    key_points: list[str],
    difficulty: str,
    expected_minutes: int,
    follow_ups: list[str] | None = None,
    status: str = Question.Status.DRAFT,
    tags: Iterable[Tag] = (),
    author=None,
    key: str | None = None,
) -> Question:
    """Add a question at revision 1; `key` defaults to one derived from the title."""
    question = Question.objects.create(
        key=key or question_key_for(category=category, title=title),
        category=category,
        title=title,
        prompt=prompt,
        model_answer=model_answer,
        key_points=list(key_points),
        follow_ups=list(follow_ups or []),
        difficulty=difficulty,
        expected_minutes=expected_minutes,
        status=status,
        author=author,
        created_at=now,
        updated_at=now,
    )
    question.tags.set(tags)
    bank_version_bump()
    return question


@transaction.atomic
def question_update(*, question: Question, now: datetime, tags: Iterable[Tag] | None = None, **changes) -> Question:
    """Apply `changes` (model field names) and `tags`; bump the revision on content edits.

    A change to any of Question.CONTENT_FIELDS raises `revision` by one, so a
    snapshot taken at an earlier revision still tells what was asked.
    Returns the question; saves nothing when nothing changed.
    """
    unknown = set(changes) - {f.name for f in Question._meta.concrete_fields}
    if unknown:
        raise TypeError(f"Unknown question fields: {sorted(unknown)}")
    changed = [name for name, value in changes.items() if getattr(question, name) != value]
    for name in changed:
        setattr(question, name, changes[name])
    if any(name in Question.CONTENT_FIELDS for name in changed):
        question.revision += 1
        changed.append("revision")
    tags_changed = False
    if tags is not None:
        new_tags = {tag.pk for tag in tags}
        if new_tags != set(question.tags.values_list("pk", flat=True)):
            question.tags.set(new_tags)
            tags_changed = True
    if changed or tags_changed:
        # updated_at moves on tag changes too: it drives Last-Modified.
        question.updated_at = now
        question.save(update_fields=[*changed, "updated_at"])
        bank_version_bump()
    return question


def question_delete(*, question: Question, now: datetime) -> Question | None:
    """Delete a question, or retire it when it was ever asked.

    Rows that record a question being asked protect it (on_delete=PROTECT),
    so deleting such a question retires it instead and returns it; a
    deleted question returns None.
    """
    try:
        with transaction.atomic():
            question.delete()
            bank_version_bump()
    except (ProtectedError, IntegrityError):
        return question_update(question=question, now=now, status=Question.Status.RETIRED)
    return None


@transaction.atomic
def questions_set_status(*, questions: QuerySet[Question], status: str, now: datetime) -> int:
    """Publish or retire many questions at once; returns how many changed."""
    if status not in Question.Status.values:
        raise ValueError(f"Unknown status {status!r}; allowed: {Question.Status.values}")
    changed = questions.exclude(status=status).update(status=status, updated_at=now)
    if changed:
        bank_version_bump()
    return changed


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False


@transaction.atomic
def bank_import(*, bank: Bank, now: datetime, dry_run: bool = False, author=None) -> ImportReport:
    """Write a validated bank in one transaction; rolled back when `dry_run`.

    Categories and tags are upserted by slug and questions by key, so
    importing the same bank twice changes nothing the second time.
    """
    report = ImportReport(dry_run=dry_run)
    for item in bank.categories:
        Category.objects.update_or_create(slug=item["slug"], defaults=item)
    for item in bank.tags:
        Tag.objects.update_or_create(slug=item["slug"], defaults=item)
    categories = {c.slug: c for c in Category.objects.all()}
    tags = {t.slug: t for t in Tag.objects.all()}
    existing = {q.key: q for q in Question.objects.filter(key__in=[i["key"] for i in bank.questions])}
    for item in bank.questions:
        fields = {k: v for k, v in item.items() if k not in ("key", "category", "tags")}
        fields["category"] = categories[item["category"]]
        question_tags = [tags[slug] for slug in item["tags"]]
        question = existing.get(item["key"])
        if question is None:
            question_create(key=item["key"], tags=question_tags, author=author, now=now, **fields)
            report.created += 1
            continue
        before = (question.revision, question.updated_at)
        question_update(question=question, tags=question_tags, now=now, **fields)
        if (question.revision, question.updated_at) == before:
            report.unchanged += 1
        else:
            report.updated += 1
    # Category and tag names and descriptions are shown too, changed or not.
    bank_version_bump()
    if dry_run:
        transaction.set_rollback(True)
    return report
