namespace Jpki.Core.Rules;

/// <summary>
/// A rule's refusal: a stable machine code (kebab-case, the <c>code</c> of the problem-details answer), an English
/// sentence a person can act on, and the numbers and dates behind it as data — a caller never parses them out of the
/// sentence.
/// </summary>
/// <param name="Code">The stable machine code.</param>
/// <param name="Message">A sentence a person can act on. Never contains a secret.</param>
public sealed record Refusal(string Code, string Message)
{
    /// <summary>The code of an outcome no rule decided (<c>default(RuleOutcome&lt;T&gt;)</c>): refused.</summary>
    public const string NotDecidedCode = "not-decided";

    /// <summary>The refusal of an outcome no rule decided.</summary>
    public static Refusal NotDecided { get; } = new(NotDecidedCode, "No rule decided this request, so it is refused.");

    /// <summary>The stable machine code.</summary>
    public string Code { get; init; } = string.IsNullOrWhiteSpace(Code) ? throw new ArgumentException("A refusal needs a code.", nameof(Code)) : Code;

    /// <summary>A sentence a person can act on.</summary>
    public string Message { get; init; } = string.IsNullOrWhiteSpace(Message) ? throw new ArgumentException("A refusal needs a sentence.", nameof(Message)) : Message;

    /// <summary>The numbers and dates behind the refusal, or null.</summary>
    public RefusalData? Data { get; init; }
}

/// <summary>The structured facts of a refusal, carried from the layer that knows them (the card, the office calendar).</summary>
public sealed record RefusalData
{
    /// <summary>PIN tries left before the card blocks the PIN (from the card's 63 Cx answer).</summary>
    public int? TriesLeft { get; init; }

    /// <summary>When the office next accepts applications.</summary>
    public DateTimeOffset? NextOpening { get; init; }

    /// <summary>Why the office is closed.</summary>
    public Office.OfficeClosedReason? ClosedReason { get; init; }
}
