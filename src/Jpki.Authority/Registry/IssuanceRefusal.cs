namespace Jpki.Authority.Registry;

/// <summary>
/// An issuance the authority refused under a request id, kept so that a repeat of the id answers the same refusal
/// (the registry's <c>issuance_refusals</c>). No personal data: the code, the request field and the sentence only.
/// </summary>
/// <param name="Request">The request id and digest.</param>
/// <param name="Actor">The registration authority that asked.</param>
/// <param name="Code">The stable refusal code (<see cref="Ca.IssueRequestException.Code"/>).</param>
/// <param name="Field">The request field at fault, if one.</param>
/// <param name="Detail">The sentence answered.</param>
/// <param name="RefusedAt">When.</param>
public sealed record IssuanceRefusal(IssuanceRequestKey Request, string Actor, string Code, string? Field, string Detail, DateTimeOffset RefusedAt);
