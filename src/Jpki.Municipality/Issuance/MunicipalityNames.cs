namespace Jpki.Municipality.Issuance;

/// <summary>The romanised prefecture and municipality that go into the subject DN of the signature certificates a counter issues.</summary>
/// <param name="Prefecture">e.g. <c>Tokyo-to</c>.</param>
/// <param name="Municipality">e.g. <c>Kiyose-shi</c>.</param>
public sealed record MunicipalityNames(string Prefecture, string Municipality)
{
    /// <summary>The embedded demo's names: Tokyo-to, Chiyoda-ku.</summary>
    public static MunicipalityNames Demo { get; } = new("Tokyo-to", "Chiyoda-ku");
}
