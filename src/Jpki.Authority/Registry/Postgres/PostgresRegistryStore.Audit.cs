using System.Runtime.CompilerServices;
using Jpki.Authority.Audit;
using Npgsql;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The audit log of the PostgreSQL store: each append takes a transaction-scoped advisory lock, reads the head and
/// inserts the next entry, so the chain stays linear across every process that writes to the database.
/// </summary>
internal sealed partial class PostgresRegistryStore
{
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Entry(entry);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                long sequence = 1;
                var previous = AuditHash.Genesis();
                await using (var head = new NpgsqlCommand(
                    $"SELECT pg_advisory_xact_lock({PostgresMigrations.AuditLock}); SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
                    connection))
                {
                    var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            sequence = checked(reader.GetInt64(0) + 1);
                            previous = reader.GetFieldValue<byte[]>(1);
                        }
                    }
                }

                var at = StoreTime.Truncate(entry.At);
                var hash = AuditHash.Compute(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Details, previous);
                await using (var insert = new NpgsqlCommand(
                    "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    connection))
                {
                    insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
                    insert.Parameters.Add(Instant(at));
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Actor });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Subject });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Details });
                    insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = previous });
                    insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return sequence;
            }
        }
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(null, cancellationToken);

    public Task<AuditVerification> VerifyAsync(AuditHead? expectedHead, CancellationToken cancellationToken) =>
        AuditChainVerifier.VerifyAsync(ReadAuditRowsAsync, expectedHead, cancellationToken);

    public async Task<AuditHead?> GetHeadAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                ? new AuditHead(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
                : null;
        }
    }

    private async IAsyncEnumerable<AuditRow> ReadAuditRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq");
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new AuditRow(
                    reader.GetInt64(0),
                    reader.GetFieldValue<DateTimeOffset>(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    reader.GetFieldValue<byte[]>(6),
                    reader.GetFieldValue<byte[]>(7));
            }
        }
    }
}
