namespace Jpki.Municipality.Residents;

/// <summary>The format of holder references (<see cref="Resident.Id"/>): 1–32 of A–Z, a–z, 0–9 and '-'.</summary>
public static class ResidentId
{
    /// <summary>Longest reference.</summary>
    public const int MaxLength = 32;

    /// <summary>True when <paramref name="id"/> is a well-formed reference.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
