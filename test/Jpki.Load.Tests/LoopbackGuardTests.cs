using System.Net;
using Jpki.Load.Running;
using Jpki.Load.Safety;

namespace Jpki.Load.Tests;

public sealed class LoopbackGuardTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.255.255.254", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("128.0.0.1", false)]
    public void IsLoopback_Address_Expected(string address, bool expected) =>
        Assert.Equal(expected, LoopbackGuard.IsLoopback(IPAddress.Parse(address)));

    [Fact]
    public async Task CheckAsync_Localhost_Accepted()
    {
        var (addresses, refusal) = await LoopbackGuard.CheckAsync("http://localhost:8080/", default);

        Assert.Null(refusal);
        Assert.All(addresses!, a => Assert.True(LoopbackGuard.IsLoopback(a)));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("60s", 60)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("15", 15)]
    public void DurationText_Valid_Parsed(string text, double seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds, 6);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1s")]
    [InlineData("abc")]
    [InlineData("2d")]
    [InlineData("1e9s")]
    public void DurationText_Invalid_Refused(string text) => Assert.False(DurationText.TryParse(text, out _));
}
