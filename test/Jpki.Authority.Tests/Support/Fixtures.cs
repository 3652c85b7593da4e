using Jpki.Authority.Profiles;
using Jpki.Core.Identity;

namespace Jpki.Authority.Tests.Support;

public static class Fixtures
{
    public static readonly SignatureSubject Taro = new(
        "Tokyo-to",
        "Kiyose-shi",
        "公的　太郎",
        "00000",
        "東京都清瀬市中里５丁目８４２番地",
        SignatureSubject.NoSubstitution("東京都清瀬市中里５丁目８４２番地"),
        new DateOnly(1980, 2, 17),
        Sex.Male);
}
