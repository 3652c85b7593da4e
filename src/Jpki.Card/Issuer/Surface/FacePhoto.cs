using System.Security.Cryptography;

namespace Jpki.Card.Issuer.Surface;

/// <summary>
/// A generated stand-in for the holder's photograph: a greyscale head-and-shoulders silhouette, varied a little per
/// card. The real card stores a greyscale JPEG 2000 photo [R soltia48/myna-card]; this build writes PNG, as no JPEG 2000
/// encoder is available to it (docs/card.md lists the deviation).
/// </summary>
internal static class FacePhoto
{
    public const int Width = 96;
    public const int Height = 120;

    public static byte[] Generate(string seed)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed));
        var background = (byte)(200 + (hash[0] % 40));
        var tone = (byte)(90 + (hash[1] % 60));
        var headRx = 22 + (hash[2] % 6);
        var headRy = 28 + (hash[3] % 6);
        var pixels = new byte[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                double dx = x - (Width / 2), dy = y - 48;
                var head = ((dx * dx) / (headRx * headRx)) + ((dy * dy) / (headRy * headRy)) <= 1;
                var sy = y - 125.0;
                var shoulders = y > 82 && ((dx * dx) / (46.0 * 46.0)) + ((sy * sy) / (45.0 * 45.0)) <= 1;
                var shade = (byte)Math.Clamp(tone - (int)(dx / 3), 0, 255);
                pixels[(y * Width) + x] = head || shoulders ? shade : (byte)Math.Clamp(background - (y / 6), 0, 255);
            }
        }

        return PngImage.EncodeGray8(Width, Height, pixels);
    }
}
