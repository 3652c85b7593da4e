namespace Jpki.Authority.Contracts;

/// <summary>The rule shared by the contract's reference identifiers: 1–128 characters, not blank, no control characters.</summary>
internal static class ReferenceText
{
    public const int MaxLength = 128;

    public static bool IsValid(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxLength && !value.Any(char.IsControl);

    public static string Check(string? value, string what, string paramName) =>
        IsValid(value) ? value! : throw new ArgumentException($"{what} is 1–{MaxLength} characters without control characters.", paramName);
}
