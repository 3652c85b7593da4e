using System.Text.Json.Serialization;

namespace Jpki.Verification.Signatures;

/// <summary>The validation of a signed document: its detected format and one report per signature (ETSI EN 319 102-1).</summary>
public sealed record ValidationReport
{
    /// <summary>The format the document was detected as (<c>CAdES</c>, <c>XAdES</c>, <c>PAdES</c>), or <c>unknown</c>.</summary>
    public required string Format { get; init; }

    /// <summary>The time the validation was made for (the current time, or the one asked for).</summary>
    public required DateTimeOffset ValidationTime { get; init; }

    /// <summary>The name of the document, when known (a file name).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Document { get; init; }

    /// <summary>The signatures found, in document order. Empty when the document could not be read as a signature.</summary>
    public required IReadOnlyList<SignatureReport> Signatures { get; init; }

    /// <summary>The worst indication over the signatures; INDETERMINATE/FORMAT_FAILURE when none was found.</summary>
    public Indication Indication => Signatures.Count == 0
        ? Indication.Indeterminate
        : Signatures.Any(s => s.Indication == Indication.TotalFailed) ? Indication.TotalFailed
        : Signatures.Any(s => s.Indication == Indication.Indeterminate) ? Indication.Indeterminate
        : Indication.TotalPassed;

    /// <summary>When no signature could be read, why (e.g. not a signature format this validator knows).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    /// <summary>True when there is at least one signature and every one is TOTAL-PASSED.</summary>
    [JsonIgnore]
    public bool IsValid => Signatures.Count > 0 && Indication == Indication.TotalPassed;
}
