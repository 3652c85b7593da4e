using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Tests;

public sealed class SecretPinTests
{
    [Fact]
    public void ToString_NeverShowsTheSecret()
    {
        using var pin = SecretPin.From("1234");

        Assert.Equal("[secret]", pin.ToString());
        Assert.Equal("[secret]", $"{pin}");
    }

    [Fact]
    public void Dispose_ZeroesAndForbidsReveal()
    {
        var pin = SecretPin.From("ABC123");
        Assert.True(pin.Reveal().SequenceEqual("ABC123"));

        pin.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pin.Reveal().Length);
    }
}
