namespace Jpki.Municipality.Staff;

/// <summary>The format of staff login names: 1–32 of a–z, 0–9, '.', '_' and '-', starting with a letter.</summary>
public static class StaffId
{
    /// <summary>Longest login name.</summary>
    public const int MaxLength = 32;

    /// <summary>True when <paramref name="id"/> is a well-formed login name.</summary>
    public static bool IsValid(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > MaxLength || !char.IsAsciiLetterLower(id[0]))
        {
            return false;
        }

        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
