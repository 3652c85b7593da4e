using System.Text;
using Jpki.OnlineApplication;

namespace Jpki.OnlineApplication.Tests;

public sealed class RequestDocumentTests
{
    private static readonly DateTimeOffset Prepared = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(9));

    private static readonly ApplicationRequest[] Requests =
    [
        new ApplicationRequest("AAAAAAAAAAAAAAAAAAAAAA", RequestKind.ResidenceRecord, 2, "就職先への提出", true, true, false, false, "東京都千代田区永田町一丁目７番１号", Prepared),
        new ApplicationRequest("BBBBBBBBBBBBBBBBBBBB-_", RequestKind.SealCertificate, 1, "不動産登記 \"甲\"", false, false, false, true, null, Prepared),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Decode_EncodedRequest_GivesItBack(int index)
    {
        var request = Requests[index];
        var bytes = RequestDocument.Encode(request);

        Assert.Equal(request, RequestDocument.Decode(bytes, out _));
        Assert.Equal(bytes, RequestDocument.Encode(request));
    }

    [Fact]
    public void Encode_KeysSortedNoWhitespaceJapaneseAsIs()
    {
        var text = Encoding.UTF8.GetString(RequestDocument.Encode(Requests[0]));

        Assert.Equal(
            "{\"copies\":2,\"delivery\":{\"address\":\"東京都千代田区永田町一丁目７番１号\",\"method\":\"mail\"},\"format\":\"openjpki-e-application/1\"," +
            "\"items\":{\"domicile\":true,\"household\":true,\"relationship\":false},\"kind\":\"juminhyo\",\"preparedAt\":\"2026-11-25T10:00:00+09:00\"," +
            "\"purpose\":\"就職先への提出\",\"requestId\":\"AAAAAAAAAAAAAAAAAAAAAA\"}",
            text);
    }

    [Theory]
    [InlineData("{\"copies\":2, ")]                                  // whitespace: valid JSON, not canonical
    [InlineData("{\"copies\":11,")]                                  // out of range
    [InlineData("{\"copies\":2.0,")]                                 // not an integer
    public void Decode_NotCanonicalOrInvalid_Refused(string replaceStart)
    {
        var request = Requests[0];
        var text = Encoding.UTF8.GetString(RequestDocument.Encode(request));
        var changed = replaceStart + text["{\"copies\":2,".Length..];

        Assert.Null(RequestDocument.Decode(Encoding.UTF8.GetBytes(changed), out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"other/1\"}")]
    public void Decode_Garbage_Refused(string text) => Assert.Null(RequestDocument.Decode(Encoding.UTF8.GetBytes(text), out _));

    [Theory]
    [InlineData(0, "目的", null)]
    [InlineData(1, "", null)]
    [InlineData(1, " 前後に空白", null)]
    [InlineData(1, "改行\n", null)]
    [InlineData(1, "目的", "")]
    public void Validate_BadFields_Refused(int copies, string purpose, string? address)
    {
        var request = new ApplicationRequest("AAAAAAAAAAAAAAAAAAAAAA", RequestKind.SealCertificate, copies, purpose, false, false, false, false, address, Prepared);

        Assert.NotNull(RequestDocument.Validate(request));
    }
}
