namespace Jpki.Server.Web;

/// <summary>What a staff form's action answers to <see cref="FormTokens.SubmitAsync"/>.</summary>
internal abstract record FormOutcome
{
    private FormOutcome()
    {
    }

    /// <summary>Done: the browser is sent (303) to <paramref name="Location"/>, which shows the result.</summary>
    /// <param name="Location">A local path.</param>
    /// <param name="Payload">What the result page needs (stored with the submission), or null.</param>
    public sealed record Done(string Location, string? Payload = null) : FormOutcome;

    /// <summary>Refused: the form is shown again with what was typed and the reason.</summary>
    /// <param name="Code">The refusal code.</param>
    /// <param name="Message">The Japanese sentence for the clerk.</param>
    public sealed record Refused(string Code, string Message) : FormOutcome;
}
