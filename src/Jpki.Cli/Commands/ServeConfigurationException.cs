namespace Jpki.Cli.Commands;

/// <summary>A <c>jpki serve</c> setting that cannot be used; the message names it (exit 2).</summary>
internal sealed class ServeConfigurationException : Exception
{
    public ServeConfigurationException()
    {
    }

    public ServeConfigurationException(string message)
        : base(message)
    {
    }

    public ServeConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
