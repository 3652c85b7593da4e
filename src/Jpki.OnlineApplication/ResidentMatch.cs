using Jpki.Municipality.Residents;

namespace Jpki.OnlineApplication;

/// <summary>
/// The certificate's basic 4 info against the resident register. <see cref="Code"/>: <c>match</c> (一致),
/// <c>address-differs</c> (住所不一致 — a clerk looks), <c>not-found</c> (該当なし), <c>moved-out</c> (転出),
/// <c>deceased</c> (死亡), <c>ambiguous</c> (several live residents share name, birth date and address).
/// </summary>
internal sealed record ResidentMatch(string Code, string Label, Resident? Resident, bool NeedsAttention)
{
    public static ResidentMatch Classify(string certificateAddress, IReadOnlyList<Resident> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
        {
            return new("not-found", "該当なし", null, true);
        }

        var active = candidates.Where(r => r.Status == ResidentStatus.Active).ToList();
        if (active.Count == 0)
        {
            var first = candidates[0];
            return first.Status == ResidentStatus.Deceased
                ? new("deceased", "死亡", first, true)
                : new("moved-out", "転出", first, true);
        }

        var wanted = CounterResidentDirectory.Compact(certificateAddress);
        var same = active.Where(r => CounterResidentDirectory.Compact(r.Address) == wanted).ToList();
        return same.Count switch
        {
            1 => new("match", "一致", same[0], false),
            0 => new("address-differs", "住所不一致", active[0], true),
            _ => new("ambiguous", "複数該当", same[0], true),
        };
    }
}
