using Jpki.Authority.Crl;
using Jpki.Authority.Ocsp;
using Jpki.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Jpki.Authority.Registry.Sqlite;

/// <summary>
/// The published revocation data of the SQLite store: CRL publication state and documents (blobs written and read
/// incrementally, never whole in memory), pre-signed OCSP answers, the publisher lease (an exclusive lock on
/// <c>registry.db.publisher.lock</c>, released by the kernel when the holder dies) and the change wake-up (the
/// revocation sequence and the publication numbers, polled).
/// </summary>
internal sealed partial class SqliteRegistryStore
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<CrlPublicationState?> GetCrlPublicationAsync(CertificateKind kind, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One read transaction: the pointer and its documents from the same snapshot.
            using var transaction = connection.BeginTransaction(deferred: true);
            using var head = connection.CreateCommand();
            head.Transaction = transaction;
            head.CommandText = "SELECT base_number, base_seq, delta_number, delta_seq, published_at, base_build_ms FROM crl_publications WHERE kind = $kind";
            head.Parameters.AddWithValue("$kind", (int)kind);
            long baseNumber, baseSeq;
            long? deltaNumber, deltaSeq;
            DateTimeOffset publishedAt;
            TimeSpan? buildTime;
            using (var reader = await head.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                baseNumber = reader.GetInt64(0);
                baseSeq = reader.GetInt64(1);
                deltaNumber = reader.IsDBNull(2) ? null : reader.GetInt64(2);
                deltaSeq = reader.IsDBNull(3) ? null : reader.GetInt64(3);
                publishedAt = StoreTime.FromUnixMicroseconds(reader.GetInt64(4));
                buildTime = reader.IsDBNull(5) ? null : TimeSpan.FromMilliseconds(reader.GetInt64(5));
            }

            using var documents = connection.CreateCommand();
            documents.Transaction = transaction;
            documents.CommandText = """
                SELECT number, crl_partition, delta, base_number, this_update, next_update, entries, length, sha256
                FROM crl_documents WHERE kind = $kind AND ((delta = 0 AND number = $base) OR (delta = 1 AND number = $delta))
                ORDER BY delta, crl_partition
                """;
            documents.Parameters.AddWithValue("$kind", (int)kind);
            documents.Parameters.AddWithValue("$base", baseNumber);
            documents.Parameters.AddWithValue("$delta", deltaNumber ?? -1);
            var list = new List<CrlDocumentInfo>();
            using (var reader = await documents.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    list.Add(new CrlDocumentInfo(
                        kind,
                        reader.GetInt64(0),
                        reader.GetInt32(1),
                        reader.GetInt32(2) == 1,
                        reader.IsDBNull(3) ? null : reader.GetInt64(3),
                        StoreTime.FromUnixMicroseconds(reader.GetInt64(4)),
                        StoreTime.FromUnixMicroseconds(reader.GetInt64(5)),
                        reader.GetInt64(6),
                        reader.GetInt64(7),
                        (byte[])reader.GetValue(8)));
                }
            }

            return new CrlPublicationState(kind, baseNumber, baseSeq, deltaNumber, deltaSeq, publishedAt, list) { BaseBuildTime = buildTime };
        }
    }

    public Task<bool> PublishCrlsAsync(CertificateKind kind, bool delta, long number, long sequence, long? baseNumber, IReadOnlyList<CrlDocumentFile> documents, DateTimeOffset publishedAt, TimeSpan buildTime, CancellationToken cancellationToken)
    {
        RegistryArguments.Kind(kind, nameof(kind));
        ArgumentNullException.ThrowIfNull(documents);
        if (delta && baseNumber is null)
        {
            throw new ArgumentException("A delta generation names its base.", nameof(baseNumber));
        }

        return _writer.ExecuteAsync(connection =>
        {
            long? previousBase = null;
            long? previousDelta = null;
            using (var head = connection.CreateCommand())
            {
                head.CommandText = "SELECT base_number, delta_number FROM crl_publications WHERE kind = $kind";
                head.Parameters.AddWithValue("$kind", (int)kind);
                using var reader = head.ExecuteReader();
                if (reader.Read())
                {
                    previousBase = reader.GetInt64(0);
                    previousDelta = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                }
            }

            // Only newer numbers are ever published: a publisher that lost its lease mid-build changes nothing.
            if (delta ? previousBase != baseNumber || number <= (previousDelta ?? previousBase!.Value) : number <= (previousBase ?? 0) || number <= (previousDelta ?? 0))
            {
                return false;
            }

            foreach (var document in documents)
            {
                InsertDocument(connection, document);
            }

            using var pointer = connection.CreateCommand();
            pointer.CommandText = delta
                ? "UPDATE crl_publications SET delta_number = $number, delta_seq = $seq, published_at = $at WHERE kind = $kind"
                : """
                  INSERT INTO crl_publications (kind, base_number, base_seq, delta_number, delta_seq, published_at, base_build_ms)
                  VALUES ($kind, $number, $seq, NULL, NULL, $at, $ms)
                  ON CONFLICT (kind) DO UPDATE SET base_number = $number, base_seq = $seq, delta_number = NULL, delta_seq = NULL, published_at = $at, base_build_ms = $ms
                  """;
            pointer.Parameters.AddWithValue("$kind", (int)kind);
            pointer.Parameters.AddWithValue("$number", number);
            pointer.Parameters.AddWithValue("$seq", sequence);
            pointer.Parameters.AddWithValue("$at", StoreTime.ToUnixMicroseconds(publishedAt));
            pointer.Parameters.AddWithValue("$ms", (long)buildTime.TotalMilliseconds);
            pointer.ExecuteNonQuery();

            // Keep the previous generation (a process may still be copying it); drop what is older.
            using var prune = connection.CreateCommand();
            prune.CommandText = delta
                ? "DELETE FROM crl_documents WHERE kind = $kind AND delta = 1 AND number < $keep"
                : "DELETE FROM crl_documents WHERE kind = $kind AND number < $keep";
            prune.Parameters.AddWithValue("$kind", (int)kind);
            prune.Parameters.AddWithValue("$keep", delta ? previousDelta ?? number : previousBase ?? number);
            prune.ExecuteNonQuery();
            return true;
        }, cancellationToken);
    }

    public async Task CopyCrlDocumentAsync(CrlDocumentInfo document, Stream destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(destination);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var find = connection.CreateCommand();
            find.CommandText = "SELECT rowid FROM crl_documents WHERE kind = $kind AND number = $number AND crl_partition = $partition AND delta = $delta";
            find.Parameters.AddWithValue("$kind", (int)document.Kind);
            find.Parameters.AddWithValue("$number", document.Number);
            find.Parameters.AddWithValue("$partition", document.Partition);
            find.Parameters.AddWithValue("$delta", document.Delta ? 1 : 0);
            if (await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long rowid)
            {
                throw new FileNotFoundException($"CRL document #{document.Number} (partition {document.Partition}, delta {document.Delta}) is not stored.");
            }

            using var blob = new SqliteBlob(connection, "crl_documents", "der", rowid, readOnly: true);
            await blob.CopyToAsync(destination, 1 << 16, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<StoredOcspResponse?> FindOcspResponseAsync(string serialHex, OcspCertIdHash hash, CancellationToken cancellationToken)
    {
        RegistryArguments.Serial(serialHex, nameof(serialHex));
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT kind, status, this_update, next_update, refresh_at, der FROM ocsp_responses WHERE serial = $serial AND hash_algorithm = $hash";
            command.Parameters.AddWithValue("$serial", serialHex);
            command.Parameters.AddWithValue("$hash", (int)hash);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                return new StoredOcspResponse(
                    serialHex,
                    hash,
                    (CertificateKind)reader.GetInt32(0),
                    reader.GetInt32(1),
                    StoreTime.FromUnixMicroseconds(reader.GetInt64(2)),
                    StoreTime.FromUnixMicroseconds(reader.GetInt64(3)),
                    StoreTime.FromUnixMicroseconds(reader.GetInt64(4)),
                    (byte[])reader.GetValue(5));
            }
        }
    }

    public Task<int> StoreOcspResponsesAsync(IReadOnlyList<StoredOcspResponse> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Count == 0)
        {
            return Task.FromResult(0);
        }

        return _writer.ExecuteAsync(connection =>
        {
            using var command = connection.CreateCommand();

            // Inside the single writer's transaction: a good answer for a certificate revoked meanwhile is not stored;
            // a newer stored answer is not replaced by an older one.
            command.CommandText = """
                INSERT INTO ocsp_responses (serial, hash_algorithm, kind, status, this_update, next_update, refresh_at, der)
                SELECT $serial, $hash, $kind, $status, $this, $next, $refresh, $der
                WHERE EXISTS (SELECT 1 FROM certificates WHERE serial = $serial AND ($status = 1 OR revoked_at IS NULL))
                ON CONFLICT (serial, hash_algorithm) DO UPDATE SET
                    kind = excluded.kind, status = excluded.status, this_update = excluded.this_update,
                    next_update = excluded.next_update, refresh_at = excluded.refresh_at, der = excluded.der
                WHERE excluded.this_update >= ocsp_responses.this_update
                """;
            var serial = command.Parameters.Add("$serial", SqliteType.Text);
            var hash = command.Parameters.Add("$hash", SqliteType.Integer);
            var kind = command.Parameters.Add("$kind", SqliteType.Integer);
            var status = command.Parameters.Add("$status", SqliteType.Integer);
            var thisUpdate = command.Parameters.Add("$this", SqliteType.Integer);
            var nextUpdate = command.Parameters.Add("$next", SqliteType.Integer);
            var refresh = command.Parameters.Add("$refresh", SqliteType.Integer);
            var der = command.Parameters.Add("$der", SqliteType.Blob);
            var stored = 0;
            foreach (var response in responses)
            {
                serial.Value = response.SerialHex;
                hash.Value = (int)response.HashAlgorithm;
                kind.Value = (int)response.Kind;
                status.Value = response.Status;
                thisUpdate.Value = StoreTime.ToUnixMicroseconds(response.ThisUpdate);
                nextUpdate.Value = StoreTime.ToUnixMicroseconds(response.NextUpdate);
                refresh.Value = StoreTime.ToUnixMicroseconds(response.RefreshAt);
                der.Value = response.Der.ToArray();
                stored += command.ExecuteNonQuery();
            }

            return stored;
        }, cancellationToken);
    }

    public async Task<(IReadOnlyList<OcspWork> Work, DateTimeOffset IssuedCursor)> FindOcspWorkAsync(DateTimeOffset now, DateTimeOffset issuedFrom, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var work = new List<OcspWork>();
            using (var due = connection.CreateCommand())
            {
                due.CommandText = """
                    SELECT r.serial, r.kind, r.hash_algorithm FROM ocsp_responses AS r
                    JOIN certificates AS c ON c.serial = r.serial
                    WHERE r.refresh_at <= $now AND c.not_after >= $now
                    ORDER BY r.refresh_at LIMIT $limit
                    """;
                due.Parameters.AddWithValue("$now", StoreTime.ToUnixMicroseconds(now));
                due.Parameters.AddWithValue("$limit", limit);
                using var reader = await due.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    work.Add(new OcspWork(reader.GetString(0), (CertificateKind)reader.GetInt32(1), (OcspCertIdHash)reader.GetInt32(2)));
                }
            }

            var cursor = issuedFrom;
            if (work.Count < limit)
            {
                using var missing = connection.CreateCommand();
                missing.CommandText = """
                    SELECT c.serial, c.kind, c.issued_at FROM certificates AS c INDEXED BY ix_certificates_issued
                    WHERE c.issued_at >= $from AND c.not_after >= $now AND c.revoked_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM ocsp_responses AS r WHERE r.serial = c.serial AND r.hash_algorithm = 1)
                    ORDER BY c.issued_at LIMIT $limit
                    """;
                missing.Parameters.AddWithValue("$from", StoreTime.ToUnixMicroseconds(issuedFrom));
                missing.Parameters.AddWithValue("$now", StoreTime.ToUnixMicroseconds(now));
                missing.Parameters.AddWithValue("$limit", limit - work.Count);
                using var reader = await missing.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    work.Add(new OcspWork(reader.GetString(0), (CertificateKind)reader.GetInt32(1), OcspCertIdHash.Sha1));
                    cursor = StoreTime.FromUnixMicroseconds(reader.GetInt64(2));
                }
            }

            return (work, cursor);
        }
    }

    public Task<IPublisherLease?> TryAcquirePublisherLeaseAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<IPublisherLease?>(FilePublisherLease.TryAcquire(Description + ".publisher.lock"));
    }

    public async Task WaitForChangeAsync(long cursor, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Polled on the monotonic timer, not the injected clock: the change comes from another process in real time.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var publications = await ReadPublicationMarkAsync(connection, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (await ReadCursorAsync(connection, cancellationToken).ConfigureAwait(false) != cursor
                    || await ReadPublicationMarkAsync(connection, cancellationToken).ConfigureAwait(false) != publications)
                {
                    return;
                }

                var left = timeout - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                await Task.Delay(left < PollInterval ? left : PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<long> ReadPublicationMarkAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(sum(base_number * 2 + coalesce(delta_number, 0)), 0) FROM crl_publications";
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long mark ? mark : 0;
    }

    private static void InsertDocument(SqliteConnection connection, CrlDocumentFile document)
    {
        var info = document.Info;
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO crl_documents (kind, number, crl_partition, delta, base_number, this_update, next_update, entries, length, sha256, der)
            VALUES ($kind, $number, $partition, $delta, $base, $this, $next, $entries, $length, $sha, zeroblob($length))
            RETURNING rowid
            """;
        insert.Parameters.AddWithValue("$kind", (int)info.Kind);
        insert.Parameters.AddWithValue("$number", info.Number);
        insert.Parameters.AddWithValue("$partition", info.Partition);
        insert.Parameters.AddWithValue("$delta", info.Delta ? 1 : 0);
        insert.Parameters.AddWithValue("$base", (object?)info.BaseNumber ?? DBNull.Value);
        insert.Parameters.AddWithValue("$this", StoreTime.ToUnixMicroseconds(info.ThisUpdate));
        insert.Parameters.AddWithValue("$next", StoreTime.ToUnixMicroseconds(info.NextUpdate));
        insert.Parameters.AddWithValue("$entries", info.EntryCount);
        insert.Parameters.AddWithValue("$length", info.Length);
        insert.Parameters.Add("$sha", SqliteType.Blob).Value = info.Sha256.ToArray();
        var rowid = (long)insert.ExecuteScalar()!;

        // Streamed into the blob: a CRL of millions of entries is never held in memory.
        using var blob = new SqliteBlob(connection, "crl_documents", "der", rowid);
        using var file = new FileStream(document.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.Length != info.Length)
        {
            throw new IOException($"The CRL file {Path.GetFileName(document.Path)} changed size before it was stored.");
        }

        file.CopyTo(blob, 1 << 16);
    }
}
