namespace Jpki.Authority.Contracts;

/// <summary>
/// The holder's reference at the municipality, as the authority's registry records it (never the My Number):
/// 1–128 characters without control characters. <c>default</c> is not an id.
/// </summary>
public readonly record struct HolderId
{
    private readonly string? _value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">Blank, longer than 128 characters, or with a control character.</exception>
    public HolderId(string value) => _value = ReferenceText.Check(value, "A holder id", nameof(value));

    /// <summary>The reference.</summary>
    public string Value => _value ?? throw new InvalidOperationException("default(HolderId) is not a holder id.");

    /// <summary>False (and <c>default</c>) when <paramref name="value"/> is not a valid holder id.</summary>
    public static bool TryCreate(string? value, out HolderId id)
    {
        id = ReferenceText.IsValid(value) ? new HolderId(value!) : default;
        return ReferenceText.IsValid(value);
    }

    /// <summary>The reference.</summary>
    public override string ToString() => _value ?? string.Empty;
}
