using System.CommandLine;
using Jpki.Card.Client;
using Jpki.Card.Transport;
using Jpki.Cli.Logging;
using Jpki.Cli.Output;
using Jpki.Core.Pins;

namespace Jpki.Cli.Commands.Card;

/// <summary>Opens the card, runs a client action, and turns card refusals into exit codes.</summary>
internal static class CardClientRunner
{
    public static int Run(CliContext context, ParseResult parse, CardConnection connection, Func<JpkiCardClient, bool, int> action)
    {
        var json = parse.GetValue(GlobalOptions.Json);
        using var loggers = CliLogging.Create(context, CliLogging.LevelOf(context, parse, CardCommand.LogLevelOption));
        var (transport, error) = connection.Open(parse, loggers.CreateLogger("Jpki.Card"));
        if (transport is null)
        {
            return CommandResult.BadInput(context, json, error!);
        }

        using (transport)
        {
            var client = new JpkiCardClient(transport);
            try
            {
                // The whole command is one transaction: no other application's APDU lands between VERIFY and the
                // operation it enables (or between the chunks of a read), and the PIN is logged out before the card is
                // released. PINs are read before this point: nobody waits at a prompt while the card is held.
                using (client.BeginTransaction())
                {
                    try
                    {
                        return action(client, json);
                    }
                    finally
                    {
                        LogoutQuietly(client);
                    }
                }
            }
            catch (CardStatusException e)
            {
                return Refused(context, json, "card-refused", e.Message);
            }
            catch (CardTransportException e)
            {
                return CommandResult.BadInput(context, json, e.Message);
            }
        }
    }

    /// <summary>As <see cref="Run(CliContext, ParseResult, CardConnection, Func{JpkiCardClient, bool, int})"/>, zeroing <paramref name="pin"/> afterwards whatever happens.</summary>
    public static int Run(CliContext context, ParseResult parse, CardConnection connection, char[]? pin, Func<JpkiCardClient, bool, int> action)
    {
        try
        {
            return Run(context, parse, connection, action);
        }
        finally
        {
            if (pin is not null)
            {
                Array.Clear(pin);
            }
        }
    }

    /// <summary>Drops a verified PIN before the connection is released; a card already gone has nothing left to drop.</summary>
    public static void LogoutQuietly(JpkiCardClient client)
    {
        try
        {
            client.Logout();
        }
        catch (CardTransportException)
        {
        }
        catch (CardStatusException)
        {
        }
    }

    public static int Refused(CliContext context, bool json, string code, string message) =>
        CommandResult.Write(context, json, new { error = code, message }, _ => context.Stderr.WriteLine($"error: {message}"), ExitCodes.Negative);

    /// <summary>Verifies a PIN; returns null when verified, else the exit code after reporting.</summary>
    public static int? Verify(CliContext context, bool json, JpkiCardClient client, PinKind kind, char[] pin)
    {
        try
        {
            var verification = client.Verify(kind, pin);
            if (verification.Verified)
            {
                return null;
            }

            return verification.Blocked
                ? Refused(context, json, "pin-blocked", "The PIN is blocked; it must be reset at the municipal counter.")
                : Refused(context, json, "pin-wrong", $"Wrong PIN; {verification.TriesLeft} tries left before it blocks.");
        }
        finally
        {
            Array.Clear(pin);
        }
    }

    public static PinKind ParsePinKind(string which) => which switch
    {
        "sign" => PinKind.SignaturePassword,
        "auth" => PinKind.AuthenticationPin,
        _ => PinKind.CardPin,
    };
}
