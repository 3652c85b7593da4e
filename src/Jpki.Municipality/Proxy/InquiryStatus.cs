namespace Jpki.Municipality.Proxy;

/// <summary>State of a <see cref="ProxyInquiry"/>.</summary>
public enum InquiryStatus
{
    /// <summary>Letter sent; waiting for visit 2.</summary>
    Open = 0,

    /// <summary>Certificates issued at visit 2.</summary>
    Completed = 1,

    /// <summary>Closed by a refusal that cannot be cured by coming back (broken seal); a new request is needed.</summary>
    Refused = 2,
}
