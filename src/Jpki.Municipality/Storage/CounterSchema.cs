namespace Jpki.Municipality.Storage;

/// <summary>The numbered migrations; the engines differ only in the journal's auto-numbered key.</summary>
internal static class CounterSchema
{
    public static IReadOnlyList<(int Version, string Name, string Sql)> For(string sequenceKey) =>
    [
        (1, "residents, cards, events, revocation tasks, proxy inquiries, journal", $"""
            CREATE TABLE residents (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, name_kana TEXT NOT NULL, address TEXT NOT NULL,
                date_of_birth TEXT NOT NULL, sex INTEGER NOT NULL, under_guardianship INTEGER NOT NULL,
                household_id TEXT NOT NULL, status INTEGER NOT NULL);
            CREATE INDEX residents_household ON residents (household_id);
            CREATE TABLE cards (
                card_id TEXT PRIMARY KEY, holder_id TEXT NOT NULL REFERENCES residents (id), kind INTEGER NOT NULL,
                expires_on TEXT NOT NULL, status INTEGER NOT NULL);
            CREATE INDEX cards_holder ON cards (holder_id);
            CREATE TABLE resident_events (
                id TEXT PRIMARY KEY, kind INTEGER NOT NULL, resident_id TEXT NOT NULL REFERENCES residents (id),
                at BIGINT NOT NULL, staff_id TEXT NOT NULL, summary TEXT NOT NULL);
            CREATE INDEX resident_events_resident ON resident_events (resident_id, at);
            CREATE TABLE revocation_tasks (
                id TEXT PRIMARY KEY, event_id TEXT NOT NULL REFERENCES resident_events (id), holder_id TEXT NOT NULL,
                kind INTEGER NOT NULL, reason INTEGER NOT NULL, card_id TEXT, issued_up_to BIGINT NOT NULL, status INTEGER NOT NULL,
                attempts INTEGER NOT NULL, last_error TEXT, revoked_serials TEXT, created_at BIGINT NOT NULL, done_at BIGINT);
            CREATE INDEX revocation_tasks_pending ON revocation_tasks (status, created_at);
            CREATE TABLE proxy_inquiries (
                reference TEXT PRIMARY KEY, resident_id TEXT NOT NULL REFERENCES residents (id),
                addressee_name TEXT NOT NULL, addressee_address TEXT NOT NULL, proxy_name TEXT NOT NULL,
                proxy_id_document TEXT NOT NULL, requested_at BIGINT NOT NULL, issued_on TEXT NOT NULL,
                answer_deadline TEXT NOT NULL, staff_id TEXT NOT NULL, status INTEGER NOT NULL,
                closed_at BIGINT, closed_code TEXT);
            CREATE TABLE journal (
                seq {sequenceKey}, at BIGINT NOT NULL, staff_id TEXT NOT NULL, action TEXT NOT NULL,
                resident_id TEXT, card_id TEXT, outcome TEXT NOT NULL, details TEXT NOT NULL, fee_yen INTEGER NOT NULL);
            CREATE INDEX journal_at ON journal (at);
            """),
        (2, "staff accounts, daily closes, proxy queue index", """
            CREATE TABLE staff (
                id TEXT PRIMARY KEY, display_name TEXT NOT NULL, role INTEGER NOT NULL, password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL, failed_logins INTEGER NOT NULL, locked_until BIGINT, must_change_password INTEGER NOT NULL);
            CREATE TABLE day_closes (
                day TEXT PRIMARY KEY, closed_at BIGINT NOT NULL, staff_id TEXT NOT NULL,
                certificates_issued INTEGER NOT NULL, fees_yen INTEGER NOT NULL);
            CREATE INDEX proxy_inquiries_status ON proxy_inquiries (status, requested_at);
            """),
        (3, "staff sessions, per-client login failures, cookie protection keys", """
            ALTER TABLE staff ADD COLUMN session_stamp TEXT NOT NULL DEFAULT '';
            ALTER TABLE staff ADD COLUMN one_time_used INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE staff_login_failures (
                staff_id TEXT NOT NULL, client TEXT NOT NULL, failures INTEGER NOT NULL, locked_until BIGINT,
                PRIMARY KEY (staff_id, client));
            CREATE TABLE data_protection_keys (name TEXT PRIMARY KEY, xml TEXT NOT NULL);
            """),
        (4, "folded search keys of residents, counter settings", """
            ALTER TABLE residents ADD COLUMN name_key TEXT;
            ALTER TABLE residents ADD COLUMN kana_key TEXT;
            CREATE TABLE counter_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """),
        (5, "one-time form submissions", """
            CREATE TABLE form_submissions (
                id TEXT PRIMARY KEY, staff_id TEXT NOT NULL, form TEXT NOT NULL, created_at BIGINT NOT NULL, done INTEGER NOT NULL,
                outcome TEXT, location TEXT, payload TEXT, done_at BIGINT);
            CREATE INDEX form_submissions_created ON form_submissions (created_at);
            """),
        (6, "journal business day and hash chain, day close seals", """
            ALTER TABLE journal ADD COLUMN day TEXT;
            ALTER TABLE journal ADD COLUMN prev_hash TEXT;
            ALTER TABLE journal ADD COLUMN hash TEXT;
            CREATE INDEX journal_day ON journal (day, seq);
            ALTER TABLE day_closes ADD COLUMN entries INTEGER;
            ALTER TABLE day_closes ADD COLUMN last_seq BIGINT;
            ALTER TABLE day_closes ADD COLUMN head_hash TEXT;
            """),
        (7, "issue-then-write-card workflows", """
            CREATE TABLE issuance_workflows (
                request_id TEXT PRIMARY KEY, kind INTEGER NOT NULL, resident_id TEXT NOT NULL, card_id TEXT NOT NULL,
                staff_id TEXT NOT NULL, state INTEGER NOT NULL, serial TEXT, request_body TEXT, created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL, attempts INTEGER NOT NULL, last_error TEXT);
            CREATE INDEX issuance_workflows_open ON issuance_workflows (state, created_at);
            CREATE INDEX issuance_workflows_resident ON issuance_workflows (resident_id, created_at);
            """),
        (8, "the certificate a renewal supersedes, revoked as a recorded step", """
            ALTER TABLE issuance_workflows ADD COLUMN supersedes TEXT;
            """),
    ];
}
