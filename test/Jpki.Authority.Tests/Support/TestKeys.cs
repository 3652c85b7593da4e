using System.Security.Cryptography;
using Jpki.Authority.Ca;
using Jpki.Authority.Keys;
using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Support;

/// <summary>The committed test keys (TestData/*.key.pem, test use only) and CAs built from them at a fixed time.</summary>
public static class TestKeys
{
    public static readonly DateTimeOffset CaIssuedAt = new(2026, 4, 1, 0, 30, 15, TimeSpan.Zero);

    public static string DataPath(string file) => Path.Combine(AppContext.BaseDirectory, "TestData", file);

    public static RSA Load(string name)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(DataPath(name + ".key.pem")));
        return rsa;
    }

    public static byte[] SubjectSpki()
    {
        using var rsa = Load("subject");
        return rsa.ExportSubjectPublicKeyInfo();
    }

    public static IssuingCa Ca(CertificateKind kind, CaNames? names = null)
    {
        var key = new SoftwareCaKey(Load(kind == CertificateKind.Signature ? "sign-ca" : "auth-ca"));
        names ??= CaNames.Production(kind);
        var serial = kind == CertificateKind.Signature ? new byte[] { 0x06, 0x7C, 0x6A, 0x21 } : [0x06, 0xD1, 0x80, 0x06];
        return IssuingCa.CreateRoot(kind, names, key, serial, CaIssuedAt);
    }
}
