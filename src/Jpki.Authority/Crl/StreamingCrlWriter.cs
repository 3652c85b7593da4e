using Jpki.Core.Storage;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;

namespace Jpki.Authority.Crl;

/// <summary>
/// Writes an RFC 5280 v2 CRL (cRLNumber, authorityKeyIdentifier, reasonCode entry extensions; for a partition the
/// issuingDistributionPoint, for a delta the deltaCRLIndicator, for a complete CRL with deltas the freshestCRL) from a
/// stream of entries, holding one entry at a time: the revokedCertificates are spooled to a temporary file to learn their length,
/// then the TBSCertList is streamed once through SHA-256 and into the output. Memory does not grow with the entry count
/// (unlike <see cref="System.Security.Cryptography.X509Certificates.CertificateRevocationListBuilder"/>).
/// </summary>
public static class StreamingCrlWriter
{
    private const int CopyBufferSize = 1 << 16;

    /// <summary>Writes the full CRL of <paramref name="ca"/> to <paramref name="output"/>, signed with its key.</summary>
    public static Task<CrlDocument> WriteAsync(
        IssuingCa ca,
        IAsyncEnumerable<RevokedEntry> entries,
        long crlNumber,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        Stream output,
        CancellationToken cancellationToken)
        => WriteAsync(ca, entries, crlNumber, thisUpdate, nextUpdate, CrlScope.Full, output, cancellationToken);

    /// <summary>Writes a CRL of <paramref name="ca"/> with the given <paramref name="scope"/> to <paramref name="output"/>, signed with its key.</summary>
    /// <param name="ca">The issuing CA (name, SKI, key).</param>
    /// <param name="entries">Revoked certificates, any order (the registry streams them in serial order).</param>
    /// <param name="crlNumber">The cRLNumber (RFC 5280 §5.2.3).</param>
    /// <param name="thisUpdate">thisUpdate.</param>
    /// <param name="nextUpdate">nextUpdate.</param>
    /// <param name="scope">Partition, delta base and freshestCRL (<see cref="CrlScope.Full"/> for a plain full CRL).</param>
    /// <param name="output">Where the DER goes.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public static async Task<CrlDocument> WriteAsync(
        IssuingCa ca,
        IAsyncEnumerable<RevokedEntry> entries,
        long crlNumber,
        DateTimeOffset thisUpdate,
        DateTimeOffset nextUpdate,
        CrlScope scope,
        Stream output,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(crlNumber);
        if (nextUpdate <= thisUpdate)
        {
            throw new ArgumentOutOfRangeException(nameof(nextUpdate), nextUpdate, "nextUpdate must follow thisUpdate.");
        }

        var spoolPath = Path.Combine(Path.GetTempPath(), "jpki-crl-" + Guid.NewGuid().ToString("N") + ".tmp");
        await using var spool = new FileStream(spoolPath, PrivateFiles.CreateOptions(FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose, CopyBufferSize));
        var (count, revokedLength) = await SpoolEntriesAsync(entries, spool, cancellationToken).ConfigureAwait(false);

        var algorithm = ca.Key.SignatureAlgorithm;
        var algorithmIdentifier = CaSignatureAlgorithms.Identifier(algorithm);
        var prefix = new AsnWriter(AsnEncodingRules.DER);
        prefix.WriteInteger(1);
        prefix.WriteEncodedValue(algorithmIdentifier);
        prefix.WriteEncodedValue(ca.Name.RawData);
        DerTime.Write(prefix, thisUpdate);
        DerTime.Write(prefix, nextUpdate);
        var prefixBytes = prefix.Encode();

        var extensions = new AsnWriter(AsnEncodingRules.DER);
        using (extensions.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
        using (extensions.PushSequence())
        {
            WriteExtension(extensions, ProfileExtensions.AuthorityKeyIdentifier(ca.SubjectKeyId));
            var number = new AsnWriter(AsnEncodingRules.DER);
            number.WriteInteger(crlNumber);
            WriteExtension(extensions, new System.Security.Cryptography.X509Certificates.X509Extension(Oids.CrlNumber, number.Encode(), critical: false));
            if (scope.DeltaBase is { } deltaBase)
            {
                // RFC 5280 §5.2.4: critical, so a verifier that does not know deltas cannot take one for a complete CRL.
                var baseNumber = new AsnWriter(AsnEncodingRules.DER);
                baseNumber.WriteInteger(deltaBase);
                WriteExtension(extensions, new System.Security.Cryptography.X509Certificates.X509Extension(Oids.DeltaCrlIndicator, baseNumber.Encode(), critical: true));
            }

            if (scope.DistributionPoint is { } point)
            {
                WriteExtension(extensions, ProfileExtensions.IssuingDistributionPoint(point));
            }

            if (scope.FreshestCrl is { } freshest)
            {
                WriteExtension(extensions, ProfileExtensions.FreshestCrl(freshest));
            }
        }

        var extensionBytes = extensions.Encode();
        var revokedHeader = count > 0 ? DerLength.Header(0x30, revokedLength) : [];
        var tbsContent = checked(prefixBytes.Length + revokedHeader.Length + (count > 0 ? revokedLength : 0) + extensionBytes.Length);
        var tbsHeader = DerLength.Header(0x30, tbsContent);
        var signatureSize = algorithm == CaSignatureAlgorithm.EcdsaWithSha384 ? PlannedP384SignatureSize : ca.Key.SignatureSize;
        var bitStringHeader = DerLength.Header(0x03, signatureSize + 1L);
        var outerContent = checked(tbsHeader.Length + tbsContent + algorithmIdentifier.Length + bitStringHeader.Length + 1 + signatureSize);
        var outerHeader = DerLength.Header(0x30, outerContent);

        using var hash = IncrementalHash.CreateHash(CaSignatureAlgorithms.Hash(algorithm));
        await output.WriteAsync(outerHeader, cancellationToken).ConfigureAwait(false);
        async Task TbsAsync(ReadOnlyMemory<byte> bytes)
        {
            hash.AppendData(bytes.Span);
            await output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        await TbsAsync(tbsHeader).ConfigureAwait(false);
        await TbsAsync(prefixBytes).ConfigureAwait(false);
        if (count > 0)
        {
            await TbsAsync(revokedHeader).ConfigureAwait(false);
            spool.Position = 0;
            var buffer = new byte[CopyBufferSize];
            int read;
            while ((read = spool.Read(buffer)) > 0)
            {
                await TbsAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }
        }

        await TbsAsync(extensionBytes).ConfigureAwait(false);
        var signature = SignToLength(ca.Key, hash.GetHashAndReset(), signatureSize);
        await output.WriteAsync(algorithmIdentifier, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(bitStringHeader, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(new byte[] { 0 }, cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(signature, cancellationToken).ConfigureAwait(false);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new CrlDocument(crlNumber, thisUpdate, nextUpdate, count, outerHeader.Length + outerContent);
    }

    /// <summary>
    /// The length the streamed CRL declares for a P-384 signature before it is made: DER <c>SEQUENCE { r, s }</c> is 102–104
    /// bytes as r and s need a leading zero or not; 103 (exactly one does) is the most likely, half of all signatures.
    /// </summary>
    private const int PlannedP384SignatureSize = 103;

    /// <summary>
    /// Signs <paramref name="digest"/> to exactly <paramref name="length"/> bytes: the lengths were written before the
    /// signature existed. RSA signatures always have the modulus length; ECDSA is randomised, so a signature of another
    /// DER length is discarded and the digest signed again (two tries on average; every try is a valid signature).
    /// </summary>
    private static byte[] SignToLength(ICaSigningKey key, byte[] digest, int length)
    {
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var signature = key.SignHash(digest);
            if (signature.Length == length)
            {
                return signature;
            }

            if (key.SignatureAlgorithm != CaSignatureAlgorithm.EcdsaWithSha384)
            {
                break;
            }
        }

        throw new CryptographicException($"The CA key did not produce a {length}-byte signature for the CRL.");
    }

    /// <summary>Entries handed from the reading task to the encoding loop at a time.</summary>
    private const int BatchSize = 2048;

    /// <summary>
    /// Encodes the entries into <paramref name="spool"/>. The source (a registry scan: database driver, decoding, and for
    /// a publication the coverage check's digest) is read ahead on another task in batches, so reading and DER encoding
    /// run on two cores; at most a few batches are in flight, so memory stays flat.
    /// </summary>
    private static async Task<(long Count, long Length)> SpoolEntriesAsync(IAsyncEnumerable<RevokedEntry> entries, Stream spool, CancellationToken cancellationToken)
    {
        var channel = System.Threading.Channels.Channel.CreateBounded<RevokedEntry[]>(new System.Threading.Channels.BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = Task.Run(() => ReadAheadAsync(entries, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 64);
            var buffer = new byte[CopyBufferSize];
            var used = 0;
            long count = 0;
            long length = 0;
            await foreach (var batch in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in batch)
                {
                    writer.Reset();
                    WriteEntry(writer, entry);
                    var size = writer.GetEncodedLength();
                    if (used + size > buffer.Length)
                    {
                        // Our own temporary file, in the page cache: synchronous writes of whole buffers (an async file
                        // write on Linux is a thread-pool hop each).
                        spool.Write(buffer, 0, used);
                        used = 0;
                    }

                    used += writer.Encode(buffer.AsSpan(used));
                    length += size;
                }

                count += batch.Length;
            }

            spool.Write(buffer, 0, used);
            spool.Flush();
            await reading.ConfigureAwait(false);
            return (count, length);
        }
        finally
        {
            // On a failure of the encoding side, stop the reader; it ends (and its exception, already reported through
            // the channel when it came first, is observed here).
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (Exception) when (!reading.IsCompletedSuccessfully)
            {
                // Already thrown to the caller through the channel, or the result of the cancellation above.
            }
        }
    }

    private static async Task ReadAheadAsync(IAsyncEnumerable<RevokedEntry> entries, System.Threading.Channels.ChannelWriter<RevokedEntry[]> output, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new RevokedEntry[BatchSize];
            var filled = 0;
            await foreach (var entry in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                batch[filled++] = entry;
                if (filled == batch.Length)
                {
                    await output.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch = new RevokedEntry[BatchSize];
                    filled = 0;
                }
            }

            if (filled > 0)
            {
                await output.WriteAsync(batch[..filled], cancellationToken).ConfigureAwait(false);
            }

            output.Complete();
        }
        catch (Exception ex)
        {
            output.Complete(ex);
            throw;
        }
    }

    private static void WriteEntry(AsnWriter writer, RevokedEntry entry)
    {
        var hex = entry.SerialHex.AsSpan();
        if (hex.Length == 0 || hex.Length > 64)
        {
            throw new InvalidDataException("A registry serial is not hex of 1 to 32 octets.");
        }

        Span<char> padded = stackalloc char[64];
        var odd = hex.Length % 2;
        padded[0] = '0';
        hex.CopyTo(padded[odd..]);
        Span<byte> serial = stackalloc byte[32];
        if (Convert.FromHexString(padded[..(hex.Length + odd)], serial, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            throw new InvalidDataException("A registry serial is not hex.");
        }

        using (writer.PushSequence())
        {
            var value = serial[..written];
            while (value.Length > 1 && value[0] == 0)
            {
                value = value[1..];
            }

            writer.WriteIntegerUnsigned(value);
            DerTime.Write(writer, entry.RevokedAt);

            // RFC 5280 §5.3.1: reasonCode unspecified SHOULD be absent.
            if (entry.Reason != RevocationReason.Unspecified)
            {
                writer.WriteEncodedValue(ReasonExtensions(entry.Reason));
            }
        }
    }

    /// <summary>The crlEntryExtensions of each reason (a SEQUENCE holding the reasonCode extension), encoded once.</summary>
    private static readonly byte[][] ReasonExtensionsByCode = [.. Enumerable.Range(0, 11).Select(code =>
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Oids.CrlReason);
            using (writer.PushOctetString())
            {
                writer.WriteEnumeratedValue((RevocationReason)code);
            }
        }

        return writer.Encode();
    })];

    private static byte[] ReasonExtensions(RevocationReason reason)
    {
        var code = (int)reason;
        return (uint)code < (uint)ReasonExtensionsByCode.Length
            ? ReasonExtensionsByCode[code]
            : throw new InvalidDataException($"Revocation reason {code} is not an RFC 5280 CRLReason.");
    }

    private static void WriteExtension(AsnWriter writer, System.Security.Cryptography.X509Certificates.X509Extension extension)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(extension.Oid!.Value!);
            if (extension.Critical)
            {
                writer.WriteBoolean(true);
            }

            writer.WriteOctetString(extension.RawData);
        }
    }
}
