namespace Jpki.Authority.Crl;

/// <summary>DER definite-length octets (X.690 §8.1.3), for headers written around streamed content.</summary>
internal static class DerLength
{
    public static byte[] Header(byte tag, long contentLength)
    {
        if (contentLength < 0x80)
        {
            return [tag, (byte)contentLength];
        }

        var octets = 0;
        for (var v = contentLength; v > 0; v >>= 8)
        {
            octets++;
        }

        var header = new byte[2 + octets];
        header[0] = tag;
        header[1] = (byte)(0x80 | octets);
        for (var i = 0; i < octets; i++)
        {
            header[1 + octets - i] = unchecked((byte)(contentLength >> (8 * i)));
        }

        return header;
    }
}
