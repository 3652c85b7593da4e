namespace Jpki.Core.Rules;

/// <summary>
/// The result of a rule that can refuse: either a value, or a <see cref="Rules.Refusal"/> with a stable machine code,
/// a sentence a person can act on and structured data (tries left, next opening). Refusals are expected verdicts, not
/// exceptions. Only <see cref="Allow"/> allows: <c>default(RuleOutcome&lt;T&gt;)</c>, an outcome nobody decided, is
/// refused with <see cref="Refusal.NotDecidedCode"/>, so a forgotten assignment can never let a request through.
/// </summary>
/// <typeparam name="T">The value produced when the rule allows the request.</typeparam>
public readonly record struct RuleOutcome<T>
{
    private readonly bool _allowed;
    private readonly Refusal? _refusal;

    private RuleOutcome(bool allowed, T? value, Refusal? refusal)
    {
        _allowed = allowed;
        Value = value;
        _refusal = refusal;
    }

    /// <summary>True only when the rule allowed the request (<see cref="Allow"/>) and <see cref="Value"/> holds the result.</summary>
    public bool IsAllowed => _allowed;

    /// <summary>The result; default when refused.</summary>
    public T? Value { get; }

    /// <summary>Why the request was refused, or null when allowed. A default outcome is <see cref="Refusal.NotDecided"/>.</summary>
    public Refusal? Refusal => _allowed ? null : _refusal ?? Refusal.NotDecided;

    /// <summary>A stable, machine-readable refusal code (kebab-case), or null when allowed.</summary>
    public string? Code => Refusal?.Code;

    /// <summary>A sentence a person can act on, or null when allowed. Never contains a secret.</summary>
    public string? Message => Refusal?.Message;

    /// <summary>The refusal's structured data (tries left, next opening), or null.</summary>
    public RefusalData? Data => Refusal?.Data;

    /// <summary>An allowed outcome.</summary>
    public static RuleOutcome<T> Allow(T value) => new(true, value, null);

    /// <summary>A refusal with a machine code, a human sentence and optional structured data.</summary>
    public static RuleOutcome<T> Refuse(string code, string message, RefusalData? data = null) =>
        new(false, default, new Refusal(code, message) { Data = data });

    /// <summary>A refusal decided elsewhere, kept with its data.</summary>
    public static RuleOutcome<T> Refuse(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new(false, default, refusal);
    }

    /// <summary>This refusal as an outcome of another type (code, sentence and data kept); throws when allowed.</summary>
    public RuleOutcome<TOther> Refused<TOther>() =>
        _allowed ? throw new InvalidOperationException("An allowed outcome has no refusal to pass on.") : RuleOutcome<TOther>.Refuse(Refusal!);

    /// <summary>The value, or an <see cref="InvalidOperationException"/> naming the refusal.</summary>
    public T GetValueOrThrow() => IsAllowed ? Value! : throw new InvalidOperationException($"{Code}: {Message}");
}
