namespace Jpki.Municipality.Residents;

/// <summary>
/// A search of the resident register as a clerk types it: <see cref="Text"/> matches a holder reference exactly, or
/// a part of the name or of its reading, compared folded (<c>Jpki.Core.Charset.VariantFolding</c>: variants, widths,
/// case, hiragana/katakana and spaces do not matter — 高橋 finds 髙橋, SMITH finds ＳＭＩＴＨ);
/// <see cref="DateOfBirth"/> narrows to one birth date. At least one of the two must be given.
/// </summary>
/// <param name="Text">Holder reference, name or reading, or part of one; null or blank for none.</param>
/// <param name="DateOfBirth">Exact date of birth, or null.</param>
/// <param name="Limit">Most rows returned (1–500).</param>
/// <param name="Offset">Rows skipped first (paging; 0 or more).</param>
public sealed record ResidentQuery(string? Text, DateOnly? DateOfBirth = null, int Limit = 50, int Offset = 0)
{
    /// <summary>The text without spaces, or null when nothing is left.</summary>
    public string? NormalizedText
    {
        get
        {
            if (string.IsNullOrWhiteSpace(Text))
            {
                return null;
            }

            var compact = string.Concat(Text.Where(c => !char.IsWhiteSpace(c)));
            return compact.Length == 0 ? null : compact;
        }
    }

    /// <summary>Throws when the query asks for nothing or for an unreasonable number of rows.</summary>
    public void Validate()
    {
        if (NormalizedText is null && DateOfBirth is null)
        {
            throw new ArgumentException("A resident search needs a text or a date of birth.", nameof(Text));
        }

        if (Limit is < 1 or > 500)
        {
            throw new ArgumentOutOfRangeException(nameof(Limit), Limit, "The limit must be between 1 and 500.");
        }

        if (Offset < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Offset), Offset, "The offset cannot be negative.");
        }
    }
}
