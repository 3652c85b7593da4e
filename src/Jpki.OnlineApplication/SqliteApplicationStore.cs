using Jpki.Core.Storage;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Jpki.OnlineApplication;

/// <summary>
/// <c>eapp.db</c> in the data folder: WAL, <c>synchronous=FULL</c> (an accepted application survives a power cut once
/// the receipt is shown), numbered migrations in <c>schema_version</c>, writes in <c>BEGIN IMMEDIATE</c> transactions.
/// Instants are UTC ticks, dates <c>yyyy-MM-dd</c>.
/// </summary>
internal sealed class SqliteApplicationStore : IApplicationStore
{
    private const int SqliteConstraint = 19;

    private static readonly (int Version, string Sql)[] Migrations =
    [
        (1, """
            CREATE TABLE applications (
                receipt TEXT PRIMARY KEY,
                submitted_at INTEGER NOT NULL,
                kind INTEGER NOT NULL,
                document BLOB NOT NULL,
                document_sha256 TEXT NOT NULL UNIQUE,
                signature BLOB NOT NULL,
                verdict_code TEXT NOT NULL,
                verdict_message TEXT NOT NULL,
                verified_at INTEGER NOT NULL,
                signer_subject TEXT NOT NULL,
                signer_serial TEXT NOT NULL,
                name TEXT NOT NULL,
                name_substitutions TEXT NOT NULL,
                address TEXT NOT NULL,
                address_substitutions TEXT NOT NULL,
                date_of_birth TEXT NOT NULL,
                sex INTEGER NOT NULL,
                status INTEGER NOT NULL,
                staff_note TEXT NULL,
                handled_by TEXT NULL,
                handled_at INTEGER NULL
            );
            CREATE INDEX applications_submitted ON applications (submitted_at);
            """),
        (2, "ALTER TABLE applications ADD COLUMN signature_format TEXT NOT NULL DEFAULT 'cades';"),
    ];

    private const string Columns = "receipt, submitted_at, kind, document, document_sha256, signature, verdict_code, verdict_message, verified_at, " +
        "signer_subject, signer_serial, name, name_substitutions, address, address_substitutions, date_of_birth, sex, status, staff_note, handled_by, handled_at, signature_format";

    private readonly string _connectionString;

    public SqliteApplicationStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PrivateFiles.EnsureDatabaseFile(Path.GetFullPath(path));
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
        await using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        foreach (var (version, sql) in Migrations.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (@v, 0)";
            record.Parameters.AddWithValue("@v", version);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> AddAsync(StoredApplication application, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(application);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO applications ({Columns}) VALUES (@receipt, @submitted_at, @kind, @document, @document_sha256, @signature, " +
            "@verdict_code, @verdict_message, @verified_at, @signer_subject, @signer_serial, @name, @name_substitutions, @address, " +
            "@address_substitutions, @date_of_birth, @sex, @status, NULL, NULL, NULL, @signature_format)";
        var p = command.Parameters;
        p.AddWithValue("@receipt", application.Receipt);
        p.AddWithValue("@submitted_at", application.SubmittedAt.UtcTicks);
        p.AddWithValue("@kind", (int)application.Kind);
        p.AddWithValue("@document", application.Document);
        p.AddWithValue("@document_sha256", application.DocumentSha256);
        p.AddWithValue("@signature", application.Signature);
        p.AddWithValue("@verdict_code", application.VerdictCode);
        p.AddWithValue("@verdict_message", application.VerdictMessage);
        p.AddWithValue("@verified_at", application.VerifiedAt.UtcTicks);
        p.AddWithValue("@signer_subject", application.SignerSubject);
        p.AddWithValue("@signer_serial", application.SignerSerialHex);
        p.AddWithValue("@name", application.Name);
        p.AddWithValue("@name_substitutions", application.NameSubstitutions);
        p.AddWithValue("@address", application.Address);
        p.AddWithValue("@address_substitutions", application.AddressSubstitutions);
        p.AddWithValue("@date_of_birth", application.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        p.AddWithValue("@sex", application.Sex);
        p.AddWithValue("@status", (int)application.Status);
        p.AddWithValue("@signature_format", application.SignatureFormat);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteConstraint)
        {
            return false;
        }
    }

    public async Task<StoredApplication?> FindAsync(string receipt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM applications WHERE receipt = @receipt";
        command.Parameters.AddWithValue("@receipt", receipt);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<StoredApplication>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM applications ORDER BY submitted_at DESC, receipt LIMIT @limit";
        command.Parameters.AddWithValue("@limit", limit);
        var list = new List<StoredApplication>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    public async Task<bool> DecideAsync(string receipt, ApplicationStatus status, string note, string staff, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE applications SET status = @status, staff_note = @note, handled_by = @staff, handled_at = @at WHERE receipt = @receipt AND status = 0";
        command.Parameters.AddWithValue("@status", (int)status);
        command.Parameters.AddWithValue("@note", note);
        command.Parameters.AddWithValue("@staff", staff);
        command.Parameters.AddWithValue("@at", at.UtcTicks);
        command.Parameters.AddWithValue("@receipt", receipt);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private static StoredApplication Read(SqliteDataReader r) => new(
        r.GetString(0),
        Instant(r.GetInt64(1)),
        (RequestKind)r.GetInt32(2),
        (byte[])r[3],
        r.GetString(4),
        (byte[])r[5],
        r.GetString(6),
        r.GetString(7),
        Instant(r.GetInt64(8)),
        r.GetString(9),
        r.GetString(10),
        r.GetString(11),
        r.GetString(12),
        r.GetString(13),
        r.GetString(14),
        DateOnly.ParseExact(r.GetString(15), "yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.GetInt32(16),
        (ApplicationStatus)r.GetInt32(17),
        r.IsDBNull(18) ? null : r.GetString(18),
        r.IsDBNull(19) ? null : r.GetString(19),
        r.IsDBNull(20) ? null : Instant(r.GetInt64(20)),
        r.GetString(21));

    private static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
