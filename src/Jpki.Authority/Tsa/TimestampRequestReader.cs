using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;

namespace Jpki.Authority.Tsa;

/// <summary>
/// Reads and checks a DER TimeStampReq (RFC 3161 §2.4.1) with the BCL's <see cref="Rfc3161TimestampRequest"/>: one
/// DER structure and nothing after it, version 1, a SHA-2 imprint of the right length, an accepted policy, no
/// extensions, a nonce of sensible size. Never throws for outside data: every problem is a
/// <see cref="TimestampFailure"/> with a sentence.
/// </summary>
internal static class TimestampRequestReader
{
    public static TimestampRequestCheck Read(ReadOnlyMemory<byte> der, TimestampAuthorityOptions options)
    {
        if (der.IsEmpty)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, "The request body is empty; send a DER TimeStampReq.");
        }

        if (der.Length > options.MaxRequestBytes)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, $"The request is larger than {options.MaxRequestBytes} bytes.");
        }

        Rfc3161TimestampRequest? request;
        int consumed;
        try
        {
            if (!Rfc3161TimestampRequest.TryDecode(der, out request, out consumed) || request is null)
            {
                return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, "The request is not a DER TimeStampReq (RFC 3161 §2.4.1).");
            }
        }
        catch (Exception e) when (e is CryptographicException or AsnContentException or ArgumentException)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, "The request is not a DER TimeStampReq (RFC 3161 §2.4.1).");
        }

        if (consumed != der.Length)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, "The request has bytes after the TimeStampReq.");
        }

        if (request.Version != 1)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, $"The request has version {request.Version}; only version 1 exists.");
        }

        var hash = request.GetMessageHash();
        var (algorithm, length) = request.HashAlgorithmId.Value switch
        {
            "2.16.840.1.101.3.4.2.1" => (HashAlgorithmName.SHA256, 32),
            "2.16.840.1.101.3.4.2.2" => (HashAlgorithmName.SHA384, 48),
            "2.16.840.1.101.3.4.2.3" => (HashAlgorithmName.SHA512, 64),
            _ => (default(HashAlgorithmName), 0),
        };
        if (length == 0)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadAlgorithm, $"The imprint's hash algorithm {request.HashAlgorithmId.Value} is not accepted; use SHA-256, SHA-384 or SHA-512.");
        }

        if (hash.Length != length)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, $"The imprint has {hash.Length} bytes; {algorithm.Name} has {length}.");
        }

        var policy = options.Policy;
        if (request.RequestedPolicyId?.Value is { } requested)
        {
            if (requested != options.Policy && !options.AcceptedPolicies.Contains(requested, StringComparer.Ordinal))
            {
                return TimestampRequestCheck.Fail(TimestampFailure.UnacceptedPolicy, $"This TSA does not issue under the policy {requested}; it issues under {options.Policy}.");
            }

            policy = requested;
        }

        if (request.HasExtensions)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.UnacceptedExtension, "This TSA supports no request extensions.");
        }

        var nonce = request.GetNonce();
        if (nonce is { } n && n.Length > options.MaxNonceBytes)
        {
            return TimestampRequestCheck.Fail(TimestampFailure.BadDataFormat, $"The nonce is longer than {options.MaxNonceBytes} bytes.");
        }

        return new TimestampRequestCheck(
            TimestampFailure.None,
            string.Empty,
            new TimestampRequestFields(request.HashAlgorithmId.Value!, algorithm, hash.ToArray(), policy, nonce?.ToArray(), request.RequestSignerCertificate));
    }
}

/// <summary>The outcome of reading a request: the fields, or the failure and why.</summary>
internal sealed record TimestampRequestCheck(TimestampFailure Failure, string Message, TimestampRequestFields? Fields)
{
    public static TimestampRequestCheck Fail(TimestampFailure failure, string message) => new(failure, message, null);
}

/// <summary>The fields of an accepted request.</summary>
internal sealed record TimestampRequestFields(string HashOid, HashAlgorithmName HashAlgorithm, byte[] Hash, string Policy, byte[]? Nonce, bool CertificateRequested);
