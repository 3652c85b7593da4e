using System.Runtime.CompilerServices;
using Jpki.Authority.Audit;
using Npgsql;

namespace Jpki.Authority.Registry.Postgres;

/// <summary>
/// The audit log of the PostgreSQL store: appends go through <see cref="PostgresAuditWriter"/>, which takes a
/// transaction-scoped advisory lock, reads the head and inserts the next entries, so the chain stays linear across
/// every process that writes to the database.
/// </summary>
internal sealed partial class PostgresRegistryStore
{
    public Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        RegistryArguments.Entry(entry);
        return _auditWriter.AppendAsync(entry, cancellationToken);
    }

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken) => VerifyAsync(null, cancellationToken);

    public Task<AuditVerification> VerifyAsync(AuditHead? expectedHead, CancellationToken cancellationToken) =>
        AuditChainVerifier.VerifyAsync(ReadAuditRowsAsync, expectedHead, cancellationToken);

    public async Task<AuditVerification> VerifyWithRegistryAsync(AuditHead? expectedHead, CancellationToken cancellationToken)
    {
        var chain = await VerifyAsync(expectedHead, cancellationToken).ConfigureAwait(false);
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await RegistryAuditReconciliation.CheckAsync(chain, connection, "a.subject COLLATE \"C\"", cancellationToken).ConfigureAwait(false);
        }
    }

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
