"""Database triggers that keep the audit trail append-only, on PostgreSQL and on SQLite.

Refused: every UPDATE and DELETE of core_auditentry (and TRUNCATE on PostgreSQL), except
- an UPDATE that only unlinks a deleted account (actor_id to NULL, every other column unchanged);
- a DELETE of an entry older than the `purge_before` of a row in core_auditpurgegate that the
  deleting transaction can see (the retention purge writes that row in its own transaction).
When a column is added to AuditEntry, add it to the SQLite comparison below in a new migration.
"""

from django.db import migrations

SQLITE_COLUMNS = (
    "id",
    "at",
    "action",
    "actor_label",
    "target_type_id",
    "target_id",
    "target_repr",
    "outcome",
    "network",
    "client",
    "details",
)

SQLITE_FORWARD = [
    "CREATE TRIGGER core_auditentry_no_update BEFORE UPDATE ON core_auditentry "
    "WHEN NOT (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND "
    + " AND ".join(f"NEW.{c} IS OLD.{c}" for c in SQLITE_COLUMNS)
    + ") BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry "
    "WHEN NOT EXISTS (SELECT 1 FROM core_auditpurgegate g WHERE OLD.at < g.purge_before) "
    "BEGIN SELECT RAISE(ABORT, 'audit entries are append-only; only the retention purge deletes old ones'); END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditentry_no_update",
    "DROP TRIGGER IF EXISTS core_auditentry_no_delete",
]

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION core_auditentry_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $body$
    DECLARE
        unlinked core_auditentry;
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            unlinked := OLD;
            unlinked.actor_id := NULL;
            IF OLD.actor_id IS NOT NULL AND NEW IS NOT DISTINCT FROM unlinked THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'restrict_violation';
        ELSIF TG_OP = 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM core_auditpurgegate g WHERE OLD.at < g.purge_before) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit entries are append-only; only the retention purge deletes old ones'
                USING ERRCODE = 'restrict_violation';
        ELSE
            IF EXISTS (SELECT 1 FROM core_auditpurgegate) THEN
                RETURN NULL;
            END IF;
            RAISE EXCEPTION 'audit entries are append-only' USING ERRCODE = 'restrict_violation';
        END IF;
    END
    $body$
    """,
    "CREATE TRIGGER core_auditentry_append_only_row BEFORE UPDATE OR DELETE ON core_auditentry "
    "FOR EACH ROW EXECUTE FUNCTION core_auditentry_append_only()",
    "CREATE TRIGGER core_auditentry_append_only_truncate BEFORE TRUNCATE ON core_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_append_only()",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_auditentry_append_only_truncate ON core_auditentry",
    "DROP TRIGGER IF EXISTS core_auditentry_append_only_row ON core_auditentry",
    "DROP FUNCTION IF EXISTS core_auditentry_append_only()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise RuntimeError(f"The append-only audit trail has no trigger for the {vendor} database.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
