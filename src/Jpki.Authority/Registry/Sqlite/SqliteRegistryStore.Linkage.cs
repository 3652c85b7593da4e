namespace Jpki.Authority.Registry.Sqlite;

/// <summary>The §8.3 linkage queries of the SQLite store.</summary>
internal sealed partial class SqliteRegistryStore
{
    public Task<IReadOnlyList<CertificateRecord>> FindCounterpartsAsync(string serialHex, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        return QueryRecordsAsync(
            $"""
            SELECT {Qualified("other")} FROM certificates AS this
            JOIN certificates AS other
              ON other.holder_id = this.holder_id AND other.card_id = this.card_id AND other.kind <> this.kind
            WHERE this.serial = $p
            ORDER BY other.issued_at, other.serial
            """,
            serialHex,
            cancellationToken);
    }

    public Task<IReadOnlyList<CertificateRecord>> FindRenewalChainAsync(string serialHex, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        return RenewalChain.BuildAsync(serialHex, FindBySerialAsync, FindSuccessorsAsync, cancellationToken);
    }

    public Task<IReadOnlyList<CertificateRecord>> FindSuccessorsAsync(string serialHex, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        return QueryRecordsAsync(
            $"SELECT {CertificateColumns} FROM certificates WHERE previous_serial = $p ORDER BY issued_at, serial",
            serialHex,
            cancellationToken);
    }

    private static string Qualified(string alias) =>
        string.Join(", ", CertificateColumns.Split(", ").Select(column => $"{alias}.{column}"));
}
