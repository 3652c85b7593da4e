using Jpki.Core.Identity;
using Jpki.Municipality.Applications;
using Jpki.Municipality.Issuance;
using Jpki.Municipality.Proxy;
using Jpki.Municipality.Residents;

namespace Jpki.Server.Counter;

/// <summary>The JSON shapes of the counter API (requests carry PINs as strings: they live only for the call and are never logged).</summary>
internal static class CounterJson
{

    internal sealed record ResidentSummary(string Id, string Name, string NameKana, string Address, DateOnly DateOfBirth, string Sex, bool UnderGuardianship, string HouseholdId, string Status);

    internal sealed record CardView(string CardId, string Kind, DateOnly ExpiresOn, string Status);

    internal sealed record CertificateView(string Kind, string SerialHex, string CardId, DateOnly ExpiresOn, DateOnly RenewalOpens, string State, bool RenewableToday, string? RevocationReason);

    internal sealed record ResidentDetail(ResidentSummary Resident, IReadOnlyList<CardView> Cards, IReadOnlyList<CertificateView> Certificates, IReadOnlyList<IssuanceView> Issuances);

    /// <summary>
    /// One certificate's issue-then-write-card workflow: <c>state</c> is <c>intended</c> (the authority's answer not
    /// recorded yet), <c>issued</c> (not yet on the card), <c>written</c>, <c>revoked</c> (the card write failed: revoked,
    /// unspecified) or <c>not-issued</c> (the authority refused).
    /// </summary>
    internal sealed record IssuanceView(string Kind, string State, string? SerialHex, string CardId, DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, int Attempts, string? LastError);

    /// <summary>A resident search: reference, name or reading (<c>q</c>) and/or date of birth; a page of at most 500.</summary>
    internal sealed record SearchBody(string? Q, DateOnly? Dob, int? Offset, int? Limit);

    internal sealed record ResidentEditBody(string? NameKana, bool? UnderGuardianship, string? HouseholdId);

    internal sealed record ChangeBody(ResidentChangeKind Kind, string? NewAddress, string? NewName, string? NewNameKana, DateOnly? NewDateOfBirth, Sex? NewSex, string? CardId);

    internal sealed record ChangeView(string Id, string Kind, DateTimeOffset At, string StaffId, string Summary);

    internal sealed record CardBody(string CardId, CardKind Kind, DateOnly ExpiresOn);

    internal sealed record ImportJobView(string Id, string State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, long TotalBytes, long BytesRead, int LinesRead, int Errors, ImportView? Result);

    internal sealed record ImportView(bool Accepted, int Imported, string Encoding, int Lines, int ErrorCount, IReadOnlyList<CsvRowError> Errors);

    internal sealed record IssueBody(
        string ResidentId, string CardSlot, bool IdentityChecked, string? CardPin, string? SignaturePassword, string? AuthenticationPin,
        bool IncludeSignature = true, bool IncludeAuthentication = true, IReadOnlyDictionary<string, string>? SubstituteChoices = null)
    {
        /// <summary>Never the PINs: a record's generated ToString would print them into any log or exception it reaches.</summary>
        public override string ToString() => $"{nameof(IssueBody)} {{ ResidentId = {ResidentId}, CardSlot = {CardSlot}, PINs = [secret] }}";
    }

    internal sealed record PinResetBody(string ResidentId, string CardSlot, bool IdentityChecked, Jpki.Core.Pins.PinKind Kind, string? NewPin)
    {
        /// <summary>Never the PIN (see <see cref="IssueBody.ToString"/>).</summary>
        public override string ToString() => $"{nameof(PinResetBody)} {{ ResidentId = {ResidentId}, CardSlot = {CardSlot}, Kind = {Kind}, NewPin = [secret] }}";
    }

    /// <summary>A PIN of a next-generation card unblocked with the holder's PUK; <see cref="Kind"/> is the authentication PIN or the signature password.</summary>
    internal sealed record PinUnblockBody(string ResidentId, string CardSlot, bool IdentityChecked, Jpki.Core.Pins.PinKind Kind, string? Puk, string? NewPin)
    {
        /// <summary>Never the PUK or the PIN (see <see cref="IssueBody.ToString"/>).</summary>
        public override string ToString() => $"{nameof(PinUnblockBody)} {{ ResidentId = {ResidentId}, CardSlot = {CardSlot}, Kind = {Kind}, Puk = [secret], NewPin = [secret] }}";
    }

    internal sealed record RevokeBody(string ResidentId, bool IdentityChecked, IReadOnlyList<CertificateKind> Kinds, bool ByThirdParty = false);

    internal sealed record ProxyRequestBody(string ResidentId, string ProxyName, string ProxyIdDocument, bool ProxyIdChecked, bool ApplicationPresent, bool PowerOfAttorneyPresent);

    /// <summary>Visit 2. <see cref="SealIntact"/> must be given (true or false): leaving it out is refused <c>proxy-seal-not-stated</c> and closes nothing.</summary>
    internal sealed record ProxyVisitBody(
        string Reference, string CardSlot, bool ProxyIdChecked, bool? SealIntact, string? CardPin, string? SignaturePassword, string? AuthenticationPin,
        bool IncludeSignature = true, bool IncludeAuthentication = true, IReadOnlyDictionary<string, string>? SubstituteChoices = null)
    {
        /// <summary>Never the PINs (see <see cref="IssueBody.ToString"/>).</summary>
        public override string ToString() => $"{nameof(ProxyVisitBody)} {{ Reference = {Reference}, CardSlot = {CardSlot}, PINs = [secret] }}";
    }

    internal sealed record InquiryView(string Reference, string ResidentId, string AddresseeName, string AddresseeAddress, string ProxyName, string ProxyIdDocument, DateOnly IssuedOn, DateOnly AnswerDeadline, string StaffId, string Status, string? ClosedCode);

    internal sealed record Revoked(IReadOnlyList<string> Serials);

    internal sealed record PinReset(string Kind);

    internal sealed record PinUnblocked(string Kind, bool Unblocked);

    internal sealed record DailyReportView(DateOnly Date, IReadOnlyList<Jpki.Municipality.Reports.DailyReportLine> Lines, int CertificatesIssued, int FeesYen, Jpki.Municipality.Reports.DayClose? Closed);

    public static ResidentSummary Summary(Resident r) => new(r.Id, r.Name, r.NameKana, r.Address, r.DateOfBirth, r.Sex.ToString(), r.UnderGuardianship, r.HouseholdId, r.Status.ToString());

    public static CardView Card(ResidentCard c) => new(c.CardId, c.Kind.ToString(), c.ExpiresOn, c.Status.ToString());

    public static InquiryView Inquiry(ProxyInquiry i) => new(i.Reference, i.ResidentId, i.AddresseeName, i.AddresseeAddress, i.ProxyName, i.ProxyIdDocument, i.IssuedOn, i.AnswerDeadline, i.StaffId, i.Status.ToString(), i.ClosedCode);

    /// <summary>Substitute choices keyed by the original character (or <c>U+XXXX</c>) → keyed by code point. Null when a key is not one character.</summary>
    public static Dictionary<int, string>? Choices(IReadOnlyDictionary<string, string>? choices)
    {
        var result = new Dictionary<int, string>();
        if (choices is null)
        {
            return result;
        }

        foreach (var (key, value) in choices)
        {
            // A lone surrogate or a number beyond U+10FFFF is no character: refused (null), never an exception.
            if (key.StartsWith("U+", StringComparison.OrdinalIgnoreCase) && int.TryParse(key.AsSpan(2), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var cp) && System.Text.Rune.IsValid(cp))
            {
                result[cp] = value;
            }
            else if (System.Text.Rune.DecodeFromUtf16(key, out var first, out var used) == System.Buffers.OperationStatus.Done && used == key.Length)
            {
                result[first.Value] = value;
            }
            else
            {
                return null;
            }
        }

        return result;
    }

    public static IssuanceReceipt Receipt(IssuanceReceipt receipt) => receipt;

    public static SubstitutionPreview Preview(SubstitutionPreview preview) => preview;

    public static SecretPin? Pin(string? value) => value is null ? null : SecretPin.From(value);
}
