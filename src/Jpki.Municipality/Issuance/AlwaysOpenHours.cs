using Jpki.Core.Rules;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// The developers' sandbox switch (<see cref="Hosting.CounterRuntimeOptions.AlwaysOpen"/>): the counter accepts at any
/// hour, on any day. Never for a real counter: the staff pages say so on every page while it is on.
/// </summary>
public sealed class AlwaysOpenHours : IOfficeHours
{
    /// <inheritdoc/>
    public RuleOutcome<DateTimeOffset> Check(DateTimeOffset at) => RuleOutcome<DateTimeOffset>.Allow(at);
}
