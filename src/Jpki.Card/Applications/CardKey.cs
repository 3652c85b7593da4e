namespace Jpki.Card.Applications;

/// <summary>
/// A private key inside the card, loaded from its key EF by <see cref="CardKeyFactory"/>. What COMPUTE DIGITAL SIGNATURE
/// (mode 00) does with the host's bytes, and what the issuer channel answers as the public key, depend on the algorithm:
/// see <see cref="CardRsaKey"/> and <see cref="CardEcKey"/>.
/// </summary>
internal abstract class CardKey : IDisposable
{
    /// <summary>The key's algorithm.</summary>
    public abstract CardKeyAlgorithm Algorithm { get; }

    /// <summary>Whether COMPUTE DIGITAL SIGNATURE accepts <paramref name="length"/> bytes of input (otherwise 6700).</summary>
    public abstract bool AcceptsInput(int length);

    /// <summary>COMPUTE DIGITAL SIGNATURE mode 00: the signature over <paramref name="input"/> as the card returns it.</summary>
    public abstract byte[] Sign(ReadOnlySpan<byte> input);

    /// <summary>The public key as the issuer channel's GENERATE/READ KEY PAIR answers it.</summary>
    public abstract byte[] PublicKeyAnswer();

    public abstract void Dispose();
}
