using System.Collections.Concurrent;
using Jpki.Verification.Certificates;

namespace Jpki.Oidc;

/// <summary>
/// The basic 4 info a citizen agreed to give one client, verified from the signature certificate, held in memory for the
/// one authorization request that follows (single use, 2 minutes): never written to disk or to a cookie.
/// </summary>
internal sealed class ConsentGrants(TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private const int MaxWaiting = 10_000;

    private readonly ConcurrentDictionary<(string Session, string Client), (CertifiedBasicFourInfo Info, string Account, DateTimeOffset Expires)> _grants = new();

    public void Put(string session, string clientId, string account, CertifiedBasicFourInfo info)
    {
        var now = clock.GetUtcNow();
        if (_grants.Count >= MaxWaiting)
        {
            foreach (var (key, grant) in _grants)
            {
                if (grant.Expires < now)
                {
                    _grants.TryRemove(key, out _);
                }
            }
        }

        _grants[(session, clientId)] = (info, account, now + Lifetime);
    }

    public CertifiedBasicFourInfo? Take(string session, string clientId, string account)
        => _grants.TryRemove((session, clientId), out var grant) && grant.Account == account && grant.Expires >= clock.GetUtcNow() ? grant.Info : null;
}
