using System.Text.Json;
using Jpki.Authority.Contracts.Wire;
using Jpki.Core.Identity;

namespace Jpki.Authority.Contracts.Tests;

public sealed class WireShapeTests
{
    private static readonly SignatureSubjectInfo Taro = new("Tokyo-to", "Kiyose-shi", "公的　太郎", "00100", "東京都", null, new DateOnly(1980, 2, 17), Sex.Male);

    [Fact]
    public void Issuance_ThroughJson_SameRequest()
    {
        var request = new CertificateIssuance(IssuanceRequestId.New(), CertificateKind.Signature, new byte[] { 0x30, 1, 2 }, new CardId("C1"), new HolderId("H1"), new DateOnly(2031, 2, 17), Taro, CertificateSerial.Parse("0A"));
        var json = JsonSerializer.Serialize(request.ToWire(), AuthorityJsonContext.Default.IssueBody);
        Assert.Contains("\"kind\":\"sign\"", json, StringComparison.Ordinal);
        Assert.Contains("\"expiryDate\":\"2031-02-17\"", json, StringComparison.Ordinal);

        Assert.True(CertificateIssuance.TryFromWire(JsonSerializer.Deserialize(json, AuthorityJsonContext.Default.IssueBody)!, out var back, out var problem), problem);
        Assert.Equal(request.RequestId, back!.RequestId);
        Assert.Equal(request.Signature, back.Signature);
        Assert.Equal(request.SubjectPublicKeyInfo.ToArray(), back.SubjectPublicKeyInfo.ToArray());
        Assert.Equal((request.Kind, request.CardId, request.HolderId, request.ExpiryDate, request.PreviousSerial), (back.Kind, back.CardId, back.HolderId, back.ExpiryDate, back.PreviousSerial));
    }

    [Theory]
    [InlineData("{\"kind\":\"card\"}", "kind is sign or auth.")]
    [InlineData("{\"requestId\":\"x\",\"kind\":\"auth\"}", "requestId")]
    [InlineData("{\"kind\":\"auth\",\"cardId\":\"C\",\"holderId\":\"H\",\"subjectPublicKeyInfo\":\"AQID\",\"expiryDate\":\"2031-02-30\"}", "expiryDate")]
    [InlineData("{\"kind\":\"sign\",\"cardId\":\"C\",\"holderId\":\"H\",\"subjectPublicKeyInfo\":\"AQID\",\"expiryDate\":\"2031-02-17\"}", "signature.prefecture")]
    public void TryFromWire_BadBody_SentenceNamesTheField(string json, string expected)
    {
        Assert.False(CertificateIssuance.TryFromWire(JsonSerializer.Deserialize(json, AuthorityJsonContext.Default.IssueBody)!, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Certificate_ThroughJson_Same()
    {
        var at = new DateTimeOffset(2026, 6, 10, 1, 0, 0, TimeSpan.Zero);
        var certificate = new AuthorityCertificate(CertificateSerial.Parse("1234"), CertificateKind.Authentication, new CardId("C1"), new HolderId("H1"), at, at.AddYears(5), at, null, new CertificateRevocation(at.AddDays(1), RevocationReason.KeyCompromise), new byte[] { 0x30, 0 });
        var json = JsonSerializer.Serialize(certificate.ToWire(), AuthorityJsonContext.Default.CertificateView);
        Assert.Contains("\"revocationReason\":\"key-compromise\"", json, StringComparison.Ordinal);
        var back = AuthorityCertificate.FromWire(JsonSerializer.Deserialize(json, AuthorityJsonContext.Default.CertificateView)!);
        Assert.Equal(certificate with { Der = default }, back with { Der = default });
    }

    [Theory]
    [InlineData("signature", "good", null, null)]
    [InlineData("auth", "suspended", null, null)]
    [InlineData("auth", "revoked", null, "key-compromise")]
    [InlineData("auth", "revoked", "2026-06-11T00:00:00Z", "certificate-hold")]
    [InlineData("auth", "good", "2026-06-11T00:00:00Z", "unspecified")]
    public void FromWire_AnswerOutsideTheContract_ThrowsNeverGuesses(string kind, string status, string? revokedAt, string? reason)
    {
        var at = new DateTimeOffset(2026, 6, 10, 1, 0, 0, TimeSpan.Zero);
        var view = new CertificateView("12", kind, "C", "H", at, at, at, null, status, revokedAt is null ? null : DateTimeOffset.Parse(revokedAt, System.Globalization.CultureInfo.InvariantCulture), reason, "MAA=");
        Assert.Throws<AuthorityProtocolException>(() => AuthorityCertificate.FromWire(view));
    }

    [Fact]
    public void RevocationAnswer_UnknownResult_Throws() =>
        Assert.Throws<AuthorityProtocolException>(() => RevocationAnswer.FromWire(new RevocationView("12", "maybe", default, "unspecified")));
}
