using Jpki.Authority.Ca;
using Jpki.Municipality.Storage;

namespace Jpki.Server.Errors;

/// <summary>
/// Probes the server's dependencies for <c>/healthz</c>: the authority's registry (one indexed read), the counter
/// store (its schema version) and, for CA keys on a PKCS#11 token, the token (a session query). Each probe is bounded by
/// <see cref="ProbeTimeout"/>, so a database that does not answer makes the health check say so instead of hanging.
/// </summary>
internal sealed class DependencyHealth(AuthorityRuntime? authority)
{
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Each dependency that is present, with whether it answered.</summary>
    public async Task<IReadOnlyList<DependencyState>> CheckAsync(ICounterStore? counterStore, CancellationToken cancellationToken)
    {
        var states = new List<DependencyState>();
        if (authority is not null)
        {
            states.Add(await ProbeAsync("registry", ct => authority.Authority.Registry.FindBySerialAsync("00", ct), cancellationToken).ConfigureAwait(false));
            var tokenKeys = new[] { authority.Authority.SignCa, authority.Authority.AuthCa }
                .Select(ca => ca.Key).OfType<Jpki.Authority.Keys.Pkcs11CaKey>().ToList();
            if (tokenKeys.Count > 0)
            {
                states.Add(await ProbeAsync(DependencyFailures.Token, _ => Task.FromResult(tokenKeys.TrueForAll(k => k.IsAvailable())), cancellationToken).ConfigureAwait(false));
            }
        }

        if (counterStore is not null)
        {
            states.Add(await ProbeAsync("counter-store", counterStore.SchemaVersionAsync, cancellationToken).ConfigureAwait(false));
        }

        return states;
    }

    private static async Task<DependencyState> ProbeAsync<T>(string name, Func<CancellationToken, Task<T>> probe, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            var result = await probe(timeout.Token).ConfigureAwait(false);
            return new DependencyState(name, result is not false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DependencyState(name, false);
        }
        catch (Exception ex) when (DependencyFailures.Classify(ex) is not null)
        {
            return new DependencyState(name, false);
        }
    }
}
