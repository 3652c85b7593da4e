using Jpki.Authority.Ocsp;

namespace Jpki.Fuzz;

/// <summary>
/// The authority's OCSP request parser (<c>OcspRequestParser.TryParse</c>), which the responder runs first on every POST
/// body and GET path. Contract: it returns true or false and never throws; a parsed request holds 1–16 CertIDs with a
/// non-negative serial, and a nonce (when present) of 1–32 octets.
/// </summary>
public sealed class OcspRequestTarget : IFuzzTarget
{
    /// <summary>The target's name.</summary>
    public const string TargetName = "ocsp-request";

    /// <inheritdoc/>
    public string Name => TargetName;

    /// <inheritdoc/>
    public string Contract => "DER OCSPRequest to OcspRequestParser.TryParse; false is the bad-input answer, nothing throws";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        if (!OcspRequestParser.TryParse(input, out var request))
        {
            return;
        }

        if (request is null || request.CertIds.Count is < 1 or > OcspRequestParser.MaxRequests)
        {
            throw new FuzzFindingException("TryParse accepted a request without 1 to 16 CertIDs.");
        }

        foreach (var id in request.CertIds)
        {
            if (id.SerialHex.Length == 0 || id.Encoded.Length == 0 || id.HashAlgorithm.Length == 0)
            {
                throw new FuzzFindingException("TryParse accepted a CertID without serial, hash algorithm or encoding.");
            }
        }
    }
}
