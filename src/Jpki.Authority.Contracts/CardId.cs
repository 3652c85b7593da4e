namespace Jpki.Authority.Contracts;

/// <summary>
/// The number of the card a certificate is issued onto:
/// 1–128 characters without control characters. <c>default</c> is not an id.
/// </summary>
public readonly record struct CardId
{
    private readonly string? _value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">Blank, longer than 128 characters, or with a control character.</exception>
    public CardId(string value) => _value = ReferenceText.Check(value, "A card id", nameof(value));

    /// <summary>The reference.</summary>
    public string Value => _value ?? throw new InvalidOperationException("default(CardId) is not a card id.");

    /// <summary>False (and <c>default</c>) when <paramref name="value"/> is not a valid card id.</summary>
    public static bool TryCreate(string? value, out CardId id)
    {
        id = ReferenceText.IsValid(value) ? new CardId(value!) : default;
        return ReferenceText.IsValid(value);
    }

    /// <summary>The reference.</summary>
    public override string ToString() => _value ?? string.Empty;
}
