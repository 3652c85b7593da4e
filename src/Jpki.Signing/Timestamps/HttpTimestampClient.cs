using System.Formats.Asn1;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Jpki.Signing.Timestamps;

/// <summary>
/// An RFC 3161 client over HTTP (§3.4): POSTs a TimeStampReq (<c>application/timestamp-query</c>) with a fresh 64-bit
/// nonce and certReq, and accepts the answer only when it is granted and its token matches the request — imprint,
/// nonce, policy, the TSA certificate present (the BCL's <see cref="Rfc3161TimestampRequest.ProcessResponse"/>).
/// Whether the TSA is trusted is the validator's question, not the client's. Thread-safe.
/// </summary>
public sealed class HttpTimestampClient : ITimestampClient
{
    private static readonly MediaTypeHeaderValue QueryType = new("application/timestamp-query");

    private readonly HttpClient _http;
    private readonly Uri _tsa;
    private readonly TimestampClientOptions _options;

    /// <summary>Creates the client.</summary>
    /// <param name="http">The HTTP client (its timeout applies).</param>
    /// <param name="tsa">The TSA's URL, e.g. <c>http://127.0.0.1:8080/tsa</c>.</param>
    /// <param name="options">Policy and limits; null for the defaults.</param>
    public HttpTimestampClient(HttpClient http, Uri tsa, TimestampClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(tsa);
        _http = http;
        _tsa = tsa;
        _options = options ?? new TimestampClientOptions();
    }

    /// <inheritdoc/>
    public async Task<IssuedTimestamp> StampAsync(ReadOnlyMemory<byte> hash, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        try
        {
            return await StampCoreAsync(hash, algorithm, cancellationToken).ConfigureAwait(false);
        }
        catch (TimestampException e) when (_options.Logger is { } logger)
        {
            Log.TimestampFailed(logger, _tsa.ToString(), e.Message);
            throw;
        }
    }

    private async Task<IssuedTimestamp> StampCoreAsync(ReadOnlyMemory<byte> hash, HashAlgorithmName algorithm, CancellationToken cancellationToken)
    {
        var nonce = RandomNumberGenerator.GetBytes(8);
        nonce[0] = (byte)((nonce[0] & 0x7F) | 0x01);
        var request = Rfc3161TimestampRequest.CreateFromHash(hash, algorithm, _options.Policy is { } p ? new Oid(p) : null, nonce, requestSignerCertificates: true);
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(request.Encode());
            content.Headers.ContentType = QueryType;
            using var response = await _http.PostAsync(_tsa, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new TimestampException(string.Create(CultureInfo.InvariantCulture, $"The TSA {_tsa} answered HTTP {(int)response.StatusCode}."));
            }

            if (response.Content.Headers.ContentLength > _options.MaxResponseBytes)
            {
                throw new TimestampException($"The TSA {_tsa} answered more than {_options.MaxResponseBytes} bytes.");
            }

            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TimestampException($"The TSA {_tsa} could not be reached: {e.Message}", e);
        }

        if (body.Length > _options.MaxResponseBytes)
        {
            throw new TimestampException($"The TSA {_tsa} answered more than {_options.MaxResponseBytes} bytes.");
        }

        Rfc3161TimestampToken token;
        try
        {
            token = request.ProcessResponse(body, out var consumed);
            if (consumed != body.Length)
            {
                throw new TimestampException($"The TSA {_tsa} answered bytes after its TimeStampResp.");
            }
        }
        catch (CryptographicException e)
        {
            throw new TimestampException($"The TSA {_tsa} did not grant a matching time-stamp: {Describe(body)}", e);
        }

        var raw = TokenBytes(body);
        var cms = token.AsSignedCms();
        var tsaCertificate = cms.SignerInfos.Count == 1 ? cms.SignerInfos[0].Certificate : null;
        return new IssuedTimestamp(raw, token.TokenInfo.Timestamp, Convert.ToHexString(token.TokenInfo.GetSerialNumber().Span), tsaCertificate);
    }

    /// <summary>The timeStampToken of a granted TimeStampResp, byte for byte.</summary>
    private static byte[] TokenBytes(byte[] response)
    {
        var outer = new AsnReader(response, AsnEncodingRules.DER).ReadSequence();
        _ = outer.ReadEncodedValue();
        return outer.ReadEncodedValue().ToArray();
    }

    /// <summary>The PKIStatusInfo of an answer in words: status, statusString, failInfo bits (RFC 3161 §2.4.2).</summary>
    internal static string Describe(byte[] response)
    {
        try
        {
            var outer = new AsnReader(response, AsnEncodingRules.BER).ReadSequence();
            var info = outer.ReadSequence();
            var status = info.ReadInteger();
            var words = new List<string> { StatusName((int)status) };
            if (info.HasData && info.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var texts = info.ReadSequence();
                while (texts.HasData)
                {
                    words.Add('"' + texts.ReadCharacterString(UniversalTagNumber.UTF8String) + '"');
                }
            }

            if (info.HasData)
            {
                var bits = info.ReadBitString(out _);
                var failures = new List<string>();
                for (var i = 0; i < bits.Length * 8; i++)
                {
                    if ((bits[i / 8] & (0x80 >> (i % 8))) != 0)
                    {
                        failures.Add(FailureName(i));
                    }
                }

                words.Add("failInfo " + string.Join(",", failures));
            }

            return string.Join(", ", words);
        }
        catch (AsnContentException)
        {
            return "the answer is not a DER TimeStampResp";
        }
    }

    private static string StatusName(int status) => status switch
    {
        0 => "granted (but the token does not match the request)",
        1 => "grantedWithMods",
        2 => "rejection",
        3 => "waiting",
        4 => "revocationWarning",
        5 => "revocationNotification",
        _ => string.Create(CultureInfo.InvariantCulture, $"status {status}"),
    };

    private static string FailureName(int bit) => bit switch
    {
        0 => "badAlg",
        2 => "badRequest",
        5 => "badDataFormat",
        14 => "timeNotAvailable",
        15 => "unacceptedPolicy",
        16 => "unacceptedExtension",
        17 => "addInfoNotAvailable",
        25 => "systemFailure",
        _ => string.Create(CultureInfo.InvariantCulture, $"bit{bit}"),
    };
}
