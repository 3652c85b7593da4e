using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Jpki.Authority.Profiles;
using Jpki.Authority.Registry;
using Jpki.Core.Charset;
using Jpki.Core.Identity;
using Jpki.Core.Time;

namespace Jpki.Authority.Ca;

/// <summary>
/// The one check of an issuance request, run by <see cref="CertificateAuthority.IssueAsync"/> before anything is signed,
/// so the <c>jpki authority issue</c> command and the registration-authority API refuse the same things with the same
/// codes (<see cref="IssueRequestException"/>): ids, the validity against the issuing CA's, the subject key, the basic 4
/// info as carried, and the linkage to a previous certificate.
/// </summary>
internal static class IssueRequestValidator
{
    /// <summary>Longest card or holder id (they are references, never personal data).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest 氏名 as carried, in characters (Unicode scalars).</summary>
    public const int MaxNameLength = 100;

    /// <summary>Longest 住所 as carried, in characters.</summary>
    public const int MaxAddressLength = 200;

    /// <summary>Longest romanised prefecture or municipality of the subject DN.</summary>
    public const int MaxLocalityLength = 64;

    /// <summary>The RSA public exponent JPKI cards use and the only one accepted: F4 = 65537.</summary>
    private static readonly byte[] F4 = [0x01, 0x00, 0x01];

    /// <summary>Checks the parts that need no registry: everything but the linkage.</summary>
    /// <exception cref="IssueRequestException">The first problem found.</exception>
    public static void Check(IssueRequest request, IssuingCa ca, IssuingCa otherCa, PublicKey subjectKey, DateTimeOffset now)
    {
        CheckId(request.CardId, "cardId", "bad-card-id");
        CheckId(request.HolderId, "holderId", "bad-holder-id");
        if (!Enum.IsDefined(request.Kind))
        {
            throw new IssueRequestException("bad-kind", "kind", "The certificate kind is sign or auth.");
        }

        var notAfter = JapanTime.EndOfDay(request.ExpiryDate);
        if (notAfter <= now)
        {
            throw new IssueRequestException("expired", "expiryDate", "The expiry date has passed: a certificate must be valid after its issuance.");
        }

        var caNotAfter = new DateTimeOffset(ca.Certificate.NotAfter.ToUniversalTime());
        if (notAfter > caNotAfter)
        {
            throw new IssueRequestException("outlives-ca", "expiryDate", string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The expiry date is after the issuing CA's own expiry ({JapanTime.ToJapanDate(caNotAfter):yyyy-MM-dd}): an end-entity certificate cannot outlive its CA."));
        }

        CheckKey(subjectKey, ca, otherCa);
        if (request.Kind == CertificateKind.Signature && request.Signature is { } subject)
        {
            CheckSubject(subject, JapanTime.ToJapanDate(now));
        }
    }

    /// <summary>Checks the link to the previous certificate: issued here, of the same kind and holder.</summary>
    /// <exception cref="IssueRequestException">The previous certificate is unknown, another holder's, or of the other kind.</exception>
    public static void CheckPrevious(IssueRequest request, CertificateRecord? previous)
    {
        if (previous is null)
        {
            throw new IssueRequestException("unknown-previous", "previousSerial", "The previous serial names no certificate issued by this authority.");
        }

        if (!string.Equals(previous.HolderId, request.HolderId, StringComparison.Ordinal))
        {
            throw new IssueRequestException("previous-of-another-holder", "previousSerial", "The previous certificate belongs to another holder: a renewal links only the same holder's certificates.");
        }

        if (previous.Kind != request.Kind)
        {
            throw new IssueRequestException("previous-of-another-kind", "previousSerial", "The previous certificate is of the other kind: a signature certificate renews a signature certificate, an authentication one an authentication one.");
        }
    }

    private static void CheckId(string id, string field, string code)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl) || id.Trim().Length != id.Length)
        {
            throw new IssueRequestException(code, field, $"{field} is required: at most {MaxIdLength} characters, without control characters or surrounding spaces.");
        }
    }

    private static void CheckKey(PublicKey subjectKey, IssuingCa ca, IssuingCa otherCa)
    {
        if (ca.Key.SignatureAlgorithm == Keys.CaSignatureAlgorithm.EcdsaWithSha384)
        {
            CheckNotCaKey(subjectKey, ca, otherCa);
            return;
        }

        var reader = new AsnReader(subjectKey.EncodedKeyValue.RawData, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        _ = sequence.ReadIntegerBytes();
        var exponent = sequence.ReadIntegerBytes().Span;
        if (!exponent.SequenceEqual(F4))
        {
            throw new IssueRequestException("weak-exponent", "subjectPublicKeyInfo", "The RSA public exponent must be 65537 (F4), as on JPKI cards; a small exponent such as 3 is refused.");
        }

        CheckNotCaKey(subjectKey, ca, otherCa);
    }

    private static void CheckNotCaKey(PublicKey subjectKey, IssuingCa ca, IssuingCa otherCa)
    {
        var spki = subjectKey.ExportSubjectPublicKeyInfo();
        foreach (var issuer in new[] { ca, otherCa })
        {
            if (CryptographicOperations.FixedTimeEquals(spki, issuer.Certificate.PublicKey.ExportSubjectPublicKeyInfo()))
            {
                throw new IssueRequestException("ca-key", "subjectPublicKeyInfo", "The subject key is a CA's own key: a holder's certificate needs the card's key.");
            }
        }
    }

    private static void CheckSubject(SignatureSubject subject, DateOnly today)
    {
        CheckLocality(subject.Prefecture, "signature.prefecture");
        CheckLocality(subject.Municipality, "signature.municipality");
        CheckText(subject.Name, subject.NameSubstitutionFlags, "signature.name", MaxNameLength);
        CheckText(subject.Address, subject.AddressSubstitutionFlags, "signature.address", MaxAddressLength);
        if (subject.DateOfBirth > today)
        {
            throw new IssueRequestException("birth-in-future", "signature.dateOfBirth", "The date of birth is after today.");
        }

        try
        {
            _ = EraDate.EraOf(subject.DateOfBirth);
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new IssueRequestException("birth-before-meiji", "signature.dateOfBirth", "The date of birth is before the Meiji era (1868-01-25) and has no JPKI era code.");
        }

        if (!Enum.IsDefined(subject.Sex))
        {
            throw new IssueRequestException("bad-sex", "signature.sex", "The sex code is 1 (male), 2 (female) or 9 (not applicable).");
        }
    }

    /// <summary>The romanised L of the subject DN: ASCII letters, digits, space, '-', '.', '\'' (e.g. Tokyo-to, Kiyose-shi).</summary>
    private static void CheckLocality(string value, string field)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLocalityLength || value.Trim().Length != value.Length
            || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-' or '.' or '\''))
        {
            throw new IssueRequestException("bad-locality", field, $"{field} is the romanised name (ASCII letters, digits, space, '-', '.', apostrophe; at most {MaxLocalityLength}), e.g. Tokyo-to, Kiyose-shi.");
        }
    }

    /// <summary>A name or address as carried: JPKI characters only (substitutes included), flags one 0/1 per character.</summary>
    private static void CheckText(string text, string flags, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new IssueRequestException("missing", field, $"{field} is required.");
        }

        var length = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            length++;
            if (Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 or 0x85)
            {
                throw new IssueRequestException("control-character", field, $"{field} contains a control character or a line break (character {length}).");
            }

            if (!JpkiCharset.IsAllowed(rune.Value))
            {
                throw new IssueRequestException("not-jpki-charset", field, $"{field} contains a character outside the JPKI character set (character {length}, U+{rune.Value:X4}); map it to its substitute first (jpki rules charset).");
            }
        }

        if (length > maxLength)
        {
            throw new IssueRequestException("too-long", field, $"{field} is longer than {maxLength} characters.");
        }

        if (flags.Length != length || flags.Any(c => c is not ('0' or '1')))
        {
            throw new IssueRequestException("bad-flags", field + "SubstitutionFlags", $"The substitution flags of {field} are one 0 or 1 per character ({length} expected).");
        }
    }
}
