namespace Jpki.Card.Virtual;

/// <summary>Where the card processor makes its state durable. <see cref="Persist"/> returns only once the write is durable.</summary>
internal interface ICardImageSink
{
    /// <summary>Writes <paramref name="image"/> durably (or throws <see cref="IOException"/>).</summary>
    void Persist(CardImage image);
}
