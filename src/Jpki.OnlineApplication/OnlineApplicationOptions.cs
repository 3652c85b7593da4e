namespace Jpki.OnlineApplication;

/// <summary>Settings of the online application pages.</summary>
public sealed class OnlineApplicationOptions
{
    /// <summary>Where the page looks for the citizen's local signing helper (<c>jpki sign-helper</c>). Default <c>http://127.0.0.1:61001</c>.</summary>
    public Uri HelperUrl { get; init; } = new("http://127.0.0.1:61001");

    /// <summary>The file of the application store; default <c>eapp.db</c> in the data folder.</summary>
    public string? DatabasePath { get; init; }

    /// <summary>The counter's resident store used for matching; default <c>counter.db</c> in the data folder (or the host's shared store).</summary>
    public string? ResidentDatabasePath { get; init; }
}
