namespace Jpki.Authority.Audit;

/// <summary>One CA action to record. Never carries a secret (no PINs, keys or My Numbers).</summary>
/// <param name="At">When it happened (from the injected clock).</param>
/// <param name="Actor">Who: a staff account, a service name, or "system".</param>
/// <param name="Action">What, as a stable verb: <c>ca.init</c>, <c>cert.issue</c>, <c>cert.revoke</c>, <c>crl.publish</c>, …</param>
/// <param name="Subject">What it acted on: a serial, a CA name, a CRL number.</param>
/// <param name="Details">Free text or compact JSON with the facts a reviewer needs.</param>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Subject, string Details);
