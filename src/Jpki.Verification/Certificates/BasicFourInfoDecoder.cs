using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Verification.Certificates;

/// <summary>
/// Reads the basic 4 info from the subjectAltName of a signature certificate: otherName entries whose value is
/// <c>[0] EXPLICIT UTF8String</c>, in any order (a test card writes them as 1, 4, 3, 5, 2, 6). Strict DER; an entry
/// given twice is refused.
/// </summary>
public static class BasicFourInfoDecoder
{
    /// <summary>Decodes the basic 4 info; null when the certificate carries none (an authentication certificate).</summary>
    /// <exception cref="JpkiCertificateFormatException">The subjectAltName or one of the entries is malformed.</exception>
    public static CertifiedBasicFourInfo? Decode(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extension = certificate.Extensions[JpkiOids.SubjectAltName];
        if (extension is null)
        {
            return null;
        }

        var values = ReadOtherNames(extension.RawData);
        if (!values.ContainsKey(JpkiOids.Name))
        {
            return null;
        }

        string Required(string oid) => values.TryGetValue(oid, out var v)
            ? v
            : throw new JpkiCertificateFormatException($"The signature certificate lacks the basic 4 info entry {oid}.");

        var birth = Required(JpkiOids.DateOfBirth);
        if (!EraDate.TryParse(birth, out var era, out var date))
        {
            throw new JpkiCertificateFormatException("The birth date entry is not an era-coded date EYYYYMMDD.");
        }

        var sex = Required(JpkiOids.Sex) switch
        {
            "1" => Sex.Male,
            "2" => Sex.Female,
            "9" => Sex.NotApplicable,
            _ => throw new JpkiCertificateFormatException("The sex entry is not 1, 2 or 9."),
        };

        return new CertifiedBasicFourInfo(
            Required(JpkiOids.Name),
            values.GetValueOrDefault(JpkiOids.NameSubstitutions, string.Empty),
            Required(JpkiOids.Address),
            values.GetValueOrDefault(JpkiOids.AddressSubstitutions, string.Empty),
            date,
            era,
            sex);
    }

    private static Dictionary<string, string> ReadOtherNames(byte[] der)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER);
            var names = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var otherName = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (!tag.Equals(otherName))
                {
                    _ = names.ReadEncodedValue();
                    continue;
                }

                var entry = names.ReadSequence(otherName);
                var oid = entry.ReadObjectIdentifier();
                var explicitValue = entry.ReadSequence(otherName);
                entry.ThrowIfNotEmpty();
                if (!oid.StartsWith("1.2.392.200149.8.5.5.", StringComparison.Ordinal))
                {
                    continue;
                }

                var text = explicitValue.ReadCharacterString(UniversalTagNumber.UTF8String);
                explicitValue.ThrowIfNotEmpty();
                if (!result.TryAdd(oid, text))
                {
                    throw new JpkiCertificateFormatException($"The basic 4 info entry {oid} appears twice.");
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new JpkiCertificateFormatException("The subjectAltName is not valid DER.", e);
        }

        return result;
    }
}
