using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Verification.Revocation;

/// <summary>
/// The scope a CRL declares in its issuingDistributionPoint extension (RFC 5280 §5.2.5): which certificates of the
/// issuer it covers. A CRL without the extension covers every certificate of its issuer (a complete CRL). Supported:
/// a fullName distribution point (a partitioned CRL, matched against the certificate's cRLDistributionPoints) and
/// onlyContainsUserCerts / onlyContainsCACerts. onlySomeReasons, indirectCRL, onlyContainsAttributeCerts and a
/// nameRelativeToCRLIssuer are not: a CRL carrying them covers nothing here (the verifier then has no revocation data
/// rather than a partial answer).
/// </summary>
public sealed class CrlScope
{
    private CrlScope(ReadOnlyMemory<byte> encoded, IReadOnlyList<ReadOnlyMemory<byte>> names, bool onlyUser, bool onlyCa, string? unsupported)
    {
        Encoded = encoded;
        DistributionPointNames = names;
        OnlyContainsUserCerts = onlyUser;
        OnlyContainsCACerts = onlyCa;
        Unsupported = unsupported;
    }

    /// <summary>The extension value as found (two CRLs have the same scope when these bytes are equal).</summary>
    public ReadOnlyMemory<byte> Encoded { get; }

    /// <summary>The fullName GeneralNames of the distribution point (DER each); empty when the IDP names no point.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> DistributionPointNames { get; }

    /// <summary>The http(s) URIs among <see cref="DistributionPointNames"/>.</summary>
    public IReadOnlyList<Uri> DistributionPointUris => DistributionPointReader.HttpUris(DistributionPointNames);

    /// <summary>onlyContainsUserCerts.</summary>
    public bool OnlyContainsUserCerts { get; }

    /// <summary>onlyContainsCACerts.</summary>
    public bool OnlyContainsCACerts { get; }

    /// <summary>Why this verifier cannot use the scope (an unsupported field), or null.</summary>
    public string? Unsupported { get; }

    /// <summary>Decodes an issuingDistributionPoint extension value.</summary>
    /// <exception cref="AsnContentException">Not DER.</exception>
    internal static CrlScope Decode(ReadOnlyMemory<byte> value)
    {
        var reader = new AsnReader(value, AsnEncodingRules.DER);
        var idp = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        IReadOnlyList<ReadOnlyMemory<byte>> names = [];
        string? unsupported = null;
        bool onlyUser = false, onlyCa = false;
        if (idp.HasData && idp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            var point = idp.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
            var choice = point.PeekTag();
            if (choice.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                names = DistributionPointReader.GeneralNames(point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)));
            }
            else
            {
                _ = point.ReadEncodedValue();
                unsupported = "a distribution point named relative to the CRL issuer";
            }

            point.ThrowIfNotEmpty();
        }

        onlyUser = ReadFlag(idp, 1);
        onlyCa = ReadFlag(idp, 2);
        if (idp.HasData && idp.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 3)))
        {
            _ = idp.ReadEncodedValue();
            unsupported ??= "onlySomeReasons (a CRL partitioned by reason)";
        }

        if (ReadFlag(idp, 4))
        {
            unsupported ??= "indirectCRL";
        }

        if (ReadFlag(idp, 5))
        {
            unsupported ??= "onlyContainsAttributeCerts";
        }

        idp.ThrowIfNotEmpty();
        if (onlyUser && onlyCa)
        {
            unsupported ??= "both onlyContainsUserCerts and onlyContainsCACerts";
        }

        return new CrlScope(value, names, onlyUser, onlyCa, unsupported);
    }

    /// <summary>
    /// Whether the CRL with this scope covers <paramref name="certificate"/> (RFC 5280 §6.3.3 (b)(2)); when not,
    /// <paramref name="why"/> says so in a sentence.
    /// </summary>
    public bool Covers(X509Certificate2 certificate, out string why)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (Unsupported is not null)
        {
            why = $"its issuing distribution point uses {Unsupported}, which this verifier does not support";
            return false;
        }

        var isCa = certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true };
        if (OnlyContainsUserCerts && isCa)
        {
            why = "it covers only end-entity certificates and this is a CA certificate";
            return false;
        }

        if (OnlyContainsCACerts && !isCa)
        {
            why = "it covers only CA certificates";
            return false;
        }

        if (DistributionPointNames.Count > 0 && !DistributionPointReader.Intersect(DistributionPointNames, DistributionPointReader.CrlNamesOf(certificate)))
        {
            var scope = DistributionPointUris.Count > 0 ? string.Join(", ", DistributionPointUris) : "another distribution point";
            why = $"it is the partition {scope}, which is not a CRL distribution point of the certificate";
            return false;
        }

        why = string.Empty;
        return true;
    }

    private static bool ReadFlag(AsnReader idp, int tag)
    {
        var asn = new Asn1Tag(TagClass.ContextSpecific, tag);
        if (!idp.HasData || !idp.PeekTag().HasSameClassAndValue(asn))
        {
            return false;
        }

        // DER: a DEFAULT FALSE boolean is present only when TRUE.
        if (!idp.ReadBoolean(asn))
        {
            throw new AsnContentException("A DEFAULT FALSE field of the issuing distribution point is encoded as FALSE (not DER).");
        }

        return true;
    }
}
