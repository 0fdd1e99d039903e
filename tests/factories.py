"""factory_boy factories for the domain."""

import importlib

import factory
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from rest_framework.authtoken.models import Token

from accounts.roles import HIRING_MANAGER_PERMISSION, HIRING_MANAGERS_GROUP
from questions.models import Category, Question, Tag


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def token(user, create, extracted, **kwargs):
        if create:
            Token.objects.get_or_create(user=user)


def hiring_manager_permission():
    """The permission that makes a hiring manager, recreated if a transactional test's flush removed it."""
    app_label, codename = HIRING_MANAGER_PERMISSION
    assert app_label == Question._meta.app_label
    # The flush may have removed the content type too; the cache would still name the old row.
    ContentType.objects.clear_cache()
    name = dict(Question._meta.permissions)[codename]
    return Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Question), codename=codename, defaults={"name": name}
    )[0]


class HiringManagerFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create:
            if not Group.objects.filter(name=HIRING_MANAGERS_GROUP, permissions__codename="add_questionset").exists():
                # A transactional test's flush removed what the migrations made.
                importlib.import_module("questions.migrations.0002_hiring_managers_group").create_group(apps, None)
                importlib.import_module("hiring.migrations.0002_hiring_managers_permissions").grant(apps, None)
            user.groups.add(Group.objects.get(name=HIRING_MANAGERS_GROUP))


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    description = "A category of back-end questions."


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name = factory.LazyAttribute(lambda t: t.slug.title())


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    category = factory.SubFactory(CategoryFactory)
    key = factory.LazyAttributeSequence(lambda q, n: f"{q.category.slug}/question-{n}")
    title = factory.Sequence(lambda n: f"Question number {n}")
    prompt = factory.Sequence(lambda n: f"How would you approach problem {n}?")
    model_answer = factory.Sequence(lambda n: f"SECRET-MODEL-ANSWER-{n}: start with the constraints.")
    key_points = factory.Sequence(lambda n: [f"SECRET-KEY-POINT-{n}-a", f"SECRET-KEY-POINT-{n}-b"])
    follow_ups = factory.Sequence(lambda n: [f"SECRET-FOLLOW-UP-{n}"])
    difficulty = Question.Difficulty.MID
    expected_minutes = 5
    status = Question.Status.PUBLISHED

    @factory.post_generation
    def tags(question, create, extracted, **kwargs):
        if create and extracted:
            question.tags.set(extracted)
