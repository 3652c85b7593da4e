using Jpki.Core.Pins;
using Jpki.Server.Counter;
using Jpki.Server.Staff;

namespace Jpki.Server.Tests.Counter;

/// <summary>The API's request shapes that carry PINs or passwords never print them (a record's generated ToString would).</summary>
public sealed class SecretRequestShapesTests
{
    private const string Secret = "S3cr3t-9731";

    public static TheoryData<object> Shapes() =>
    [
        new CounterJson.IssueBody("R1", "file:a", true, Secret, Secret, Secret),
        new CounterJson.PinResetBody("R1", "file:a", true, PinKind.SignaturePassword, Secret),
        new CounterJson.ProxyVisitBody("REF", "file:a", true, true, Secret, Secret, Secret),
        new StaffPages.LoginRequest("clerk", Secret),
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ToString_RequestWithSecrets_SecretsRedacted(object shape)
    {
        var text = shape.ToString()!;

        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.Contains("[secret]", text, StringComparison.Ordinal);
    }
}
