namespace Jpki.Card.Tests;

internal static class Apdus
{
    public const string SelectJpki = "00A4040C0AD392F000260100000001";
    public const string SelectText = "00A4040C0AD3921000310001010408";
    public const string SelectAuthPin = "00A4020C020018";
    public const string SelectSignPin = "00A4020C02001B";
    public const string SelectAuthKey = "00A4020C020017";
    public const string SelectSignKey = "00A4020C02001A";
    public const string RetryQuery = "00200080";
    public const string VerifyAuth1234 = "002000800431323334";
    public const string VerifyAuth9999 = "002000800439393939";
    public const string VerifySignAbc123 = "0020008006414243313233";

    public static string Sha256DigestInfo(byte[] data) =>
        "3031300d060960864801650304020105000420" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(data));

    public static string Sign(string dataHex) => "802A0080" + (dataHex.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + dataHex + "00";
}
