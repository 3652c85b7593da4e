using Jpki.Authority.Audit;
using Npgsql;
using NpgsqlTypes;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// A revocation and its audit entry in one transaction. Revocations are rare, so this takes the audit advisory lock
/// directly instead of going through the batching writer; the writer notices the moved head at its next batch.
/// </summary>
internal sealed partial class PostgresRegistryStore
{
    public async Task<RevokeResult> RevokeWithAuditAsync(string serialHex, RevocationReason reason, DateTimeOffset revokedAt, DateTimeOffset recordedAt, AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        RegistryArguments.Reason(reason, nameof(reason));
        RegistryArguments.Entry(entry);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                RevokeResult result;
                long sequence = 1;
                var previous = AuditHash.Genesis();
                var first = new NpgsqlBatch(connection);
                await using (first.ConfigureAwait(false))
                {
                    first.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({PostgresMigrations.AuditLock})"));
                    AddRevokeCommands(first, serialHex, reason, revokedAt, recordedAt);
                    first.BatchCommands.Add(new NpgsqlBatchCommand("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
                    var reader = await first.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        // Results: the advisory lock, the sequence lock, the revocation, the NOTIFY, the audit head.
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        result = ReadRevokeResult(reader);
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            sequence = checked(reader.GetInt64(0) + 1);
                            previous = reader.GetFieldValue<byte[]>(1);
                        }
                    }
                }

                if (result != RevokeResult.Revoked)
                {
                    return result;
                }

                var at = StoreTime.Truncate(entry.At);
                var hash = AuditHash.Compute(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Details, previous);
                await using (var insert = new NpgsqlCommand(
                    "INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", connection))
                {
                    insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = sequence });
                    insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = at });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Actor });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Action });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Subject });
                    insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Details });
                    insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = previous });
                    insert.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = hash });
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }
    }
}
