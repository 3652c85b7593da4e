namespace Jpki.Municipality.Applications;

/// <summary>
/// The points of one certificate's issue-then-write-card workflow (<see cref="IssuanceWorkflow"/>) at which
/// <see cref="Hosting.CounterRuntimeOptions.IssuanceStepHook"/> runs: where a process can die and recovery must still
/// decide right.
/// </summary>
public enum IssuanceStep
{
    /// <summary>The authority's answer is recorded (state issued); the writing mark is not, the card is untouched.</summary>
    Issued = 1,

    /// <summary>The writing mark is recorded (state writing); the card is not written yet.</summary>
    Writing = 2,

    /// <summary>The card is written (PIN, then certificate); the workflow's state does not say so yet.</summary>
    Written = 3,
}
