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
        new(3, "CRL partitions, revocation sequence, publication state, pre-signed OCSP answers", """
            ALTER TABLE certificates ADD COLUMN crl_partition INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE certificates ADD COLUMN revocation_seq INTEGER NULL;
            UPDATE certificates SET revocation_seq = numbered.seq
            FROM (SELECT serial, row_number() OVER (ORDER BY revocation_recorded_at, serial) AS seq
                  FROM certificates WHERE revoked_at IS NOT NULL) AS numbered
            WHERE certificates.serial = numbered.serial;
            CREATE TABLE revocation_sequence (
                id   INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                last INTEGER NOT NULL
            );
            INSERT INTO revocation_sequence (id, last) SELECT 1, count(*) FROM certificates WHERE revoked_at IS NOT NULL;
            CREATE UNIQUE INDEX ix_certificates_revocation_seq ON certificates (revocation_seq) WHERE revocation_seq IS NOT NULL;
            DROP INDEX ix_certificates_revoked;
            -- Covers the CRL streams: the full CRL (by kind) and each partition, in serial order.
            CREATE INDEX ix_certificates_revoked
                ON certificates (kind, serial, not_after, revoked_at, revocation_reason, revocation_seq, crl_partition)
                WHERE revoked_at IS NOT NULL;
            CREATE INDEX ix_certificates_revoked_partition
                ON certificates (kind, crl_partition, serial, not_after, revoked_at, revocation_reason, revocation_seq)
                WHERE revoked_at IS NOT NULL;
            -- The OCSP pre-signer walks new issuances by time.
            CREATE INDEX ix_certificates_issued ON certificates (issued_at);
            CREATE TRIGGER certificates_partition_and_sequence_fixed
                BEFORE UPDATE OF crl_partition, revocation_seq ON certificates
                WHEN NEW.crl_partition IS NOT OLD.crl_partition OR OLD.revocation_seq IS NOT NULL
            BEGIN
                SELECT RAISE(ABORT, 'a certificate''s CRL partition and revocation sequence never change');
            END;
            CREATE TABLE crl_publications (
                kind           INTEGER NOT NULL PRIMARY KEY CHECK (kind IN (1, 2)),
                base_number    INTEGER NOT NULL,
                base_seq       INTEGER NOT NULL,
                delta_number   INTEGER NULL,
                delta_seq      INTEGER NULL,
                published_at   INTEGER NOT NULL
            );
            CREATE TABLE crl_documents (
                kind          INTEGER NOT NULL,
                number        INTEGER NOT NULL,
                crl_partition INTEGER NOT NULL,
                delta         INTEGER NOT NULL CHECK (delta IN (0, 1)),
                base_number   INTEGER NULL,
                this_update   INTEGER NOT NULL,
                next_update   INTEGER NOT NULL,
                entries       INTEGER NOT NULL,
                length        INTEGER NOT NULL,
                sha256        BLOB    NOT NULL,
                der           BLOB    NOT NULL,
                PRIMARY KEY (kind, number, crl_partition, delta)
            );
            CREATE TABLE ocsp_responses (
                serial         TEXT    NOT NULL,
                hash_algorithm INTEGER NOT NULL,
                kind           INTEGER NOT NULL,
                status         INTEGER NOT NULL,
                this_update    INTEGER NOT NULL,
                next_update    INTEGER NOT NULL,
                refresh_at     INTEGER NOT NULL,
                der            BLOB    NOT NULL,
                PRIMARY KEY (serial, hash_algorithm)
            );
            CREATE INDEX ix_ocsp_responses_refresh ON ocsp_responses (refresh_at);
            """),
        new(4, "issuance request ids (idempotent issuance) and recorded refusals", """
            ALTER TABLE certificates ADD COLUMN request_id TEXT NULL;
            ALTER TABLE certificates ADD COLUMN request_digest BLOB NULL;
            CREATE UNIQUE INDEX ix_certificates_request_id ON certificates (request_id) WHERE request_id IS NOT NULL;
            CREATE TRIGGER certificates_request_fixed
                BEFORE UPDATE OF request_id, request_digest ON certificates
                WHEN NEW.request_id IS NOT OLD.request_id OR NEW.request_digest IS NOT OLD.request_digest
            BEGIN
                SELECT RAISE(ABORT, 'a certificate''s request id never changes');
            END;
            CREATE TABLE issuance_refusals (
                request_id     TEXT    NOT NULL PRIMARY KEY,
                request_digest BLOB    NOT NULL,
                actor          TEXT    NOT NULL,
                code           TEXT    NOT NULL,
                field          TEXT    NULL,
                detail         TEXT    NOT NULL,
                refused_at     INTEGER NOT NULL
            );
            """),
        new(5, "how long the published base generation took to build", """
            ALTER TABLE crl_publications ADD COLUMN base_build_ms INTEGER NULL;
            """),
    ];
}
