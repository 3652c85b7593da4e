using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Jpki.Cli.Commands;

/// <summary>
/// Reads <see cref="ServeSettings"/> through the standard ASP.NET Core configuration, later sources winning:
/// <list type="number">
/// <item><c>appsettings.json</c> in the data folder (if there is one), or the file of <c>--config FILE</c> (which must exist);</item>
/// <item>the older single environment variables (<c>$JPKI_CARD_MASTER_KEY_FILE</c>);</item>
/// <item>environment variables with the <c>JPKI_</c> prefix, <c>__</c> between section and key (<c>JPKI_SERVE__URLS</c>);</item>
/// <item>the command-line flags given.</item>
/// </list>
/// The result is validated at once (<see cref="ServeSettingsValidator"/>, through <c>ValidateOnStart</c>).
/// </summary>
internal static class ServeConfiguration
{
    /// <summary>The settings file looked for in the data folder.</summary>
    public const string FileName = "appsettings.json";

    /// <summary>The environment variable prefix.</summary>
    public const string EnvironmentPrefix = "JPKI_";

    /// <summary>Reads and validates the settings.</summary>
    /// <param name="configFile">The file of <c>--config</c>, or null for the data folder's <see cref="FileName"/> if present.</param>
    /// <param name="dataFolder">The data folder.</param>
    /// <param name="flags">Applies the command-line flags that were given (they win over every other source).</param>
    /// <exception cref="ServeConfigurationException">A missing or unreadable settings file, a value of the wrong type, or a setting the validator refuses; the message names the setting.</exception>
    public static ServeSettings Load(string? configFile, string dataFolder, Action<ServeSettings> flags)
    {
        var file = configFile ?? Path.Combine(dataFolder, FileName);
        if (configFile is not null && !File.Exists(configFile))
        {
            throw new ServeConfigurationException($"--config {configFile}: no such file.");
        }

        var builder = new ConfigurationBuilder();
        if (File.Exists(file))
        {
            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        var legacy = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (Environment.GetEnvironmentVariable(Counter.CounterCommand.MasterKeyVariable) is { Length: > 0 } keyFile)
        {
            legacy[ServeSettings.Section + ":" + nameof(ServeSettings.CardMasterKeyFile)] = keyFile;
        }

        builder.AddInMemoryCollection(legacy);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        IConfigurationRoot configuration;
        try
        {
            configuration = builder.Build();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new ServeConfigurationException($"{file}: {e.Message}{(e.InnerException is { } inner ? " " + inner.Message : string.Empty)}", e);
        }

        var services = new ServiceCollection();
        services.AddOptions<ServeSettings>()
            .Bind(configuration.GetSection(ServeSettings.Section))
            .PostConfigure(flags)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServeSettings>, ServeSettingsValidator>();
        using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return provider.GetRequiredService<IOptions<ServeSettings>>().Value;
        }
        catch (OptionsValidationException e)
        {
            throw new ServeConfigurationException(string.Join(" ", e.Failures), e);
        }
        catch (InvalidOperationException e)
        {
            // The binder's "Failed to convert configuration value '…' at 'Serve:Sandbox' to type 'System.Boolean'": it names the setting.
            throw new ServeConfigurationException(e.Message, e);
        }
    }
}
