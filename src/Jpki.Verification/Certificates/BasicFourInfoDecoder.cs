using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Verification.Certificates;

/// <summary>
/// Reads the basic 4 info from the subjectAltName of a signature certificate: otherName entries whose value is
/// <c>[0] EXPLICIT UTF8String</c>, in any order (a test card writes them as 1, 4, 3, 5, 2, 6). Strict DER; an entry
/// given twice is refused. The otherNames are read by <see cref="BasicFourInfoOtherNames"/> (Jpki.Core), as the authority reads them.
/// The values are not judged: a birth date that is partly unknown, written with the other era on an era-change day, or
/// a sex code other than 1, 2 or 9 is reported as written (see <see cref="CertifiedBasicFourInfo"/>), because the
/// certificate's signature, not our reading of its fields, decides whether a signature is valid.
/// </summary>
public static class BasicFourInfoDecoder
{
    /// <summary>Decodes the basic 4 info; null when the certificate carries none (an authentication certificate).</summary>
    /// <exception cref="JpkiCertificateFormatException">The subjectAltName is not DER, an entry is not a UTF8String, is given twice, or is missing.</exception>
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
        var sexCode = Required(JpkiOids.Sex);
        DateOnly? date = EraDate.TryParse(birth, out var era, out var parsed) ? parsed : null;
        if (date is null)
        {
            era = birth.Length > 0 && birth[0] is >= '0' and <= '5' ? (Era)(birth[0] - '0') : Era.Unknown;
        }

        return new CertifiedBasicFourInfo(
            Required(JpkiOids.Name),
            values.GetValueOrDefault(JpkiOids.NameSubstitutions, string.Empty),
            Required(JpkiOids.Address),
            values.GetValueOrDefault(JpkiOids.AddressSubstitutions, string.Empty),
            birth,
            date,
            era,
            sexCode,
            BasicFourInfoOtherNames.ParseSex(sexCode));
    }
}
