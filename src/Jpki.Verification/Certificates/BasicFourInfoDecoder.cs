using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Verification.Certificates;

/// <summary>
/// Reads the basic 4 info from the subjectAltName of a signature certificate: otherName entries whose value is
/// <c>[0] EXPLICIT UTF8String</c>, in any order (a test card writes them as 1, 4, 3, 5, 2, 6). Strict DER; an entry
/// given twice is refused. The otherNames are read by <see cref="BasicFourInfoOtherNames"/> (Jpki.Core), as the authority reads them.
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

        IReadOnlyDictionary<string, string> values;
        try
        {
            values = BasicFourInfoOtherNames.Read(extension.RawData);
        }
        catch (FormatException e)
        {
            throw new JpkiCertificateFormatException(e.Message, e);
        }

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

        var sex = BasicFourInfoOtherNames.ParseSex(Required(JpkiOids.Sex))
            ?? throw new JpkiCertificateFormatException("The sex entry is not 1, 2 or 9.");

        return new CertifiedBasicFourInfo(
            Required(JpkiOids.Name),
            values.GetValueOrDefault(JpkiOids.NameSubstitutions, string.Empty),
            Required(JpkiOids.Address),
            values.GetValueOrDefault(JpkiOids.AddressSubstitutions, string.Empty),
            date,
            era,
            sex);
    }
}
