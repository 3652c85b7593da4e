using Jpki.Card.Transport.Pcsc;

namespace Jpki.Card.Tests.Transport.Pcsc;

public sealed class PcscCodesTests
{
    [Theory]
    [InlineData(PcscPlatform.PcscLite, 0x80100068u, "ResetCard")]
    [InlineData(PcscPlatform.WinScard, 0x80100068u, "ResetCard")]
    [InlineData(PcscPlatform.MacOS, 0x80100068u, "ResetCard")]
    [InlineData(PcscPlatform.PcscLite, 0x80100069u, "RemovedCard")]
    // 0x8010006A: SCARD_W_SECURITY_VIOLATION in winscard.h and pcsc-lite, SCARD_W_INSERTED_CARD in Apple's pcsclite.h.
    [InlineData(PcscPlatform.WinScard, 0x8010006Au, "SecurityViolation")]
    [InlineData(PcscPlatform.PcscLite, 0x8010006Au, "SecurityViolation")]
    [InlineData(PcscPlatform.MacOS, 0x8010006Au, "InsertedCard")]
    // 0x8010001F: SCARD_E_UNEXPECTED on Windows; pcsc-lite and macOS also call it SCARD_E_UNSUPPORTED_FEATURE,
    // whose Windows value is 0x80100022.
    [InlineData(PcscPlatform.WinScard, 0x8010001Fu, "Unexpected")]
    [InlineData(PcscPlatform.PcscLite, 0x8010001Fu, "UnsupportedFeature")]
    [InlineData(PcscPlatform.MacOS, 0x8010001Fu, "UnsupportedFeature")]
    [InlineData(PcscPlatform.WinScard, 0x80100022u, "UnsupportedFeature")]
    [InlineData(PcscPlatform.PcscLite, 0x80100022u, "Other")]
    [InlineData(PcscPlatform.PcscLite, 0x8010002Eu, "NoReadersAvailable")]
    [InlineData(PcscPlatform.WinScard, 0x8010001Du, "NoService")]
    [InlineData(PcscPlatform.PcscLite, 0u, "Success")]
    public void Interpret_PlatformValues(PcscPlatform platform, uint code, string expected) =>
        Assert.Equal(expected, PcscCodes.Interpret(platform, code).ToString());

    [Fact]
    public void Describe_NamesTheMeaningPerPlatformAndKeepsTheRawCode()
    {
        Assert.Equal("another card was inserted (0x8010006A)", PcscCodes.Describe(PcscPlatform.MacOS, 0x8010006A));
        Assert.Equal("access denied by a security violation (0x8010006A)", PcscCodes.Describe(PcscPlatform.WinScard, 0x8010006A));
        Assert.StartsWith("pcscd is not running", PcscCodes.Describe(PcscPlatform.PcscLite, 0x8010001D), StringComparison.Ordinal);
        Assert.StartsWith("the smart card service is not running", PcscCodes.Describe(PcscPlatform.WinScard, 0x8010001D), StringComparison.Ordinal);
        Assert.Equal("PC/SC error (0x80100999)", PcscCodes.Describe(PcscPlatform.PcscLite, 0x80100999));
    }
}
