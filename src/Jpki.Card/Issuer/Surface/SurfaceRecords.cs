using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jpki.Card.Applications;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// The signed records of the 券面 APs, in the layouts soltia48/myna-card reads off a real test card [R]
/// (<c>src/ap/text.rs</c>, <c>src/ap/surface.rs</c>, <c>src/data.rs</c>). Every record signature is PKCS#1 v1.5 with SHA-256
/// by the issuer key that the AP's EF 0004 certifies; the card face alone signs a DigestInfo of three concatenated
/// SHA-256 digests. Lengths are minimal BER unless a layout is known to differ.
/// </summary>
internal static class SurfaceRecords
{
    private static readonly byte[] Sha256AlgorithmIdentifier = Convert.FromHexString("300D06096086480165030402010500");

    /// <summary>An RSA public key as the card stores it: <c>90</c> exponent, <c>91</c> modulus.</summary>
    public static byte[] PublicKey(RSAParameters key) =>
        Tlv.Concat(Tlv.Encode(0x90, key.Exponent), Tlv.Encode(0x91, key.Modulus));

    /// <summary>
    /// A card-verifiable certificate <c>7F21</c> { <c>5F4E</c> body = issuer key id ‖ subject key id ‖ public key (297 bytes
    /// for RSA-2048), <c>5F37</c> signature over the body } — 568 bytes in all.
    /// </summary>
    public static byte[] CvCertificate(byte[] issuerKeyId, byte[] subjectKeyId, RSAParameters subjectKey, RSA issuer)
    {
        var body = Tlv.Concat(issuerKeyId, subjectKeyId, PublicKey(subjectKey));
        return Tlv.Encode(0x7F21, Tlv.Concat(Tlv.Encode(0x5F4E, body), Tlv.Encode(0x5F37, Sign(issuer, body))));
    }

    /// <summary>
    /// Text AP EF 0003, 336 bytes: <c>FF30</c> { <c>DF31</c> SHA-256 of EF 0001 as stored (filler included), <c>DF32</c> SHA-256
    /// of EF 0002's value after its offset table, <c>DF33</c> signature over both objects }.
    /// </summary>
    public static byte[] TextIntegrity(byte[] myNumberEf, byte[] basicFourEf, RSA issuer)
    {
        var signed = Tlv.Concat(
            Tlv.Encode(0xDF31, SHA256.HashData(myNumberEf)),
            Tlv.Encode(0xDF32, SHA256.HashData(TextApEncoding.BasicFourDigestSource(basicFourEf))));
        return Tlv.Encode(0xFF30, Tlv.Concat(signed, Tlv.Encode(0xDF33, Sign(issuer, signed))));
    }

    /// <summary>
    /// Text AP EF 0005: <c>FF40</c> { <c>DF41</c> <c>01 03 0E 01</c>, <c>DF42</c> key id, <c>DF43</c> 32 bytes + 96 <c>FF</c> },
    /// with the outer and <c>DF43</c> lengths in the 3-byte form jpki/myna's test vector shows (<c>FF 40 82 00 9F</c>,
    /// <c>src/reader.rs</c> <c>partial_decode</c>), then <c>FF</c> filler to 256 bytes (jpki/myna's Go client reads exactly
    /// 256). What the 32 bytes of <c>DF43</c> are is not known; ours are the SHA-256 of the AP's EF 0004.
    /// </summary>
    public static byte[] TextBasicInfo(byte[] keyId, byte[] certificateEf)
    {
        var trailing = new byte[128];
        trailing.AsSpan().Fill(0xFF);
        SHA256.HashData(certificateEf).CopyTo(trailing, 0);
        var inner = Tlv.Concat(
            Tlv.Encode(0xDF41, [0x01, 0x03, 0x0E, 0x01]),
            Tlv.Encode(0xDF42, keyId),
            Tlv.Encode(0xDF43, trailing, minimalLengthBytes: 2));
        return Filled(Tlv.Encode(0xFF40, inner, minimalLengthBytes: 2), 256);
    }

    /// <summary>Text AP EF 0007: <c>FF50</c> { <c>DF51</c> the AP key's public half, <c>DF52</c> the issuer's signature over <c>DF51</c> }.</summary>
    public static byte[] SignedPublicKey(RSAParameters cardKey, RSA issuer)
    {
        var signed = Tlv.Encode(0xDF51, PublicKey(cardKey));
        return Tlv.Encode(0xFF50, Tlv.Concat(signed, Tlv.Encode(0xDF52, Sign(issuer, signed))));
    }

    /// <summary>Visual AP EF 0001: <c>FF10</c> { <c>DF11</c> DOB <c>YYYYMMDD</c>, <c>DF12</c> card key, <c>DF13</c> signature }.</summary>
    public static byte[] AgeRecord(DateOnly dateOfBirth, RSAParameters cardKey, RSA issuer)
    {
        var signed = Tlv.Concat(Tlv.Encode(0xDF11, Date(dateOfBirth)), Tlv.Encode(0xDF12, PublicKey(cardKey)));
        return Tlv.Encode(0xFF10, Tlv.Concat(signed, Tlv.Encode(0xDF13, Sign(issuer, signed))));
    }

    /// <summary>
    /// Visual AP EF 0002, the card face: <c>FF20</c> { <c>DF21</c> offset table, <c>DF22</c> DOB, <c>DF23</c> sex, <c>DF24</c>
    /// card key, <c>DF25</c> name image, <c>DF26</c> address image, <c>DF27</c> photo, <c>DF28</c> signature, <c>DF29</c>
    /// expiry, <c>DF2A</c> security-code image }. The signature covers DigestInfo(SHA-256(22‖23‖24) ‖ SHA-256(25‖26) ‖
    /// SHA-256(27)); expiry and security code follow it unsigned, as on the card.
    /// </summary>
    public static byte[] CardFace(
        DateOnly dateOfBirth, int sexCode, RSAParameters cardKey, byte[] nameImage, byte[] addressImage, byte[] photo,
        DateOnly expiry, byte[] securityCodeImage, RSA issuer)
    {
        var birth = Tlv.Encode(0xDF22, Date(dateOfBirth));
        var sex = Tlv.Encode(0xDF23, Encoding.ASCII.GetBytes(sexCode.ToString(CultureInfo.InvariantCulture)));
        var key = Tlv.Encode(0xDF24, PublicKey(cardKey));
        var name = Tlv.Encode(0xDF25, nameImage);
        var address = Tlv.Encode(0xDF26, addressImage);
        var picture = Tlv.Encode(0xDF27, photo);
        var digests = Tlv.Concat(
            SHA256.HashData(Tlv.Concat(birth, sex, key)),
            SHA256.HashData(Tlv.Concat(name, address)),
            SHA256.HashData(picture));
        var digestInfo = Tlv.Encode(0x30, Tlv.Concat(Sha256AlgorithmIdentifier, Tlv.Encode(0x04, digests)));
        using var signer = new CardRsaKey(issuer.ExportPkcs8PrivateKey());
        var signature = Tlv.Encode(0xDF28, signer.SignPadded(digestInfo));
        return Tlv.WithOffsetTable(0xFF20, 0xDF21,
            [birth, sex, key, name, address, picture, signature, Tlv.Encode(0xDF29, Date(expiry)), Tlv.Encode(0xDF2A, securityCodeImage)]);
    }

    /// <summary>
    /// Visual AP EF 0003: <c>FF30</c> { <c>DF31</c> <c>06 03 0E 01</c>, <c>DF32</c> key id, <c>DF33</c> version <c>01</c>,
    /// <c>DF34</c> municipality code, <c>DF35</c> key id ‖ 256 bytes }. <c>DF35</c>'s meaning is not known; ours holds the key
    /// id and 256 <c>FF</c> bytes.
    /// </summary>
    public static byte[] VisualBasicInfo(byte[] keyId, string municipalityCode)
    {
        var opaque = new byte[256];
        opaque.AsSpan().Fill(0xFF);
        return Tlv.Encode(0xFF30, Tlv.Concat(
            Tlv.Encode(0xDF31, [0x06, 0x03, 0x0E, 0x01]),
            Tlv.Encode(0xDF32, keyId),
            Tlv.Encode(0xDF33, [0x01]),
            Tlv.Encode(0xDF34, Encoding.ASCII.GetBytes(municipalityCode)),
            Tlv.Encode(0xDF35, Tlv.Concat(keyId, opaque))));
    }

    /// <summary>Visual AP EF 0005: <c>FF40</c> { <c>DF41</c> My Number image, <c>DF42</c> card key, <c>DF43</c> signature }.</summary>
    public static byte[] MyNumberImage(byte[] image, RSAParameters cardKey, RSA issuer)
    {
        var signed = Tlv.Concat(Tlv.Encode(0xDF41, image), Tlv.Encode(0xDF42, PublicKey(cardKey)));
        return Tlv.Encode(0xFF40, Tlv.Concat(signed, Tlv.Encode(0xDF43, Sign(issuer, signed))));
    }

    private static byte[] Sign(RSA issuer, byte[] data) => issuer.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    private static byte[] Date(DateOnly date) => Encoding.ASCII.GetBytes(date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    private static byte[] Filled(byte[] content, int length)
    {
        if (content.Length >= length)
        {
            return content;
        }

        var ef = new byte[length];
        ef.AsSpan().Fill(0xFF);
        content.CopyTo(ef, 0);
        return ef;
    }
}
