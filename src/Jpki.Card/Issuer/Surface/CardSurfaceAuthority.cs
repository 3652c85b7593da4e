using System.Security.Cryptography;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// The keys behind the 券面 APs' signed records: a card-verifiable root (J-LIS's role, key ids <c>…0033</c> for the text AP
/// and <c>…0023</c> for the visual AP as on real cards [R soltia48/myna-card <c>CardVerifiableCertificate</c>]) and the
/// issuer key the root certifies in each AP's EF 0004, which signs the records. Real cards' keys are not public; these
/// are OpenJpki's, with ids starting <c>9</c>.
/// </summary>
public sealed class CardSurfaceAuthority : IDisposable
{
    private CardSurfaceAuthority(RSA root, RSA issuer, string municipalityCode)
    {
        Root = root;
        Issuer = issuer;
        TextRootKeyId = CvKeyId.Create("9000033");
        VisualRootKeyId = CvKeyId.Create("9000023");
        TextIssuerKeyId = CvKeyId.Create("9" + municipalityCode + "3");
        VisualIssuerKeyId = CvKeyId.Create("9" + municipalityCode + "2");
    }

    /// <summary>The card-verifiable root key (verifiers hold its public half).</summary>
    public RSA Root { get; }

    /// <summary>The record-signing key EF 0004 certifies.</summary>
    public RSA Issuer { get; }

    /// <summary>証明者鍵ID of the text AP's EF 0004.</summary>
    public byte[] TextRootKeyId { get; }

    /// <summary>証明者鍵ID of the visual AP's EF 0004.</summary>
    public byte[] VisualRootKeyId { get; }

    /// <summary>被証明者鍵ID of the text AP's EF 0004.</summary>
    public byte[] TextIssuerKeyId { get; }

    /// <summary>被証明者鍵ID of the visual AP's EF 0004.</summary>
    public byte[] VisualIssuerKeyId { get; }

    /// <summary>FOR DEVELOPMENT AND TESTS: throw-away root and issuer keys (RSA-2048) for <paramref name="municipalityCode"/>.</summary>
    public static CardSurfaceAuthority CreateDevelopment(string municipalityCode = "00000")
    {
        ArgumentNullException.ThrowIfNull(municipalityCode);
        if (municipalityCode.Length != 5 || !municipalityCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The municipality code has 5 digits.", nameof(municipalityCode));
        }

        return new CardSurfaceAuthority(RSA.Create(2048), RSA.Create(2048), municipalityCode);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Root.Dispose();
        Issuer.Dispose();
    }
}
