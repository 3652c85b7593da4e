namespace Jpki.Authority.Audit;

/// <summary>
/// The newest entry of the audit chain: its sequence number and hash. Written down outside the database (a
/// printed report, a timestamping service, another system's log), it lets a later verification detect that the tail
/// of the chain was cut off — which the chain alone cannot show.
/// </summary>
/// <param name="Sequence">The sequence number of the newest entry.</param>
/// <param name="Hash">Its SHA-256 chain hash (32 bytes).</param>
public sealed record AuditHead(long Sequence, ReadOnlyMemory<byte> Hash)
{
    /// <summary>The hash as lowercase hex.</summary>
    public string HashHex => Convert.ToHexStringLower(Hash.Span);

    /// <summary>Formats the head as <c>SEQ:HEX</c>, the form <see cref="TryParse"/> and the CLI accept.</summary>
    public override string ToString() => $"{Sequence}:{HashHex}";

    /// <summary>Parses <c>SEQ:HEX</c> (64 hex digits); false on anything else.</summary>
    public static bool TryParse(string? text, out AuditHead? head)
    {
        head = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0
            || !long.TryParse(text.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence)
            || sequence < 1)
        {
            return false;
        }

        var hex = text.AsSpan(colon + 1).Trim();
        if (hex.Length != 64)
        {
            return false;
        }

        try
        {
            head = new AuditHead(sequence, Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
