namespace Jpki.Cli.Commands.SignHelper;

/// <summary>Asks the person at the helper's own console for the signature password. Null or empty = declined.</summary>
internal interface IPasswordPrompt
{
    char[]? ReadPassword(string prompt);
}
