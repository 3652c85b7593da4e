namespace Jpki.Core.Rules;

/// <summary>
/// The result of a rule that can refuse: either a value, or a refusal with a stable machine code and a sentence a
/// person can act on. Refusals are expected verdicts, not exceptions.
/// </summary>
/// <typeparam name="T">The value produced when the rule allows the request.</typeparam>
public readonly record struct RuleOutcome<T>
{
    private RuleOutcome(T? value, string? code, string? message)
    {
        Value = value;
        Code = code;
        Message = message;
    }

    /// <summary>True when the rule allowed the request and <see cref="Value"/> holds the result.</summary>
    public bool IsAllowed => Code is null;

    /// <summary>The result; default when refused.</summary>
    public T? Value { get; }

    /// <summary>A stable, machine-readable refusal code (kebab-case), or null when allowed.</summary>
    public string? Code { get; }

    /// <summary>A sentence a person can act on, or null when allowed. Never contains a secret.</summary>
    public string? Message { get; }

    /// <summary>An allowed outcome.</summary>
    public static RuleOutcome<T> Allow(T value) => new(value, null, null);

    /// <summary>A refusal with a machine code and a human sentence.</summary>
    public static RuleOutcome<T> Refuse(string code, string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        return new(default, code, message);
    }

    /// <summary>The value, or an <see cref="InvalidOperationException"/> naming the refusal.</summary>
    public T GetValueOrThrow() => IsAllowed ? Value! : throw new InvalidOperationException($"{Code}: {Message}");
}
