using Jpki.Verification.Login;
using Npgsql;

namespace Jpki.Verification.PostgreSql;

/// <summary>
/// <see cref="IChallengeStore"/> on PostgreSQL, for several server processes behind one load balancer: a nonce issued by
/// one process is answered at another, and taken exactly once (<c>DELETE … RETURNING</c> is atomic). Expired nonces are
/// deleted by the adds that follow, a bounded batch each time through the <c>expires_at</c> index, so the table never
/// holds much more than the nonces issued within one lifetime. Table: <c>jpki_login_challenges</c> (<see cref="MigrateAsync"/>).
/// </summary>
public sealed class PostgresChallengeStore : IChallengeStore
{
    private const int PruneBatch = 64;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the store on <paramref name="dataSource"/> (owned by the caller).</summary>
    public PostgresChallengeStore(NpgsqlDataSource dataSource) => _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>Creates the table and its index when missing (idempotent, safe for several processes at once).</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("""
            CREATE TABLE IF NOT EXISTS jpki_login_challenges (
                id text PRIMARY KEY,
                challenge bytea NOT NULL,
                session text NULL,
                issued_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL);
            CREATE INDEX IF NOT EXISTS jpki_login_challenges_expires ON jpki_login_challenges (expires_at);
            """);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.DuplicateTable)
        {
            // Another process created it at the same moment.
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryAddAsync(LoginChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        await using var batch = _dataSource.CreateBatch();
        var prune = new NpgsqlBatchCommand("DELETE FROM jpki_login_challenges WHERE id IN (SELECT id FROM jpki_login_challenges WHERE expires_at < $1 LIMIT $2)");
        prune.Parameters.Add(new() { Value = challenge.IssuedAt });
        prune.Parameters.Add(new() { Value = PruneBatch });
        var insert = new NpgsqlBatchCommand("INSERT INTO jpki_login_challenges (id, challenge, session, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING");
        insert.Parameters.Add(new() { Value = challenge.Id });
        insert.Parameters.Add(new() { Value = challenge.Challenge.ToArray() });
        insert.Parameters.Add(new() { Value = (object?)challenge.Session ?? DBNull.Value });
        insert.Parameters.Add(new() { Value = challenge.IssuedAt });
        insert.Parameters.Add(new() { Value = challenge.ExpiresAt });
        batch.BatchCommands.Add(prune);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return insert.RecordsAffected == 1;
    }

    /// <inheritdoc/>
    public async ValueTask<LoginChallenge?> TryTakeAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        await using var command = _dataSource.CreateCommand("DELETE FROM jpki_login_challenges WHERE id = $1 RETURNING challenge, session, issued_at, expires_at");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new LoginChallenge(id, (byte[])reader[0], reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3))
        {
            Session = reader.IsDBNull(1) ? null : reader.GetString(1),
        };
    }
}
