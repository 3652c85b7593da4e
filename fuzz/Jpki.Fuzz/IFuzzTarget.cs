namespace Jpki.Fuzz;

/// <summary>
/// One fuzz target. <see cref="Run"/> returns normally for every input the code under test handles as documented
/// (accepted, or refused with the documented bad-input result) and throws for a finding: any other exception, or a
/// result that breaks the target's contract (<see cref="FuzzFindingException"/>).
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The target's name on the command line and its corpus folder (<c>fuzz/corpus/&lt;name&gt;</c>).</summary>
    string Name { get; }

    /// <summary>One sentence: what the target feeds and which result counts as the documented "bad input" answer.</summary>
    string Contract { get; }

    /// <summary>Runs one input.</summary>
    /// <param name="input">The fuzzer's bytes.</param>
    void Run(ReadOnlySpan<byte> input);
}
