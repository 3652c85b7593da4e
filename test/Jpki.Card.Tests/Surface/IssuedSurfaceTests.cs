using System.Security.Cryptography;
using System.Text;
using Jpki.Card.Apdu;
using Jpki.Card.Applications;

namespace Jpki.Card.Tests.Surface;

/// <summary>
/// The 券面 APs of a dev-issued card: access rules (PIN, 照合番号A, 照合番号B, date-of-birth key), the signed records and the
/// two-step check soltia48/myna-card describes (record signature by the EF 0004 key, then a challenge signed by the card's
/// own key whose public half is inside the record).
/// </summary>
public sealed class IssuedSurfaceTests
{
    private const string SelectVisual = "00A4040C0AD3921000310001010402";
    private const string SelectCommon = "00A4040C0AD3921000310001010100";
    private const string SelectJuki = "00A4040C0AD3921000310001010401";
    private const string CodeA = "123456789018";
    private const string CodeB = "020228" + "2035" + TestCard.SecurityCode; // 1990-02-28 = 平成2年
    private const string BirthDateKey = "020228";

    private static string Verify(string fid, string value) =>
        "00A4020C02" + fid + "|00200080" + (value.Length).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + Convert.ToHexString(Encoding.ASCII.GetBytes(value));

    private static ushort Run(TestCard card, string apdus)
    {
        ushort sw = 0;
        foreach (var apdu in apdus.Split('|'))
        {
            sw = card.Sw(apdu);
        }

        return sw;
    }

    [Fact]
    public void TextAp_CodeAOpensMyNumber_CodeBOpensBasicFour_PinOpensBoth()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        Assert.Equal(StatusWords.Success, Run(card, Verify("0014", CodeA)));
        Assert.Equal(TestCard.MyNumber, TextApEncoding.DecodeMyNumber(SurfaceReader.ReadEf(card, "0001")));
        card.Sw("00A4020C020002");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000007"));

        card.Sw(Apdus.SelectText);
        Assert.Equal(StatusWords.Success, Run(card, Verify("0015", CodeB)));
        Assert.Equal(TestCard.Holder, TextApEncoding.DecodeBasicFour(SurfaceReader.ReadEf(card, "0002")));
        card.Sw("00A4020C020001");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000011"));

        card.Sw(Apdus.SelectText);
        Assert.Equal(StatusWords.Success, Run(card, Verify("0011", TestCard.CardPin)));
        Assert.Equal(17, SurfaceReader.ReadEf(card, "0001").Length);
        Assert.NotEmpty(SurfaceReader.ReadEf(card, "0002"));
    }

    [Fact]
    public void TextAp_WrongCodeA_CountsDownFromTen()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020014");
        Assert.Equal(0x63CA, card.Sw(Apdus.RetryQuery));
        Assert.Equal(0x63C9, Run(card, Verify("0014", "000000000000")));
        Assert.Equal(StatusWords.WrongLength, Run(card, Verify("0014", "12345678901234567"))); // 17 bytes: no try spent
        Assert.Equal(0x63C9, card.Sw(Apdus.RetryQuery));
    }

    [Fact]
    public void TextAp_Reference0012_IsIssuedBlocked()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        card.Sw("00A4020C020012");
        Assert.Equal(0x63C0, card.Sw(Apdus.RetryQuery));
        Assert.Equal(StatusWords.PinBlocked, card.Sw("002000800431323334"));
    }

    [Fact]
    public void TextAp_IntegrityRecord_CoversBothFilesAndVerifiesWithTheCertifiedKey()
    {
        using var card = TestCard.Create();
        card.Sw(Apdus.SelectText);
        Run(card, Verify("0011", TestCard.CardPin));
        var myNumber = SurfaceReader.ReadEf(card, "0001");
        var basicFour = SurfaceReader.ReadEf(card, "0002");
        var integrity = SurfaceReader.ReadEf(card, "0003");
        var certificate = SurfaceReader.ReadEf(card, "0004");
        var basicInfo = SurfaceReader.ReadEf(card, "0005");
        var signedKey = SurfaceReader.ReadEf(card, "0007");

        Assert.Equal(336, integrity.Length);   // jpki/myna's Go client reads exactly 336 (libmyna/text_ap.go:135)
        Assert.Equal(568, certificate.Length); // and 568 (text_ap.go:152)
        Assert.Equal(256, basicInfo.Length);   // and 256 (text_ap.go:169)
        Assert.Equal("FF4082009F", Convert.ToHexString(basicInfo[..5]));
        Assert.Equal(SHA256.HashData(myNumber), SurfaceReader.Field(integrity, 0xDF31));
        Assert.Equal(SHA256.HashData(basicFour[14..]), SurfaceReader.Field(integrity, 0xDF32));

        using var issuer = CertifiedKey(certificate);
        Assert.True(issuer.VerifyData(SurfaceReader.BytesBefore(integrity, 0xDF33), SurfaceReader.Field(integrity, 0xDF33), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.True(issuer.VerifyData(SurfaceReader.BytesBefore(signedKey, 0xDF52), SurfaceReader.Field(signedKey, 0xDF52), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        // The card's own key (public half in EF 0007) signs a challenge with 80 2A 00 00 and no credential.
        card.Sw(Apdus.SelectText);
        AssertCardKeySignsChallenge(card, SurfaceReader.Field(signedKey, 0xDF51));
    }

    [Fact]
    public void VisualAp_BirthDateOpensOnlyTheAgeRecord_CodeBTheFace_CodeATheMyNumberImage()
    {
        using var card = TestCard.Create();
        card.Sw(SelectVisual);
        card.Sw("00A4020C020002");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000007"));
        Assert.NotEmpty(SurfaceReader.ReadEf(card, "0003")); // free
        Assert.Equal(568, SurfaceReader.ReadEf(card, "0004").Length); // free

        Assert.Equal(StatusWords.Success, Run(card, Verify("0011", BirthDateKey)));
        var age = SurfaceReader.ReadEf(card, "0001");
        Assert.Equal("19900228", Encoding.ASCII.GetString(SurfaceReader.Field(age, 0xDF11)));
        card.Sw("00A4020C020002");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000007"));

        card.Sw(SelectVisual);
        Assert.Equal(StatusWords.Success, Run(card, Verify("0012", CodeB)));
        Assert.NotEmpty(SurfaceReader.ReadEf(card, "0002"));
        card.Sw("00A4020C020005");
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("00B0000007"));

        card.Sw(SelectVisual);
        Assert.Equal(StatusWords.Success, Run(card, Verify("0013", CodeA)));
        Assert.NotEmpty(SurfaceReader.ReadEf(card, "0005"));
    }

    [Fact]
    public void VisualAp_CardFace_OffsetTableSignatureImagesAndChallenge()
    {
        using var card = TestCard.Create();
        card.Sw(SelectVisual);
        Run(card, Verify("0013", CodeA));
        var face = SurfaceReader.ReadEf(card, "0002");
        var certificate = SurfaceReader.ReadEf(card, "0004");
        var children = SurfaceReader.Children(face);
        Assert.Equal([0xDF21, 0xDF22, 0xDF23, 0xDF24, 0xDF25, 0xDF26, 0xDF27, 0xDF28, 0xDF29, 0xDF2A], children.Select(c => (int)c.Tag));
        var table = children[0].Value;
        Assert.Equal(18, table.Length);
        for (var i = 1; i < children.Count; i++)
        {
            Assert.Equal(children[i].Offset, (table[2 * (i - 1)] << 8) | table[(2 * (i - 1)) + 1]);
        }

        Assert.Equal("19900228", Encoding.ASCII.GetString(SurfaceReader.Field(face, 0xDF22)));
        Assert.Equal("2", Encoding.ASCII.GetString(SurfaceReader.Field(face, 0xDF23)));
        Assert.Equal("20350331", Encoding.ASCII.GetString(SurfaceReader.Field(face, 0xDF29)));
        foreach (var image in new ushort[] { 0xDF25, 0xDF26, 0xDF27, 0xDF2A })
        {
            Assert.Equal("89504E470D0A1A0A", Convert.ToHexString(SurfaceReader.Field(face, image)[..8])); // PNG
        }

        // Signature: DigestInfo(SHA-256) over three concatenated digests [myna-card CardFace::verify].
        byte[] Raw(ushort tag)
        {
            var c = children.Single(x => x.Tag == tag);
            var next = children.SkipWhile(x => x.Tag != tag).Skip(1).First().Offset;
            return face[c.Offset..next];
        }

        var digests = SHA256.HashData([.. Raw(0xDF22), .. Raw(0xDF23), .. Raw(0xDF24)])
            .Concat(SHA256.HashData([.. Raw(0xDF25), .. Raw(0xDF26)])).Concat(SHA256.HashData(Raw(0xDF27))).ToArray();
        byte[] digestInfo = [0x30, 0x71, .. Convert.FromHexString("300D06096086480165030402010500"), 0x04, 0x60, .. digests];
        using var issuer = CertifiedKey(certificate);
        var recovered = RecoverPkcs1Payload(issuer, SurfaceReader.Field(face, 0xDF28));
        Assert.Equal(digestInfo, recovered);

        card.Sw(SelectVisual);
        AssertCardKeySignsChallenge(card, SurfaceReader.Field(face, 0xDF24));
    }

    [Fact]
    public void CommonAp_RecordBySfi_InternalAuthenticate_ChangeKey()
    {
        using var card = TestCard.Create();
        Assert.Equal(StatusWords.Success, card.Sw(SelectCommon));
        var (sw, record) = card.Send("00B2010C00"); // record 1 of SFI 1, as jpki/myna's unknown_ap reads it
        Assert.Equal(StatusWords.Success, sw);
        var text = Encoding.ASCII.GetString(record[2..]);
        Assert.Equal([0x01, 0x1C], record[..2]);
        Assert.Equal(CommonApEncoding.Serial(TestCard.CardNumber) + "13221" + "20350331", text);
        Assert.Equal(StatusWords.RecordNotFound, card.Sw("00B2020400"));
        Assert.Equal(0x6C1E, card.Sw("00B2010410"));
        Assert.Equal(StatusWords.IncompatibleFile, card.Sw("00B0000010"));

        var challenge = RandomNumberGenerator.GetBytes(32);
        var (authSw, signature) = card.Send("0088009920" + Convert.ToHexString(challenge) + "00");
        Assert.Equal(StatusWords.Success, authSw);
        using var key = RSA.Create(((CardRsaKey)card.Card.Processor.KeyOf(CardApplication.Common, CardFiles.CommonAuthenticationKey)!).PublicParameters);
        Assert.True(key.VerifyData(challenge, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.Equal(StatusWords.Success, Run(card, Verify("001C", TestCard.CardPin)));
        Assert.Equal(StatusWords.InsNotSupported, card.Sw("002401800431313131")); // common AP changes with CHANGE KEY
        Assert.Equal(StatusWords.Success, card.Sw("803200800431313131"));
        card.Sw(SelectCommon);
        Assert.Equal(StatusWords.Success, Run(card, Verify("001C", "1111")));
    }

    [Fact]
    public void JukiAp_PinVerifyAndChangeKey()
    {
        using var card = TestCard.Create();
        Assert.Equal(StatusWords.Success, card.Sw(SelectJuki));
        card.Sw("00A4020C02001C");
        Assert.Equal(0x63C3, card.Sw(Apdus.RetryQuery));
        Assert.Equal(StatusWords.SecurityStatusNotSatisfied, card.Sw("803200800432323232"));
        Assert.Equal(StatusWords.Success, Run(card, Verify("001C", TestCard.CardPin)));
        Assert.Equal(StatusWords.Success, card.Sw("803200800432323232"));
        Assert.Equal(StatusWords.WrongData, card.Sw("8032008003323232")); // 3 digits break the 4-digit rule
    }

    /// <summary>The public key EF 0004 certifies (the body's last 265 bytes).</summary>
    private static RSA CertifiedKey(byte[] certificate)
    {
        Assert.True(Tlv.TryRead(certificate, out var tag, out var value, out _));
        Assert.Equal(0x7F21, tag);
        var inner = certificate.AsSpan(value);
        Assert.True(Tlv.TryRead(inner, out var bodyTag, out var body, out _));
        Assert.Equal(0x5F4E, bodyTag);
        Assert.Equal(297, inner[body].Length);
        return SurfaceReader.PublicKey(inner[body][32..].ToArray());
    }

    private static byte[] RecoverPkcs1Payload(RSA key, byte[] signature)
    {
        var p = key.ExportParameters(false);
        var m = System.Numerics.BigInteger.ModPow(
            new System.Numerics.BigInteger(signature, true, true), new System.Numerics.BigInteger(p.Exponent, true, true), new System.Numerics.BigInteger(p.Modulus, true, true));
        var block = new byte[256];
        var bytes = m.ToByteArray(true, true);
        bytes.CopyTo(block, 256 - bytes.Length);
        Assert.Equal([0x00, 0x01], block[..2]);
        var zero = Array.IndexOf(block, (byte)0, 2);
        Assert.All(block[2..zero], b => Assert.Equal(0xFF, b));
        return block[(zero + 1)..];
    }

    private static void AssertCardKeySignsChallenge(TestCard card, byte[] publicKey)
    {
        var (sw, challenge) = card.Send("0084000010");
        Assert.Equal(StatusWords.Success, sw);
        Assert.Equal(16, challenge.Length);
        var digestInfo = Apdus.Sha256DigestInfo(challenge);
        var (signSw, signature) = card.Send("802A0000" + (digestInfo.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + digestInfo + "00");
        Assert.Equal(StatusWords.Success, signSw);
        using var key = SurfaceReader.PublicKey(publicKey);
        Assert.True(key.VerifyData(challenge, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }
}
