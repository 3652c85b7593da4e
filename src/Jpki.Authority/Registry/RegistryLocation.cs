namespace Jpki.Authority.Registry;

/// <summary>
/// Where a registry lives, as <see cref="RegistryFactory.Resolve(string?)"/> understood the setting. Its
/// <see cref="ToString"/> never shows a password.
/// </summary>
public sealed class RegistryLocation
{
    internal RegistryLocation(RegistryEngine engine, string target, string description)
    {
        Engine = engine;
        Target = target;
        Description = description;
    }

    /// <summary>The engine.</summary>
    public RegistryEngine Engine { get; }

    /// <summary>The SQLite file path, or the Npgsql connection string (may hold a password: do not log it).</summary>
    public string Target { get; }

    /// <summary>The file path, or host, port and database: safe to show and log.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Engine}: {Description}";
}
