using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Jpki.Authority.Audit;
using Jpki.Authority.Keys;
using Jpki.Core.Cms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Jpki.Authority.Tsa;

/// <summary>
/// The RFC 3161 time-stamping authority of OpenJpki (served at <c>POST /tsa</c>). Each accepted request gets a token
/// signed by the TSA unit key: TSTInfo with the imprint, genTime from the injected clock (millisecond precision),
/// the stated accuracy, the policy, the nonce echoed, the TSA's name, and — when the request asks (certReq) — the TSA
/// certificate. The token's SignerInfo carries ESS signingCertificateV2 (RFC 5816).
/// </summary>
/// <remarks>
/// <para>Serial numbers are the sequence numbers of the token's entry in the authority's audit log (<c>tsa.stamp</c>):
/// the entry is appended before the token is signed, so every token is recorded, and the log's gap-free sequence —
/// shared by every process on the same registry database, SQLite or PostgreSQL — makes serials unique across
/// restarts and processes. When the log cannot be written, the request is rejected with systemFailure: no token
/// without a record.</para>
/// <para>Malformed requests are answered with PKIStatus rejection and the failure bit (never an exception).</para>
/// </remarks>
public sealed class TimestampAuthority : IDisposable
{
    /// <summary>id-ct-TSTInfo, 1.2.840.113549.1.9.16.1.4 (RFC 3161 §2.4.2).</summary>
    public const string TstInfoContentType = "1.2.840.113549.1.9.16.1.4";

    /// <summary>The media type of a request, <c>application/timestamp-query</c> (RFC 3161 §3.4).</summary>
    public const string RequestMediaType = "application/timestamp-query";

    /// <summary>The media type of an answer, <c>application/timestamp-reply</c> (RFC 3161 §3.4).</summary>
    public const string ReplyMediaType = "application/timestamp-reply";

    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    private readonly ICaSigningKey _key;
    private readonly CaKeyRsa _rsa;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly byte[] _tsaName;
    private readonly byte[] _signingCertificateV2;
    private readonly string _certificateSha256;

    /// <summary>Creates the TSA over its unit key and certificates; the key is owned and disposed with the TSA.</summary>
    /// <param name="unitKey">The TSA unit's private key.</param>
    /// <param name="unitCertificate">The TSA unit certificate (DER), issued by <paramref name="rootCertificate"/>.</param>
    /// <param name="rootCertificate">The TSA root certificate (DER), the trust anchor relying parties configure.</param>
    /// <param name="audit">The audit log every token is recorded in.</param>
    /// <param name="clock">The source of genTime.</param>
    /// <param name="options">Policy, accuracy, limits; null for the defaults.</param>
    /// <exception cref="ArgumentException">The unit certificate is not a TSA certificate (id-kp-timeStamping, critical) or does not match the key.</exception>
    public TimestampAuthority(ICaSigningKey unitKey, ReadOnlyMemory<byte> unitCertificate, ReadOnlyMemory<byte> rootCertificate, IAuditLog audit, TimeProvider clock, TimestampAuthorityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(unitKey);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(clock);
        Certificate = X509CertificateLoader.LoadCertificate(unitCertificate.Span);
        RootCertificate = X509CertificateLoader.LoadCertificate(rootCertificate.Span);
        if (!Certificate.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(unitKey.PublicKey.EncodedKeyValue.RawData))
        {
            throw new ArgumentException("The TSA certificate does not certify the TSA key.", nameof(unitCertificate));
        }

        if (Certificate.Extensions["2.5.29.37"] is not X509EnhancedKeyUsageExtension { Critical: true } usage
            || usage.EnhancedKeyUsages.Count != 1
            || usage.EnhancedKeyUsages[0].Value != TsaCertificateProfile.TimeStampingOid)
        {
            throw new ArgumentException("The TSA certificate must carry extendedKeyUsage id-kp-timeStamping alone, critical (RFC 3161 §2.3).", nameof(unitCertificate));
        }

        _key = unitKey;
        _rsa = new CaKeyRsa(unitKey);
        _audit = audit;
        _clock = clock;
        Options = options ?? new TimestampAuthorityOptions();
        _tsaName = EncodeDirectoryName(Certificate.SubjectName);
        _signingCertificateV2 = SigningCertificateV2.Encode(Certificate);
        _certificateSha256 = Convert.ToHexString(SHA256.HashData(Certificate.RawDataMemory.Span));
    }

    /// <summary>
    /// Creates a TSA with a fresh hierarchy: a self-signed TSA root certified by <paramref name="rootKey"/> (not owned)
    /// and a TSA unit certificate for <paramref name="unitKey"/> (owned), both dated the clock's now.
    /// </summary>
    public static TimestampAuthority Create(ICaSigningKey rootKey, ICaSigningKey unitKey, bool testNames, IAuditLog audit, TimeProvider clock, TimestampAuthorityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentNullException.ThrowIfNull(unitKey);
        ArgumentNullException.ThrowIfNull(clock);
        var now = clock.GetUtcNow();
        var rootDer = TsaCertificateProfile.BuildRoot(TsaCertificateProfile.RootName(testNames), rootKey, Ca.RandomIdentifierSource.Instance.NextSerial(), now);
        using var root = X509CertificateLoader.LoadCertificate(rootDer);
        var unitDer = TsaCertificateProfile.BuildUnit(root, rootKey, TsaCertificateProfile.UnitName(testNames), unitKey.PublicKey, Ca.RandomIdentifierSource.Instance.NextSerial(), now);
        return new TimestampAuthority(unitKey, unitDer, rootDer, audit, clock, options);
    }

    /// <summary>The TSA unit certificate that signs the tokens.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The TSA root certificate: what a relying party trusts to accept the tokens.</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>The options.</summary>
    public TimestampAuthorityOptions Options { get; }

    /// <summary>Where tokens issued (event 4130, its serial and hash algorithm) and refusals (4131, the failure) are logged; nowhere until a host sets it.</summary>
    public ILogger Logger { get; set; } = NullLogger.Instance;

    /// <summary>Answers a DER TimeStampReq with a DER TimeStampResp: granted with a token, or a rejection.</summary>
    /// <param name="request">The request body.</param>
    /// <param name="cancellationToken">Cancels the audit-log append (the request is then not answered).</param>
    /// <exception cref="OperationCanceledException">Cancelled before the token was recorded.</exception>
    public async Task<TimestampAnswer> RespondAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(request, cancellationToken).ConfigureAwait(false);
        if (!answer.Granted)
        {
            Log.TimestampRefused(Logger, answer.Failure.ToString(), answer.Message);
        }

        return answer;
    }

    private async Task<TimestampAnswer> AnswerAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        var check = TimestampRequestReader.Read(request, Options);
        if (check.Fields is not { } fields)
        {
            return Reject(check.Failure, check.Message);
        }

        var genTime = _clock.GetUtcNow();
        genTime = new DateTimeOffset(genTime.UtcTicks - (genTime.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        long serial;
        try
        {
            serial = await _audit.AppendAsync(new AuditEntry(genTime, "tsa", "tsa.stamp", $"{fields.HashAlgorithm.Name}:{Convert.ToHexString(fields.Hash)}", Details(fields, genTime)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any store failure (I/O, database, timeout): no token may leave without its record.
            return Reject(TimestampFailure.SystemFailure, "The time-stamp could not be recorded in the audit log; try again later.");
        }

        byte[] token;
        try
        {
            token = Sign(fields, serial, genTime);
        }
        catch (CryptographicException)
        {
            await RecordFailureAsync(serial, genTime).ConfigureAwait(false);
            return Reject(TimestampFailure.SystemFailure, "The TSA key could not sign the time-stamp; try again later.");
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteInteger(0);
            }

            writer.WriteEncodedValue(token);
        }

        AuthorityTelemetry.Timestamped("granted");
        Log.TimestampIssued(Logger, serial, fields.HashAlgorithm.Name ?? "?");
        return new TimestampAnswer(true, TimestampFailure.None, "granted", writer.Encode(), serial, genTime);
    }

    /// <summary>A rejection TimeStampResp (PKIStatus rejection, the failure bit and <paramref name="message"/> as statusString).</summary>
    /// <exception cref="ArgumentException"><paramref name="failure"/> is None.</exception>
    public static TimestampAnswer Reject(TimestampFailure failure, string message)
    {
        if (failure == TimestampFailure.None)
        {
            throw new ArgumentException("A rejection needs a failure.", nameof(failure));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        AuthorityTelemetry.Timestamped(failure.ToString());
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        using (writer.PushSequence())
        {
            writer.WriteInteger(2);
            using (writer.PushSequence())
            {
                writer.WriteCharacterString(UniversalTagNumber.UTF8String, message);
            }

            writer.WriteNamedBitList(failure);
        }

        return new TimestampAnswer(false, failure, message, writer.Encode(), null, null);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rsa.Dispose();
        _key.Dispose();
        Certificate.Dispose();
        RootCertificate.Dispose();
    }

    private byte[] Sign(TimestampRequestFields fields, long serial, DateTimeOffset genTime)
    {
        var accuracy = Options.Accuracy > TimeSpan.Zero ? (long?)(Options.Accuracy.Ticks / TimeSpan.TicksPerMicrosecond) : null;
        var info = new Rfc3161TimestampTokenInfo(
            new Oid(fields.Policy),
            new Oid(fields.HashOid),
            fields.Hash,
            new BigInteger(serial).ToByteArray(isUnsigned: false, isBigEndian: true),
            genTime,
            accuracy,
            isOrdering: false,
            // A null byte[] converts to an empty, non-null memory: pass null explicitly when there is no nonce.
            nonce: fields.Nonce is { } nonce ? new ReadOnlyMemory<byte>(nonce) : (ReadOnlyMemory<byte>?)null,
            timestampAuthorityName: _tsaName);
        var cms = new SignedCms(new ContentInfo(new Oid(TstInfoContentType), info.Encode()), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, Certificate, _rsa)
        {
            DigestAlgorithm = new Oid(Sha256Oid),
            IncludeOption = fields.CertificateRequested ? X509IncludeOption.EndCertOnly : X509IncludeOption.None,
            SignaturePadding = RSASignaturePadding.Pkcs1,
        };
        signer.SignedAttributes.Add(new AsnEncodedData(SigningCertificateV2.Oid, _signingCertificateV2));
        cms.ComputeSignature(signer, silent: true);
        return cms.Encode();
    }

    private string Details(TimestampRequestFields fields, DateTimeOffset genTime) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["serial"] = "this entry's sequence number",
        ["genTime"] = genTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        ["policy"] = fields.Policy,
        ["hashAlgorithm"] = fields.HashAlgorithm.Name!,
        ["nonce"] = fields.Nonce is null ? string.Empty : Convert.ToHexString(fields.Nonce),
        ["certReq"] = fields.CertificateRequested ? "true" : "false",
        ["tsaCertificateSha256"] = _certificateSha256,
    });

    private async Task RecordFailureAsync(long serial, DateTimeOffset genTime)
    {
        try
        {
            await _audit.AppendAsync(new AuditEntry(genTime, "tsa", "tsa.fail", serial.ToString(CultureInfo.InvariantCulture), "The token recorded under this serial was not issued: the TSA key failed to sign."), CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // the client already gets systemFailure; a second store failure changes nothing it can act on
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>GeneralName directoryName ([4] EXPLICIT Name) of the TSA, for TSTInfo.tsa.</summary>
    private static byte[] EncodeDirectoryName(X500DistinguishedName name)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
        {
            writer.WriteEncodedValue(name.RawData);
        }

        return writer.Encode();
    }
}
