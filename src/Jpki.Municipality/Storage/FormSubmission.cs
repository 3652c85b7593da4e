namespace Jpki.Municipality.Storage;

/// <summary>
/// One submission of a staff form, keyed by the form's one-time token, so that a double click, a reload or a second
/// server behind the same database never runs the action twice: the first request claims the token, the others find
/// it and show the first result. Holds no secret (never a PIN); <see cref="Payload"/> is what the result page shows.
/// </summary>
/// <param name="Id">The form token's id (random, 128 bits).</param>
/// <param name="StaffId">Who submitted it.</param>
/// <param name="Form">Which form (for people and logs).</param>
/// <param name="CreatedAt">When it was claimed.</param>
/// <param name="Done">False while the action runs.</param>
/// <param name="Outcome"><c>ok</c>, or the refusal code; null while pending.</param>
/// <param name="Location">Where the result is shown (after a success), or null.</param>
/// <param name="Payload">The result for the result page (JSON or a Japanese sentence), or null.</param>
public sealed record FormSubmission(
    string Id,
    string StaffId,
    string Form,
    DateTimeOffset CreatedAt,
    bool Done = false,
    string? Outcome = null,
    string? Location = null,
    string? Payload = null);
