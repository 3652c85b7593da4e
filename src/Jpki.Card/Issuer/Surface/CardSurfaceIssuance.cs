using System.Security.Cryptography;
using Jpki.Card.Applications;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// Writes the 券面 side of a card through the issuer channel: the text AP (My Number, basic 4 info, integrity record,
/// certificate, basic information, the AP key's signed public half, 照合番号A/B) and the visual AP (age record, card face with
/// the printed items rendered as 1-bit images and a generated photo, basic information, certificate, My Number image, the
/// date-of-birth key and 照合番号A/B), and generates the common AP's INTERNAL AUTHENTICATE key. APs the card does not carry
/// (a 住基カード, a smartphone token) are skipped. Keys are generated on the card; only public halves leave it.
/// </summary>
public static class CardSurfaceIssuance
{
    /// <summary>Issues the 券面 APs.</summary>
    /// <param name="issuer">The issuer channel to the card.</param>
    /// <param name="data">The printed items.</param>
    /// <param name="authority">The record-signing keys.</param>
    /// <param name="font">A bitmap font with Japanese glyphs (<see cref="BitmapFont.LoadSystem"/>); without one the visual AP is left un-issued.</param>
    /// <returns>Which APs were written.</returns>
    public static CardSurfaceResult Issue(CardIssuerClient issuer, CardSurfaceData data, CardSurfaceAuthority authority, BitmapFont? font)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(authority);
        var text = issuer.TryAuthenticate(CardApplication.Text) && IssueText(issuer, data, authority);
        var visual = font is not null && issuer.TryAuthenticate(CardApplication.Visual) && IssueVisual(issuer, data, authority, font);
        var common = issuer.TryAuthenticate(CardApplication.Common);
        if (common)
        {
            issuer.GenerateKeyPair(CardApplication.Common, CardFiles.CommonAuthenticationKey);
        }

        return new CardSurfaceResult(text, visual, common);
    }

    private static bool IssueText(CardIssuerClient issuer, CardSurfaceData data, CardSurfaceAuthority authority)
    {
        var myNumberEf = TextApEncoding.EncodeMyNumber(data.MyNumber);
        var basicFourEf = TextApEncoding.EncodeBasicFour(data.Holder);
        issuer.WriteFile(CardApplication.Text, CardFiles.TextMyNumber, myNumberEf);
        issuer.WriteFile(CardApplication.Text, CardFiles.TextBasicFour, basicFourEf);
        var generated = issuer.GenerateKeyPair(CardApplication.Text, CardFiles.TextSigningKey);
        if (generated.Algorithm != CardKeyAlgorithm.Rsa2048)
        {
            // The next-generation 券面等AP (ours [I]): its record formats are not public, so only the My Number, the basic 4
            // info and the single 6-digit 照合番号 are written; ours: the date of birth in 和暦 YYMMDD, as the visual AP's key.
            issuer.SetReferenceData(CardApplication.Text, CardFiles.TextCodeA, VerificationCodes.BirthDate(data.Holder.DateOfBirth));
            return true;
        }

        var cardKey = generated.ToRsaParameters();
        var certificate = SurfaceRecords.CvCertificate(authority.TextRootKeyId, authority.TextIssuerKeyId, IssuerPublic(authority), authority.Root);
        issuer.WriteFile(CardApplication.Text, CardFiles.TextCertificate, certificate);
        issuer.WriteFile(CardApplication.Text, CardFiles.TextIntegrity, SurfaceRecords.TextIntegrity(myNumberEf, basicFourEf, authority.Issuer));
        issuer.WriteFile(CardApplication.Text, CardFiles.TextBasicInfo, SurfaceRecords.TextBasicInfo(CvKeyId.Create("9000034"), certificate));
        issuer.WriteFile(CardApplication.Text, CardFiles.TextSignedPublicKey, SurfaceRecords.SignedPublicKey(cardKey, authority.Issuer));
        issuer.SetReferenceData(CardApplication.Text, CardFiles.TextCodeA, VerificationCodes.CodeA(data.MyNumber));
        issuer.SetReferenceData(CardApplication.Text, CardFiles.TextCodeB,
            VerificationCodes.CodeB(data.Holder.DateOfBirth, data.CardExpiry.Year, data.SecurityCode));
        return true;
    }

    private static bool IssueVisual(CardIssuerClient issuer, CardSurfaceData data, CardSurfaceAuthority authority, BitmapFont font)
    {
        var cardKey = issuer.GenerateKeyPair(CardApplication.Visual, CardFiles.VisualSigningKey).ToRsaParameters();
        var holder = data.Holder;
        issuer.WriteFile(CardApplication.Visual, CardFiles.VisualAgeRecord, SurfaceRecords.AgeRecord(holder.DateOfBirth, cardKey, authority.Issuer));
        issuer.WriteFile(CardApplication.Visual, CardFiles.VisualCardFace, SurfaceRecords.CardFace(
            holder.DateOfBirth, (int)holder.Sex, cardKey, font.RenderPng(holder.Name), font.RenderPng(holder.Address),
            FacePhoto.Generate(data.MyNumber + holder.Name), data.CardExpiry, font.RenderPng(data.SecurityCode), authority.Issuer));
        issuer.WriteFile(CardApplication.Visual, CardFiles.VisualBasicInfo, SurfaceRecords.VisualBasicInfo(CvKeyId.Create("9000024"), data.MunicipalityCode));
        issuer.WriteFile(CardApplication.Visual, CardFiles.VisualCertificate,
            SurfaceRecords.CvCertificate(authority.VisualRootKeyId, authority.VisualIssuerKeyId, IssuerPublic(authority), authority.Root));
        issuer.WriteFile(CardApplication.Visual, CardFiles.VisualMyNumberImage,
            SurfaceRecords.MyNumberImage(font.RenderPng(data.MyNumber), cardKey, authority.Issuer));
        issuer.SetReferenceData(CardApplication.Visual, CardFiles.VisualBirthDateKey, VerificationCodes.BirthDate(holder.DateOfBirth));
        issuer.SetReferenceData(CardApplication.Visual, CardFiles.VisualCodeA, VerificationCodes.CodeA(data.MyNumber));
        issuer.SetReferenceData(CardApplication.Visual, CardFiles.VisualCodeB,
            VerificationCodes.CodeB(holder.DateOfBirth, data.CardExpiry.Year, data.SecurityCode));
        return true;
    }

    private static RSAParameters IssuerPublic(CardSurfaceAuthority authority) => authority.Issuer.ExportParameters(false);
}
