using System.Formats.Asn1;
using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Profiles;
using Jpki.Authority.Tests.Ca;
using Jpki.Authority.Tests.Support;
using Jpki.Core.Identity;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Security;

/// <summary>
/// Issue 12 (issue input): what the authority signed although it should not have. One validator
/// (<see cref="IssueRequestValidator"/>, inside <see cref="CertificateAuthority.IssueAsync"/>) refuses each before any
/// signing, for the CLI and the registration-authority API alike; nothing reaches the registry or the audit log.
/// </summary>
[Trait("Category", "Security")]
public sealed class IssueInputTests : IDisposable
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRegistry _registry = new();
    private readonly InMemoryAuditLog _audit = new();
    private readonly IssuingCa _sign = TestKeys.Ca(CertificateKind.Signature);
    private readonly IssuingCa _auth = TestKeys.Ca(CertificateKind.Authentication);

    public void Dispose()
    {
        _sign.Dispose();
        _auth.Dispose();
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { "end-entity outlives its CA (9999-12-31)", "outlives-ca" },
        { "expiry before today", "expired" },
        { "name flags one digit short", "bad-flags" },
        { "address flags with a 2", "bad-flags" },
        { "newline in the name", "control-character" },
        { "CR in the address", "control-character" },
        { "emoji in the name", "not-jpki-charset" },
        { "newline in the municipality", "bad-locality" },
        { "birth date in the future", "birth-in-future" },
        { "birth date before Meiji", "birth-before-meiji" },
        { "RSA public exponent 3", "weak-exponent" },
        { "the signature CA's own key", "ca-key" },
        { "the authentication CA's own key", "ca-key" },
        { "link to a serial that was never issued", "unknown-previous" },
        { "card id with a newline", "bad-card-id" },
        { "undefined sex code 4", "bad-sex" },
        { "name of 101 characters", "too-long" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task IssueAsync_BadInput_RefusedBeforeSigningAndNothingRecorded(string what, string code)
    {
        var request = Bad(what);

        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => Authority().IssueAsync(request, CancellationToken.None));

        Assert.Equal(code, refused.Code);
        Assert.DoesNotContain(" (Parameter", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _registry.Count);
        Assert.Empty(_audit.Entries);
    }

    [Fact]
    public async Task IssueAsync_PreviousSerialOfAnotherHolder_Refused()
    {
        var authority = Authority();
        var other = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(holder: "H2"), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => authority.IssueAsync(CertificateAuthorityTests.SignRequest(holder: "H1", previous: other.SerialHex), CancellationToken.None));

        Assert.Equal("previous-of-another-holder", refused.Code);
    }

    [Fact]
    public async Task IssueAsync_PreviousSerialOfTheOtherKind_Refused()
    {
        var authority = Authority();
        var auth = await authority.IssueAsync(CertificateAuthorityTests.AuthRequest(), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<IssueRequestException>(() => authority.IssueAsync(CertificateAuthorityTests.SignRequest(previous: auth.SerialHex), CancellationToken.None));

        Assert.Equal("previous-of-another-kind", refused.Code);
    }

    [Fact]
    public async Task IssueAsync_ValidRequestsStillIssued()
    {
        var authority = Authority();
        var first = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(), CancellationToken.None);
        var renewal = await authority.IssueAsync(CertificateAuthorityTests.SignRequest(previous: first.SerialHex), CancellationToken.None);
        var withFlags = await authority.IssueAsync(CertificateAuthorityTests.SignRequest() with { Signature = Fixtures.Taro with { Name = "高橋　一郎", NameSubstitutionFlags = "10000" } }, CancellationToken.None);
        var lastDayOfCa = DateOnly.FromDateTime(_sign.Certificate.NotAfter.ToUniversalTime()).AddDays(-1);
        var longest = await authority.IssueAsync(CertificateAuthorityTests.AuthRequest() with { ExpiryDate = lastDayOfCa }, CancellationToken.None);

        Assert.Equal(first.SerialHex, renewal.PreviousSerialHex);
        Assert.NotNull(withFlags);
        Assert.True(longest.NotAfter <= _sign.Certificate.NotAfter.ToUniversalTime());
    }

    private CertificateAuthority Authority() => new(_sign, _auth, _registry, _audit, _clock, new AuthorityOptions());

    private IssueRequest Bad(string what)
    {
        var sign = CertificateAuthorityTests.SignRequest();
        var taro = Fixtures.Taro;
        return what switch
        {
            "end-entity outlives its CA (9999-12-31)" => sign with { ExpiryDate = new DateOnly(9999, 12, 31) },
            "expiry before today" => sign with { ExpiryDate = new DateOnly(2026, 11, 24) },
            "name flags one digit short" => sign with { Signature = taro with { NameSubstitutionFlags = "0000" } },
            "address flags with a 2" => sign with { Signature = taro with { AddressSubstitutionFlags = "2" + taro.AddressSubstitutionFlags[1..] } },
            "newline in the name" => sign with { Signature = taro with { Name = "公的\n太郎", NameSubstitutionFlags = "00000" } },
            "CR in the address" => sign with { Signature = taro with { Address = "東京都\r清瀬市", AddressSubstitutionFlags = "0000000" } },
            "emoji in the name" => sign with { Signature = taro with { Name = "公的　太郎😀", NameSubstitutionFlags = "000000" } },
            "newline in the municipality" => sign with { Signature = taro with { Municipality = "Kiyose-shi\nCN=evil" } },
            "birth date in the future" => sign with { Signature = taro with { DateOfBirth = new DateOnly(2027, 1, 1) } },
            "birth date before Meiji" => sign with { Signature = taro with { DateOfBirth = new DateOnly(1868, 1, 24) } },
            "RSA public exponent 3" => sign with { SubjectPublicKeyInfo = WithExponent3(TestKeys.SubjectSpki()) },
            "the signature CA's own key" => sign with { SubjectPublicKeyInfo = _sign.Certificate.PublicKey.ExportSubjectPublicKeyInfo() },
            "the authentication CA's own key" => CertificateAuthorityTests.AuthRequest() with { SubjectPublicKeyInfo = _auth.Certificate.PublicKey.ExportSubjectPublicKeyInfo() },
            "link to a serial that was never issued" => sign with { PreviousSerialHex = "7FFF0000000000000000000000000001" },
            "card id with a newline" => sign with { CardId = "CARD1\nforged" },
            "undefined sex code 4" => sign with { Signature = taro with { Sex = (Sex)4 } },
            "name of 101 characters" => sign with { Signature = taro with { Name = new string('亜', 101), NameSubstitutionFlags = new string('0', 101) } },
            _ => throw new ArgumentOutOfRangeException(nameof(what), what, null),
        };
    }

    private static byte[] WithExponent3(byte[] spki)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(spki, out _);
        var modulus = rsa.ExportParameters(false).Modulus!;
        var key = new AsnWriter(AsnEncodingRules.DER);
        using (key.PushSequence())
        {
            key.WriteIntegerUnsigned(modulus);
            key.WriteInteger(3);
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                writer.WriteNull();
            }

            writer.WriteBitString(key.Encode());
        }

        return writer.Encode();
    }
}
