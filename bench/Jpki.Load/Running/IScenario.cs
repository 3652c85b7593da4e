namespace Jpki.Load.Running;

/// <summary>One kind of load: set up once (sign in, read the data folder), then requests, each checked.</summary>
internal interface IScenario : IAsyncDisposable
{
    /// <summary>The scenario's name as on the command line.</summary>
    string Name { get; }

    /// <summary>What the run did, in a few words each (mix, revocation source, conditional requests…), for the report.</summary>
    IReadOnlyDictionary<string, string> Notes { get; }

    /// <summary>Prepares everything a request needs; failures here are bad setup, not load errors.</summary>
    Task SetUpAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends request number <paramref name="index"/> and checks its answer. Returns null when the scenario has nothing
    /// more to send (the counter scenario has run out of prepared cards). HTTP exceptions are classified by the runner.
    /// </summary>
    Task<Outcome?> RunOnceAsync(long index, CancellationToken cancellationToken);
}
