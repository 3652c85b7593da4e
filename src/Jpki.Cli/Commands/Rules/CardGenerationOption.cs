using System.CommandLine;
using Jpki.Core.Identity;

namespace Jpki.Cli.Commands.Rules;

/// <summary>
/// <c>--profile jpki|nextgen</c> of the validity rules: today's card (default) or the next-generation card
/// (JPKI-REFERENCE §14), named as <c>jpki card new --profile</c> and <c>jpki authority init --profile</c> name them.
/// </summary>
internal static class CardGenerationOption
{
    public const string Current = "jpki";

    public const string NextGeneration = "nextgen";

    public static Option<string> Create(string what)
    {
        var option = new Option<string>("--profile")
        {
            Description = $"Whose rules: jpki (today's card, default) or nextgen (the next-generation card, JPKI-REFERENCE §14: {what}).",
            DefaultValueFactory = _ => Current,
        };
        option.AcceptOnlyFromAmong(Current, NextGeneration);
        return option;
    }

    public static CardGeneration Get(ParseResult parse, Option<string> option)
        => parse.GetValue(option) == NextGeneration ? CardGeneration.NextGeneration : CardGeneration.Current;
}
