namespace Jpki.Core.Pins;

/// <summary>The secrets a card holder sets (JPKI-REFERENCE §5).</summary>
public enum PinKind
{
    /// <summary>署名用電子証明書 password: 6–16 of A–Z and 0–9, at least one letter and one digit, 5 tries (EF 001B).</summary>
    SignaturePassword = 1,

    /// <summary>利用者証明用電子証明書 PIN: exactly 4 digits, 3 tries (EF 0018).</summary>
    AuthenticationPin = 2,

    /// <summary>券面事項入力補助用 PIN, the "card PIN" the counter asks for: exactly 4 digits, 3 tries (text AP EF 0011).</summary>
    CardPin = 3,
}
