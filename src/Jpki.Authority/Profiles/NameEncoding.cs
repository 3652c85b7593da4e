using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Jpki.Authority.Profiles;

/// <summary>
/// Writes distinguished names attribute by attribute with the string types the JPKI profile uses: C as
/// PrintableString, everything else as UTF8String, one attribute per RDN, in the order given (JPKI-REFERENCE §6.1).
/// </summary>
internal static class NameEncoding
{
    public static void WriteName(AsnWriter writer, IReadOnlyList<(string Oid, string Value)> attributes)
    {
        using (writer.PushSequence())
        {
            foreach (var (oid, value) in attributes)
            {
                using (writer.PushSetOf())
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(oid);
                    if (oid == Oids.Country)
                    {
                        writer.WriteCharacterString(UniversalTagNumber.PrintableString, value);
                    }
                    else
                    {
                        writer.WriteCharacterString(UniversalTagNumber.UTF8String, value);
                    }
                }
            }
        }
    }

    public static byte[] Encode(IReadOnlyList<(string Oid, string Value)> attributes)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        WriteName(writer, attributes);
        return writer.Encode();
    }

    public static X500DistinguishedName ToName(IReadOnlyList<(string Oid, string Value)> attributes) => new(Encode(attributes));

    /// <summary>The CA's DN: C=JP, O, OU, OU.</summary>
    public static (string, string)[] CaDn(CaNames names) =>
        [(Oids.Country, "JP"), (Oids.Organization, names.Organization), (Oids.OrganizationalUnit, names.Unit), (Oids.OrganizationalUnit, names.Agency)];

    /// <summary>The CA's Japanese directory name: C=JP, O=公的個人認証サービス, OU=…用, OU=地方公共団体情報システム機構.</summary>
    public static (string, string)[] CaJapaneseDn(CaNames names) =>
        [(Oids.Country, "JP"), (Oids.Organization, names.JapaneseOrganization), (Oids.OrganizationalUnit, names.JapaneseUnit), (Oids.OrganizationalUnit, names.JapaneseAgency)];

    /// <summary>Writes GeneralNames holding one directoryName ([4] EXPLICIT Name).</summary>
    public static void WriteDirectoryGeneralNames(AsnWriter writer, IReadOnlyList<(string Oid, string Value)> attributes)
    {
        using (writer.PushSequence())
        using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 4, isConstructed: true)))
        {
            WriteName(writer, attributes);
        }
    }
}
