namespace Jpki.Signing.Cades;

/// <summary>The names of <see cref="CadesLevel"/> as the CLI and reports spell them: <c>B-B</c>, <c>B-T</c>, <c>B-LT</c>, <c>B-LTA</c>.</summary>
public static class CadesLevels
{
    /// <summary>The name of <paramref name="level"/>.</summary>
    public static string Name(CadesLevel level) => level switch
    {
        CadesLevel.BaselineB => "B-B",
        CadesLevel.BaselineT => "B-T",
        CadesLevel.BaselineLt => "B-LT",
        CadesLevel.BaselineLta => "B-LTA",
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, null),
    };

    /// <summary>Parses <c>B-B</c>, <c>B-T</c>, <c>B-LT</c>, <c>B-LTA</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out CadesLevel level)
    {
        level = default;
        switch (text?.ToUpperInvariant())
        {
            case "B-B":
                level = CadesLevel.BaselineB;
                return true;
            case "B-T":
                level = CadesLevel.BaselineT;
                return true;
            case "B-LT":
                level = CadesLevel.BaselineLt;
                return true;
            case "B-LTA":
                level = CadesLevel.BaselineLta;
                return true;
            default:
                return false;
        }
    }
}
