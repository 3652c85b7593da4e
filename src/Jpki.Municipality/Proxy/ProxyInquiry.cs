namespace Jpki.Municipality.Proxy;

/// <summary>
/// A proxy request (代理人申請, visit 1) and the inquiry letter (照会書) it produced. Not yet an application: the
/// application happens at visit 2 against <see cref="Reference"/>.
/// </summary>
/// <param name="Reference">Reference number, see <see cref="InquiryReference"/>.</param>
/// <param name="ResidentId">The applicant.</param>
/// <param name="AddresseeName">Applicant's name when the letter was made.</param>
/// <param name="AddresseeAddress">Registered address the letter is mailed to.</param>
/// <param name="ProxyName">The proxy (代理人).</param>
/// <param name="ProxyIdDocument">Kind of photo ID the proxy showed (e.g. "運転免許証"); no document number is stored.</param>
/// <param name="RequestedAt">Visit 1.</param>
/// <param name="IssuedOn">Japan date the letter is dated.</param>
/// <param name="AnswerDeadline">Last Japan day on which visit 2 is accepted.</param>
/// <param name="StaffId">Who took the request.</param>
/// <param name="Status">Open, completed or refused.</param>
/// <param name="ClosedAt">When visit 2 closed it.</param>
/// <param name="ClosedCode"><c>ok</c> or the refusal code that closed it.</param>
public sealed record ProxyInquiry(
    string Reference,
    string ResidentId,
    string AddresseeName,
    string AddresseeAddress,
    string ProxyName,
    string ProxyIdDocument,
    DateTimeOffset RequestedAt,
    DateOnly IssuedOn,
    DateOnly AnswerDeadline,
    string StaffId,
    InquiryStatus Status = InquiryStatus.Open,
    DateTimeOffset? ClosedAt = null,
    string? ClosedCode = null);
