"""The bank file format (interview-bank/v1): read, validate and write it.

A bank is one or more YAML or JSON documents:

    format: interview-bank/v1
    categories: [{slug, name, description, display_order}]   # optional
    tags: [{slug, name}]                                      # optional
    questions: [{key, category, tags, title, prompt, model_answer,
                 key_points, follow_ups, difficulty, expected_minutes, status}]

`key` is the stable identity: importing a key that exists updates that
question. Nothing here touches the database; services.bank_import writes.
"""

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rest_framework import serializers

from questions.models import KEY_VALIDATOR, key_category_error
from questions.validation import QuestionContentSerializer

FORMAT = "interview-bank/v1"
BANK_SUFFIXES = (".yaml", ".yml", ".json")


class BankCategorySerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(allow_blank=True, required=False, default="")
    display_order = serializers.IntegerField(min_value=0, max_value=32767, required=False, default=0)


class BankTagSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)


class BankQuestionSerializer(QuestionContentSerializer):
    key = serializers.CharField(max_length=120, validators=[KEY_VALIDATOR])
    category = serializers.SlugField(max_length=50)
    tags = serializers.ListField(child=serializers.SlugField(max_length=50), required=False, default=list)


@dataclass
class Bank:
    """A validated bank, ready for services.bank_import."""

    categories: list[dict] = field(default_factory=list)
    tags: list[dict] = field(default_factory=list)
    questions: list[dict] = field(default_factory=list)


class BankInvalid(Exception):
    """The bank has errors; `errors` lists every one with its place and field."""

    def __init__(self, errors: list[str]):
        super().__init__(f"{len(errors)} error(s) in the bank")
        self.errors = errors


def bank_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files to read: each file given, and the bank files inside each folder given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.iterdir() if p.suffix in BANK_SUFFIXES))
        else:
            found.append(path)
    return found


def bank_read(
    paths: Iterable[str | Path],
    *,
    existing_categories: set[str],
    existing_tags: set[str],
    moved_keys: Collection[str] = (),
) -> Bank:
    """Parse and validate bank files; raise BankInvalid listing every problem.

    Categories and tags a question names must be declared in one of the
    files or already exist (`existing_*`). A key starts with its question's
    category, except the `moved_keys` of questions moved to another category
    since they were created (their key never changes).
    """
    errors: list[str] = []
    documents = []
    for path in bank_paths(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(f"{path}: cannot read the file ({exc})")
            continue
        try:
            data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError) as exc:
            kind = "JSON" if path.suffix == ".json" else "YAML or JSON"
            errors.append(f"{path}: not valid {kind}: {exc}".replace("\n", " "))
            continue
        documents.append((path.name, data))
    if not documents and not errors:
        errors.append("no bank files found (expected .yaml, .yml or .json)")
    bank = _bank_validate(documents, errors, existing_categories, existing_tags, moved_keys)
    if errors:
        raise BankInvalid(errors)
    return bank


def _bank_validate(documents, errors, existing_categories, existing_tags, moved_keys) -> Bank:
    bank = Bank()
    declared: dict[str, dict[str, tuple[str, dict]]] = {"categories": {}, "tags": {}}
    keys: dict[str, str] = {}
    for name, data in documents:
        if not isinstance(data, dict):
            errors.append(
                f"{name}: expected a mapping with 'categories', 'tags' or 'questions', got {type(data).__name__}"
            )
            continue
        if data.get("format", FORMAT) != FORMAT:
            errors.append(f"{name}: format: unsupported {data.get('format')!r}; expected {FORMAT!r}")
        if not {"categories", "tags", "questions"} & set(data):
            errors.append(f"{name}: holds none of 'categories', 'tags', 'questions'")
        unknown = set(data) - {"format", "categories", "tags", "questions"}
        if unknown:
            errors.append(
                f"{name}: unknown top-level keys {sorted(unknown)}; allowed: format, categories, tags, questions"
            )
        for section, serializer_class, target in (
            ("categories", BankCategorySerializer, bank.categories),
            ("tags", BankTagSerializer, bank.tags),
        ):
            for place, item in _items(name, data, section, errors):
                clean = _validated(serializer_class, item, place, errors)
                if clean is None:
                    continue
                first = declared[section].get(clean["slug"])
                if first and first[1] != clean:
                    errors.append(f"{place} slug: {clean['slug']!r} declared differently at {first[0]}")
                elif not first:
                    declared[section][clean["slug"]] = (place, clean)
                    target.append(clean)
        for place, item in _items(name, data, "questions", errors):
            clean = _validated(BankQuestionSerializer, item, place, errors)
            if clean is None:
                continue
            if clean["key"] in keys:
                errors.append(f"{place} key: duplicate key {clean['key']!r} (first at {keys[clean['key']]})")
                continue
            keys[clean["key"]] = place
            bank.questions.append({**clean, "_place": place})
    categories = existing_categories | set(declared["categories"])
    tags = existing_tags | set(declared["tags"])
    for question in bank.questions:
        place = question.pop("_place")
        if question["category"] not in categories:
            errors.append(
                f"{place} category: unknown category {question['category']!r}; "
                f"known: {', '.join(sorted(categories)) or 'none'}"
            )
        elif question["key"] not in moved_keys and (error := key_category_error(question["key"], question["category"])):
            errors.append(f"{place} key: {error}")
        missing = sorted(set(question["tags"]) - tags)
        if missing:
            errors.append(f"{place} tags: unknown tags {missing}; declare them under 'tags'")
    return bank


def _items(name, data, section, errors):
    items = data.get(section)
    if items is None:
        return
    if not isinstance(items, list):
        errors.append(f"{name}: {section}: expected a list, got {type(items).__name__}")
        return
    for index, item in enumerate(items):
        yield f"{name} {section}[{index}]", item


def _validated(serializer_class, item, place, errors) -> dict | None:
    if not isinstance(item, dict):
        errors.append(f"{place}: expected a mapping, got {type(item).__name__}")
        return None
    serializer = serializer_class(data=item)
    if serializer.is_valid():
        unknown = set(item) - set(serializer.fields)
        if unknown:
            errors.append(f"{place}: unknown fields {sorted(unknown)}; allowed: {sorted(serializer.fields)}")
            return None
        return dict(serializer.validated_data)
    for field_name, messages in serializer.errors.items():
        for message in _flatten(messages):
            errors.append(f"{place} {field_name}: {message}")
    return None


def _flatten(messages):
    if isinstance(messages, dict):
        for key, value in messages.items():
            for message in _flatten(value):
                yield f"[{key}] {message}"
    elif isinstance(messages, list):
        for message in messages:
            yield from _flatten(message)
    else:
        yield str(messages)


class _BankDumper(yaml.SafeDumper):
    """Writes multi-line strings as literal blocks so Markdown stays readable."""


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BankDumper.add_representer(str, _represent_str)


def bank_dump(bank: dict, *, fmt: str = "yaml") -> str:
    """Serialise an exported bank (see services.bank_export) as YAML or JSON."""
    if fmt == "json":
        return json.dumps(bank, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.dump(bank, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100)
    raise ValueError(f"Unknown format {fmt!r}; allowed: yaml, json")
