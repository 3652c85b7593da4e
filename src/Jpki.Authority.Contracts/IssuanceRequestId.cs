using System.Security.Cryptography;

namespace Jpki.Authority.Contracts;

/// <summary>
/// The idempotency key of one issuance: the registration authority chooses it before it sends the request and sends the
/// same key again when it does not know whether the first attempt arrived. The authority answers a repeat with the
/// first outcome (the same certificate, or the same refusal), across restarts. 8–64 characters of
/// <c>A–Z a–z 0–9 . _ : -</c>. <c>default</c> is not a key.
/// </summary>
public readonly record struct IssuanceRequestId
{
    /// <summary>The shortest key accepted.</summary>
    public const int MinLength = 8;

    /// <summary>The longest key accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>
    /// The HTTP header that may carry the key instead of the body's <c>requestId</c> (the name of the IETF
    /// idempotency-key draft); when both are sent they must be equal.
    /// </summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The problem <c>code</c> of a 409 answer: the key was already used for a different request.</summary>
    public const string ReusedCode = "request-id-reused";

    private readonly string? _value;

    /// <summary>Wraps <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentException">Not 8–64 characters of the allowed alphabet.</exception>
    public IssuanceRequestId(string value) =>
        _value = IsValid(value) ? value : throw new ArgumentException($"A request id is {MinLength}–{MaxLength} characters of A–Z a–z 0–9 . _ : -.", nameof(value));

    /// <summary>The key.</summary>
    public string Value => _value ?? throw new InvalidOperationException("default(IssuanceRequestId) is not a request id.");

    /// <summary>A new random key (128 bits, lowercase hex).</summary>
    public static IssuanceRequestId New() => new(RandomNumberGenerator.GetHexString(32, lowercase: true));

    /// <summary>False (and <c>default</c>) when <paramref name="value"/> is not a valid key.</summary>
    public static bool TryCreate(string? value, out IssuanceRequestId id)
    {
        var valid = IsValid(value);
        id = valid ? new IssuanceRequestId(value!) : default;
        return valid;
    }

    /// <summary>The key.</summary>
    public override string ToString() => _value ?? string.Empty;

    private static bool IsValid(string? value) =>
        value is { Length: >= MinLength and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
