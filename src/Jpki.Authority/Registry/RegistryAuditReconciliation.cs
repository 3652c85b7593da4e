using System.Data.Common;
using System.Globalization;
using Jpki.Authority.Audit;

namespace Jpki.Authority.Registry;

/// <summary>
/// The second half of <c>audit verify</c> for a store that is its own audit log: an intact chain proves the log was not
/// changed, not that the registry still says what the log says. Deleting a revoked row, un-revoking it in a copy, or
/// inserting a row nobody issued leaves the chain intact; these two queries find it. Both run on the store's own SQL engine
/// (SQLite or PostgreSQL, the same text) in one pass each: audit entries joined to certificates by serial, and certificates
/// joined to the entries grouped by subject.
/// </summary>
internal static class RegistryAuditReconciliation
{
    /// <summary>The first (lowest sequence) issuance or revocation entry whose certificate row is missing or not revoked. <c>{0}</c>: the subject column as compared with a serial.</summary>
    private const string EntriesWithoutRows = """
        SELECT a.seq, a.action, a.subject FROM audit_log a
        WHERE (a.action = 'cert.revoke' AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.serial = {0} AND c.revoked_at IS NOT NULL))
           OR (a.action IN ('cert.issue', 'ocsp.signer') AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.serial = {0}))
        ORDER BY a.seq
        LIMIT 1
        """;

    /// <summary>The first certificate row without an issuance entry, or revoked without a revocation entry.</summary>
    private const string RowsWithoutEntries = """
        SELECT c.serial, CASE WHEN c.revoked_at IS NULL THEN 0 ELSE 1 END, CASE WHEN e.subject IS NULL THEN 0 ELSE e.issued END
        FROM certificates c
        LEFT JOIN (SELECT {0} AS subject,
                          max(CASE WHEN a.action = 'cert.revoke' THEN 0 ELSE 1 END) AS issued,
                          max(CASE WHEN a.action = 'cert.revoke' THEN 1 ELSE 0 END) AS revoked
                   FROM audit_log a WHERE a.action IN ('cert.issue', 'ocsp.signer', 'cert.revoke')
                   GROUP BY {0}) e ON e.subject = c.serial
        WHERE e.subject IS NULL OR e.issued = 0 OR (c.revoked_at IS NOT NULL AND e.revoked = 0)
        ORDER BY c.serial
        LIMIT 1
        """;

    /// <summary>
    /// Checks the registry against an intact <paramref name="chain"/> verdict (a broken one is returned as it is: the log
    /// itself cannot be trusted then). <paramref name="subject"/> is the SQL for <c>a.subject</c> compared with a serial
    /// (PostgreSQL: with the serial column's collation).
    /// </summary>
    public static async Task<AuditVerification> CheckAsync(AuditVerification chain, DbConnection connection, string subject, CancellationToken cancellationToken)
    {
        if (!chain.IsIntact)
        {
            return chain;
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = string.Format(CultureInfo.InvariantCulture, EntriesWithoutRows, subject);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var sequence = reader.GetInt64(0);
                    var action = reader.GetString(1);
                    var serial = reader.GetString(2);
                    return Disagrees(chain, sequence, action == "cert.revoke"
                        ? Invariant($"entry {sequence} revoked certificate {serial}, but the registry does not hold it as revoked: the row was deleted or replaced beside the log")
                        : Invariant($"entry {sequence} issued certificate {serial}, but the registry does not hold it: the row was deleted beside the log"));
                }
            }
        }

        using (var command = connection.CreateCommand())
        {
            command.CommandText = string.Format(CultureInfo.InvariantCulture, RowsWithoutEntries, subject);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var serial = reader.GetString(0);
                    var revoked = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) == 1;
                    var issued = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture) == 1;
                    return Disagrees(chain, null, issued && revoked
                        ? Invariant($"certificate {serial} is revoked in the registry, but no entry records its revocation")
                        : Invariant($"certificate {serial} is in the registry, but no entry records its issuance: the row was inserted beside the log"));
                }
            }
        }

        return chain;
    }

    private static AuditVerification Disagrees(AuditVerification chain, long? sequence, string problem) =>
        new(false, chain.EntriesChecked, sequence, problem) { Kind = AuditProblem.RegistryDisagrees, Head = chain.Head };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
