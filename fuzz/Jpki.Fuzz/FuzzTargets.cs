namespace Jpki.Fuzz;

/// <summary>The six targets by name. Each is created on first use (the APDU target issues a card, which takes a moment).</summary>
public static class FuzzTargets
{
    private static readonly Dictionary<string, Lazy<IFuzzTarget>> Targets = new(StringComparer.Ordinal)
    {
        [ApduTarget.TargetName] = new(() => new ApduTarget()),
        [OcspRequestTarget.TargetName] = new(() => new OcspRequestTarget()),
        [CmsTarget.TargetName] = new(() => new CmsTarget()),
        [CertificateTarget.TargetName] = new(() => new CertificateTarget()),
        [CsvTarget.TargetName] = new(() => new CsvTarget()),
        [PdfSignatureTarget.TargetName] = new(() => new PdfSignatureTarget()),
    };

    /// <summary>The target names, in the order the script runs them.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [ApduTarget.TargetName, OcspRequestTarget.TargetName, CmsTarget.TargetName, CertificateTarget.TargetName, CsvTarget.TargetName, PdfSignatureTarget.TargetName];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    /// <param name="name">A target name.</param>
    public static IFuzzTarget? Find(string name) => Targets.TryGetValue(name, out var target) ? target.Value : null;
}
