using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Authority.Profiles;

/// <summary>
/// Reads a JPKI end-entity certificate back: kind (from the policy OID), CN and, for a signature certificate, the
/// prefecture, municipality and the basic 4 info otherNames 1.2.392.200149.8.5.5.1–.6 in any order (JPKI-REFERENCE §6.2).
/// </summary>
public static class JpkiCertificateParser
{
    /// <summary>Parses <paramref name="der"/>.</summary>
    /// <exception cref="JpkiProfileException">Not DER, or not a JPKI sign/auth certificate; the message says what is missing.</exception>
    public static ParsedJpkiCertificate Parse(ReadOnlySpan<byte> der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            var kind = KindOf(certificate);
            var (localities, commonName) = ReadSubject(certificate.SubjectName.RawData);
            SignatureSubject? signature = null;
            if (kind == CertificateKind.Signature)
            {
                if (localities.Count != 2)
                {
                    throw new JpkiProfileException("A signature certificate's subject has two L attributes (prefecture, municipality).");
                }

                var san = certificate.Extensions[Oids.SubjectAltName] ?? throw new JpkiProfileException("A signature certificate carries the basic 4 info in subjectAltName.");
                var values = ReadOtherNames(san.RawData);
                string Get(string oid) => values.TryGetValue(oid, out var v) ? v : throw new JpkiProfileException($"The otherName {oid} is missing.");
                var sex = BasicFourInfoOtherNames.ParseSex(Get(Oids.PersonalSex)) ?? throw new JpkiProfileException("The sex code is not 1, 2 or 9.");
                if (!EraDate.TryParse(Get(Oids.PersonalBirth), out _, out var birth))
                {
                    throw new JpkiProfileException("The date of birth is not an era-coded date EYYYYMMDD.");
                }

                signature = new SignatureSubject(localities[0], localities[1], Get(Oids.PersonalName), Get(Oids.PersonalNameFlags), Get(Oids.PersonalAddress), Get(Oids.PersonalAddressFlags), birth, sex);
            }

            return new ParsedJpkiCertificate(
                kind,
                Ca.SerialNumbers.ToHex(certificate.SerialNumberBytes.Span),
                commonName,
                new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero),
                new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero),
                signature);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            throw new JpkiProfileException("Not a DER X.509 certificate of the JPKI profile.", ex);
        }
    }

    private static CertificateKind KindOf(X509Certificate2 certificate)
    {
        var policies = certificate.Extensions[Oids.CertificatePolicies] ?? throw new JpkiProfileException("No certificatePolicies: not a JPKI end-entity certificate.");
        var reader = new AsnReader(policies.RawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (sequence.HasData)
        {
            var info = sequence.ReadSequence();
            switch (info.ReadObjectIdentifier())
            {
                case Oids.SignPolicy or Oids.TestSignPolicy:
                    return CertificateKind.Signature;
                case Oids.AuthPolicy or Oids.TestAuthPolicy:
                    return CertificateKind.Authentication;
            }
        }

        throw new JpkiProfileException("Neither the JPKI sign policy nor the auth policy is present.");
    }

    private static (List<string> Localities, string CommonName) ReadSubject(byte[] name)
    {
        var localities = new List<string>();
        string? commonName = null;
        var reader = new AsnReader(name, AsnEncodingRules.DER);
        var rdns = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (rdns.HasData)
        {
            var set = rdns.ReadSetOf();
            while (set.HasData)
            {
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var value = attribute.ReadCharacterString(attribute.PeekTag().TagValue == (int)UniversalTagNumber.PrintableString ? UniversalTagNumber.PrintableString : UniversalTagNumber.UTF8String);
                if (oid == Oids.Locality)
                {
                    localities.Add(value);
                }
                else if (oid == Oids.CommonName)
                {
                    commonName = value;
                }
            }
        }

        return (localities, commonName ?? throw new JpkiProfileException("The subject has no CN."));
    }

    /// <summary>The basic 4 info otherNames, read by the one reader in Jpki.Core (shared with the relying party).</summary>
    private static IReadOnlyDictionary<string, string> ReadOtherNames(byte[] extension)
    {
        try
        {
            return BasicFourInfoOtherNames.Read(extension);
        }
        catch (FormatException e)
        {
            throw new JpkiProfileException(e.Message, e);
        }
    }
}
