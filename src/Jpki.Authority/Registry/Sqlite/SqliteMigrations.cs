namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The SQLite schema, as numbered migrations (docs/registry.md). Instants are integer microseconds since the Unix
/// epoch (UTC); <c>kind</c> is <see cref="Jpki.Core.Identity.CertificateKind"/> (1 signature, 2 authentication).
/// Never edit a migration that has shipped: add the next one.
/// </summary>
internal static class SqliteMigrations
{
    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at INTEGER NOT NULL
        );
        """;

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "certificates and CRL numbers", """
            CREATE TABLE certificates (
                serial                 TEXT    NOT NULL PRIMARY KEY,
                kind                   INTEGER NOT NULL CHECK (kind IN (1, 2)),
                card_id                TEXT    NOT NULL,
                holder_id              TEXT    NOT NULL,
                not_before             INTEGER NOT NULL,
                not_after              INTEGER NOT NULL,
                issued_at              INTEGER NOT NULL,
                previous_serial        TEXT    NULL,
                der                    BLOB    NOT NULL,
                revoked_at             INTEGER NULL,
                revocation_reason      INTEGER NULL,
                revocation_recorded_at INTEGER NULL,
                CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)
                   AND (revoked_at IS NULL) = (revocation_recorded_at IS NULL))
            );
            CREATE INDEX ix_certificates_card ON certificates (card_id, issued_at);
            CREATE INDEX ix_certificates_holder ON certificates (holder_id, issued_at);
            CREATE INDEX ix_certificates_previous ON certificates (previous_serial) WHERE previous_serial IS NOT NULL;
            -- Covers the CRL stream: revoked entries of one CA in serial order, without reading the certificates.
            CREATE INDEX ix_certificates_revoked
                ON certificates (kind, serial, not_after, revoked_at, revocation_reason)
                WHERE revoked_at IS NOT NULL;
            CREATE TRIGGER certificates_never_unrevoked
                BEFORE UPDATE OF revoked_at, revocation_reason, revocation_recorded_at ON certificates
                WHEN OLD.revoked_at IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, 'a revoked certificate is never un-revoked');
            END;
            CREATE TABLE crl_numbers (
                kind        INTEGER NOT NULL PRIMARY KEY CHECK (kind IN (1, 2)),
                last_number INTEGER NOT NULL
            );
            """),
        new(2, "audit log", """
            CREATE TABLE audit_log (
                seq       INTEGER NOT NULL PRIMARY KEY,
                at        INTEGER NOT NULL,
                actor     TEXT    NOT NULL,
                action    TEXT    NOT NULL,
                subject   TEXT    NOT NULL,
                details   TEXT    NOT NULL,
                prev_hash BLOB    NOT NULL,
                hash      BLOB    NOT NULL
            );
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only');
            END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'the audit log is append-only');
            END;
            """),
    ];
}
