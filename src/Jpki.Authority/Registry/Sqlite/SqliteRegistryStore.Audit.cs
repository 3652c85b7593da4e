using System.Runtime.CompilerServices;
using Jpki.Authority.Audit;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The audit log of the SQLite store: appended through the single writer, so the chain is linear even under
/// concurrent appends (and other processes wait on <c>BEGIN IMMEDIATE</c>).
/// </summary>
internal sealed partial class SqliteRegistryStore
{
    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Entry(entry);
        return _writer.ExecuteAsync(connection => AppendAudit(connection, entry), cancellationToken);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(null, cancellationToken);

    public Task<AuditVerification> VerifyAsync(AuditHead? expectedHead, CancellationToken cancellationToken) =>
        AuditChainVerifier.VerifyAsync(ReadAuditRowsAsync, expectedHead, cancellationToken);

    public async Task<AuditVerification> VerifyWithRegistryAsync(AuditHead? expectedHead, CancellationToken cancellationToken)
    {
        var chain = await VerifyAsync(expectedHead, cancellationToken).ConfigureAwait(false);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await RegistryAuditReconciliation.CheckAsync(chain, connection, "a.subject", cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<AuditHead?> GetHeadAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? new AuditHead(reader.GetInt64(0), (byte[])reader.GetValue(1))
                    : null;
            }
        }
    }

    /// <summary>Chains <paramref name="entry"/> onto the head and inserts it, on the writer connection inside its transaction.</summary>
    private static long AppendAudit(SqliteConnection connection, AuditEntry entry)
    {
        long sequence = 1;
        var previous = AuditHash.Genesis();
        using (var head = connection.CreateCommand())
        {
            head.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            using var reader = head.ExecuteReader();
            if (reader.Read())
            {
                sequence = checked(reader.GetInt64(0) + 1);
                previous = (byte[])reader.GetValue(1);
            }
        }

        var at = StoreTime.Truncate(entry.At);
        var hash = AuditHash.Compute(sequence, at, entry.Actor, entry.Action, entry.Subject, entry.Details, previous);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO audit_log (seq, at, actor, action, subject, details, prev_hash, hash)
            VALUES ($seq, $at, $actor, $action, $subject, $details, $prev, $hash)
            """;
        insert.Parameters.AddWithValue("$seq", sequence);
        insert.Parameters.AddWithValue("$at", StoreTime.ToUnixMicroseconds(at));
        insert.Parameters.AddWithValue("$actor", entry.Actor);
        insert.Parameters.AddWithValue("$action", entry.Action);
        insert.Parameters.AddWithValue("$subject", entry.Subject);
        insert.Parameters.AddWithValue("$details", entry.Details);
        insert.Parameters.Add("$prev", SqliteType.Blob).Value = previous;
        insert.Parameters.Add("$hash", SqliteType.Blob).Value = hash;
        insert.ExecuteNonQuery();
        return sequence;
    }

    private async IAsyncEnumerable<AuditRow> ReadAuditRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM audit_log ORDER BY seq";
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return new AuditRow(
                        reader.GetInt64(0),
                        StoreTime.FromUnixMicroseconds(reader.GetInt64(1)),
                        reader.GetString(2),
                        reader.GetString(3),
                        reader.GetString(4),
                        reader.GetString(5),
                        (byte[])reader.GetValue(6),
                        (byte[])reader.GetValue(7));
                }
            }
        }
    }
}
