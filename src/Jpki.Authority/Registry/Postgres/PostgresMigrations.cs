namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The PostgreSQL schema, as numbered migrations with the same meaning as <see cref="Sqlite.SqliteMigrations"/>.
/// Serials use the "C" collation so that they sort byte-wise, exactly as in SQLite. Never edit a migration that has
/// shipped: add the next one.
/// </summary>
internal static class PostgresMigrations
{
    /// <summary>The advisory lock held by a migration, so that two processes migrating at once take turns.</summary>
    public const long MigrationLock = 0x4A504B49_00000001;

    /// <summary>The advisory lock held by an audit append, so that the chain stays linear.</summary>
    public const long AuditLock = 0x4A504B49_00000002;

    /// <summary>The NOTIFY channel of revocations and CRL publications (the payload is informative only).</summary>
    public const string ChangeChannel = "jpki_revocation_changes";

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    integer     NOT NULL PRIMARY KEY,
            name       text        NOT NULL,
            applied_at timestamptz NOT NULL
        );
        """;

    public static IReadOnlyList<SchemaMigration> All { get; } =
    [
        new(1, "certificates and CRL numbers", """
            CREATE TABLE certificates (
                serial                 text COLLATE "C" NOT NULL PRIMARY KEY,
                kind                   smallint    NOT NULL CHECK (kind IN (1, 2)),
                card_id                text        NOT NULL,
                holder_id              text        NOT NULL,
                not_before             timestamptz NOT NULL,
                not_after              timestamptz NOT NULL,
                issued_at              timestamptz NOT NULL,
                previous_serial        text COLLATE "C" NULL,
                der                    bytea       NOT NULL,
                revoked_at             timestamptz NULL,
                revocation_reason      smallint    NULL,
                revocation_recorded_at timestamptz NULL,
                CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)
                   AND (revoked_at IS NULL) = (revocation_recorded_at IS NULL))
            );
            CREATE INDEX ix_certificates_card ON certificates (card_id, issued_at);
            CREATE INDEX ix_certificates_holder ON certificates (holder_id, issued_at);
            CREATE INDEX ix_certificates_previous ON certificates (previous_serial) WHERE previous_serial IS NOT NULL;
            -- Covers the CRL stream: revoked entries of one CA in serial order, without reading the certificates.
            CREATE INDEX ix_certificates_revoked ON certificates (kind, serial)
                INCLUDE (not_after, revoked_at, revocation_reason) WHERE revoked_at IS NOT NULL;
            CREATE FUNCTION certificates_never_unrevoked() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
                    OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason
                    OR NEW.revocation_recorded_at IS DISTINCT FROM OLD.revocation_recorded_at) THEN
                    RAISE EXCEPTION 'a revoked certificate is never un-revoked';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER certificates_never_unrevoked BEFORE UPDATE ON certificates
                FOR EACH ROW EXECUTE FUNCTION certificates_never_unrevoked();
            CREATE TABLE crl_numbers (
                kind        smallint NOT NULL PRIMARY KEY CHECK (kind IN (1, 2)),
                last_number bigint   NOT NULL
            );
            """),
        new(2, "audit log", """
            CREATE TABLE audit_log (
                seq       bigint      NOT NULL PRIMARY KEY,
                at        timestamptz NOT NULL,
                actor     text        NOT NULL,
                action    text        NOT NULL,
                subject   text        NOT NULL,
                details   text        NOT NULL,
                prev_hash bytea       NOT NULL,
                hash      bytea       NOT NULL
            );
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only';
            END $$;
            CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
                FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
                FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
            """),
        new(3, "CRL partitions, revocation sequence, publication state, pre-signed OCSP answers", """
            ALTER TABLE certificates ADD COLUMN crl_partition integer NOT NULL DEFAULT 0,
                                     ADD COLUMN revocation_seq bigint NULL;
            UPDATE certificates AS c SET revocation_seq = numbered.seq
            FROM (SELECT serial, row_number() OVER (ORDER BY revocation_recorded_at, serial) AS seq
                  FROM certificates WHERE revoked_at IS NOT NULL) AS numbered
            WHERE c.serial = numbered.serial;
            CREATE TABLE revocation_sequence (
                id   smallint NOT NULL PRIMARY KEY CHECK (id = 1),
                last bigint   NOT NULL
            );
            INSERT INTO revocation_sequence (id, last) SELECT 1, count(*) FROM certificates WHERE revoked_at IS NOT NULL;
            CREATE UNIQUE INDEX ix_certificates_revocation_seq ON certificates (revocation_seq) WHERE revocation_seq IS NOT NULL;
            DROP INDEX ix_certificates_revoked;
            CREATE INDEX ix_certificates_revoked ON certificates (kind, serial)
                INCLUDE (not_after, revoked_at, revocation_reason, revocation_seq, crl_partition) WHERE revoked_at IS NOT NULL;
            CREATE INDEX ix_certificates_revoked_partition ON certificates (kind, crl_partition, serial)
                INCLUDE (not_after, revoked_at, revocation_reason, revocation_seq) WHERE revoked_at IS NOT NULL;
            CREATE INDEX ix_certificates_issued ON certificates (issued_at);
            CREATE OR REPLACE FUNCTION certificates_never_unrevoked() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at IS DISTINCT FROM OLD.revoked_at
                    OR NEW.revocation_reason IS DISTINCT FROM OLD.revocation_reason
                    OR NEW.revocation_recorded_at IS DISTINCT FROM OLD.revocation_recorded_at) THEN
                    RAISE EXCEPTION 'a revoked certificate is never un-revoked';
                END IF;
                IF NEW.crl_partition IS DISTINCT FROM OLD.crl_partition
                    OR (OLD.revocation_seq IS NOT NULL AND NEW.revocation_seq IS DISTINCT FROM OLD.revocation_seq) THEN
                    RAISE EXCEPTION 'a certificate''s CRL partition and revocation sequence never change';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TABLE crl_publications (
                kind         smallint    NOT NULL PRIMARY KEY CHECK (kind IN (1, 2)),
                base_number  bigint      NOT NULL,
                base_seq     bigint      NOT NULL,
                delta_number bigint      NULL,
                delta_seq    bigint      NULL,
                published_at timestamptz NOT NULL
            );
            CREATE TABLE crl_documents (
                kind          smallint    NOT NULL,
                number        bigint      NOT NULL,
                crl_partition integer     NOT NULL,
                delta         boolean     NOT NULL,
                base_number   bigint      NULL,
                this_update   timestamptz NOT NULL,
                next_update   timestamptz NOT NULL,
                entries       bigint      NOT NULL,
                length        bigint      NOT NULL,
                sha256        bytea       NOT NULL,
                der           bytea       NOT NULL,
                PRIMARY KEY (kind, number, crl_partition, delta)
            );
            ALTER TABLE crl_documents ALTER COLUMN der SET STORAGE EXTERNAL;
            CREATE TABLE ocsp_responses (
                serial         text COLLATE "C" NOT NULL,
                hash_algorithm smallint    NOT NULL,
                kind           smallint    NOT NULL,
                status         smallint    NOT NULL,
                this_update    timestamptz NOT NULL,
                next_update    timestamptz NOT NULL,
                refresh_at     timestamptz NOT NULL,
                der            bytea       NOT NULL,
                PRIMARY KEY (serial, hash_algorithm)
            );
            CREATE INDEX ix_ocsp_responses_refresh ON ocsp_responses (refresh_at);
            """),
        new(4, "issuance request ids (idempotent issuance) and recorded refusals", """
            ALTER TABLE certificates ADD COLUMN request_id text COLLATE "C" NULL;
            ALTER TABLE certificates ADD COLUMN request_digest bytea NULL;
            CREATE UNIQUE INDEX ix_certificates_request_id ON certificates (request_id) WHERE request_id IS NOT NULL;
            CREATE FUNCTION certificates_request_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.request_id IS DISTINCT FROM OLD.request_id OR NEW.request_digest IS DISTINCT FROM OLD.request_digest THEN
                    RAISE EXCEPTION 'a certificate''s request id never changes';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER certificates_request_fixed BEFORE UPDATE OF request_id, request_digest ON certificates
                FOR EACH ROW EXECUTE FUNCTION certificates_request_fixed();
            CREATE TABLE issuance_refusals (
                request_id     text COLLATE "C" NOT NULL PRIMARY KEY,
                request_digest bytea       NOT NULL,
                actor          text        NOT NULL,
                code           text        NOT NULL,
                field          text        NULL,
                detail         text        NOT NULL,
                refused_at     timestamptz NOT NULL
            );
            """),
        new(5, "how long the published base generation took to build", """
            ALTER TABLE crl_publications ADD COLUMN base_build_ms bigint NULL;
            """),
    ];
}
