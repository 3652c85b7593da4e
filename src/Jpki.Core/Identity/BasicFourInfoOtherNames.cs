using System.Formats.Asn1;

namespace Jpki.Core.Identity;

/// <summary>
/// The basic 4 info as a signature certificate carries it: subjectAltName otherNames
/// <c>1.2.392.200149.8.5.5.1</c>–<c>.6</c> (name, name substitution flags, sex, birth date EYYYYMMDD, address, address
/// substitution flags), each <c>[0] EXPLICIT UTF8String</c>, in any order (JPKI-REFERENCE §6.2). One reader, shared by
/// the authority (reading back what it issued) and the relying party (reading what it verified).
/// </summary>
public static class BasicFourInfoOtherNames
{
    /// <summary>The OID arc of the basic 4 info otherNames.</summary>
    public const string Arc = "1.2.392.200149.8.5.5.";

    /// <summary>氏名.</summary>
    public const string Name = Arc + "1";

    /// <summary>氏名代替文字の使用位置情報.</summary>
    public const string NameSubstitutions = Arc + "2";

    /// <summary>性別 (1, 2 or 9).</summary>
    public const string Sex = Arc + "3";

    /// <summary>生年月日 (era digit + YYYYMMDD).</summary>
    public const string DateOfBirth = Arc + "4";

    /// <summary>住所.</summary>
    public const string Address = Arc + "5";

    /// <summary>住所代替文字の使用位置情報.</summary>
    public const string AddressSubstitutions = Arc + "6";

    /// <summary>
    /// Reads the otherNames of the basic 4 info arc from a DER subjectAltName extension value (GeneralNames); other
    /// general names and otherNames of other arcs are skipped. Strict DER.
    /// </summary>
    /// <returns>OID → text; empty when the extension holds none (an authentication certificate).</returns>
    /// <exception cref="FormatException">Not DER GeneralNames, an entry that is not <c>[0] EXPLICIT UTF8String</c>, or an entry given twice.</exception>
    public static IReadOnlyDictionary<string, string> Read(ReadOnlyMemory<byte> subjectAltName)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var outer = new AsnReader(subjectAltName, AsnEncodingRules.DER);
            var names = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            var otherName = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            while (names.HasData)
            {
                if (!names.PeekTag().Equals(otherName))
                {
                    _ = names.ReadEncodedValue();
                    continue;
                }

                var entry = names.ReadSequence(otherName);
                var oid = entry.ReadObjectIdentifier();
                var explicitValue = entry.ReadSequence(otherName);
                entry.ThrowIfNotEmpty();
                if (!oid.StartsWith(Arc, StringComparison.Ordinal))
                {
                    continue;
                }

                var text = explicitValue.ReadCharacterString(UniversalTagNumber.UTF8String);
                explicitValue.ThrowIfNotEmpty();
                if (!result.TryAdd(oid, text))
                {
                    throw new FormatException($"The basic 4 info entry {oid} appears twice.");
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new FormatException("The subjectAltName is not valid DER.", e);
        }

        return result;
    }

    /// <summary>The sex code of the certificate (<c>1</c>, <c>2</c>, <c>9</c>), or null for any other text.</summary>
    public static Sex? ParseSex(string code) => code switch
    {
        "1" => Identity.Sex.Male,
        "2" => Identity.Sex.Female,
        "9" => Identity.Sex.NotApplicable,
        _ => null,
    };
}
