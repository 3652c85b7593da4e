namespace Jpki.Server.Errors;

/// <summary>One dependency in the <c>/healthz</c> report: its name and whether it answered the probe.</summary>
internal sealed record DependencyState(string Name, bool Ok);
