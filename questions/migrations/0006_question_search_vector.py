"""Full-text search on PostgreSQL: a stored tsvector of title (weight A) and
prompt (weight B), kept by the database itself, with a GIN index on it.

PostgreSQL only. On any other database (SQLite, the laptop default) this
migration does nothing: questions.search falls back to a LIKE search there.
The column is not a model field (it has no place on SQLite), so the model
state does not change and makemigrations stays clean on both; questions.search
refers to it by name (questions.search.SEARCH_COLUMN).

On a bank that already holds many questions, adding the column rewrites the
table under an exclusive lock (reads and writes of questions wait), and the
index is built after it: run it in a quiet moment.
"""

from django.db import migrations

ADD = [
    """
    ALTER TABLE questions_question
      ADD COLUMN search_vector tsvector
      GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(title, '')), 'A')
        || setweight(to_tsvector('english', coalesce(prompt, '')), 'B')
      ) STORED
    """,
    "CREATE INDEX question_search_vector_idx ON questions_question USING gin (search_vector)",
]

DROP = [
    "DROP INDEX IF EXISTS question_search_vector_idx",
    "ALTER TABLE questions_question DROP COLUMN IF EXISTS search_vector",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("questions", "0005_question_times_from_services"),
    ]

    operations = [
        migrations.RunPython(on_postgresql(ADD), on_postgresql(DROP), elidable=False),
    ]
