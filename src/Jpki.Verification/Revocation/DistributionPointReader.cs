using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Certificates;

namespace Jpki.Verification.Revocation;

/// <summary>
/// Reads the DistributionPoint syntax of RFC 5280 §4.2.1.13, shared by cRLDistributionPoints and freshestCRL (in
/// certificates and CRLs): each point's fullName GeneralNames, kept as DER so names of any kind compare byte for byte,
/// as RFC 5280 §6.3.3 (b)(2)(i) asks ("at least one name matches").
/// </summary>
internal static class DistributionPointReader
{
    private static readonly Asn1Tag FullName = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The fullName GeneralNames (DER of each GeneralName) of the certificate's cRLDistributionPoints.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> CrlNamesOf(X509Certificate2 certificate)
        => certificate.Extensions[JpkiOids.CrlDistributionPoints] is { } extension ? FullNames(extension.RawData) : [];

    /// <summary>The http(s) URIs of the certificate's freshestCRL extension (RFC 5280 §4.2.1.15).</summary>
    public static IReadOnlyList<Uri> FreshestOf(X509Certificate2 certificate)
        => certificate.Extensions[JpkiOids.FreshestCrl] is { } extension ? HttpUris(FullNames(extension.RawData)) : [];

    /// <summary>The fullName GeneralNames of a CRLDistributionPoints value; a malformed value names nothing.</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> FullNames(ReadOnlyMemory<byte> value)
    {
        var names = new List<ReadOnlyMemory<byte>>();
        try
        {
            var points = new AsnReader(value, AsnEncodingRules.DER).ReadSequence();
            while (points.HasData)
            {
                var point = points.ReadSequence();
                if (!point.HasData || !point.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    continue;
                }

                var name = point.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true));
                if (name.HasData && name.PeekTag().HasSameClassAndValue(FullName))
                {
                    names.AddRange(GeneralNames(name.ReadSequence(FullName)));
                }
            }
        }
        catch (AsnContentException)
        {
            return [];
        }

        return names;
    }

    /// <summary>The GeneralName elements of a GeneralNames sequence, as DER.</summary>
    public static List<ReadOnlyMemory<byte>> GeneralNames(AsnReader generalNames)
    {
        var names = new List<ReadOnlyMemory<byte>>();
        while (generalNames.HasData)
        {
            names.Add(generalNames.ReadEncodedValue());
        }

        return names;
    }

    /// <summary>The http and https URIs among <paramref name="names"/>.</summary>
    public static IReadOnlyList<Uri> HttpUris(IEnumerable<ReadOnlyMemory<byte>> names)
    {
        var result = new List<Uri>();
        foreach (var name in names)
        {
            try
            {
                var reader = new AsnReader(name, AsnEncodingRules.DER);
                if (!reader.PeekTag().HasSameClassAndValue(UriTag))
                {
                    continue;
                }

                var text = reader.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                {
                    result.Add(uri);
                }
            }
            catch (AsnContentException)
            {
                // Not a readable URI: names nowhere to download from.
            }
        }

        return result;
    }

    /// <summary>True when some name of <paramref name="left"/> is byte-equal to some name of <paramref name="right"/>.</summary>
    public static bool Intersect(IReadOnlyList<ReadOnlyMemory<byte>> left, IReadOnlyList<ReadOnlyMemory<byte>> right)
    {
        foreach (var a in left)
        {
            foreach (var b in right)
            {
                if (a.Span.SequenceEqual(b.Span))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
