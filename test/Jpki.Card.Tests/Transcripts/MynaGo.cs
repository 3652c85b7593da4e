using System.Text;

namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// The APDU sequences of jpki/myna's Go client, transcribed from its source at commit 58c580b (the last Go version, parent
/// of 5aceeb8 "Rust移行"): <c>libmyna/reader.go</c>, <c>api.go</c>, <c>jpki_ap.go</c>, <c>text_ap.go</c>, <c>visual_ap.go</c>,
/// <c>utils.go</c> and <c>cmd/*.go</c>. The Go module proxy is not reachable here, so the program itself cannot be built;
/// every command below carries the file and line that sends it. Control flow (what is read after what, chunk sizes, the
/// 7-byte header reads) follows the source; answers come from the card.
/// </summary>
internal static class MynaGo
{
    private const string JpkiAid = "D392F000260100000001";
    private const string TextAid = "D3921000310001010408";
    private const string VisualAid = "D3921000310001010402";

    /// <summary>reader.go:116-128 SelectDF: <c>00 A4 04 0C</c> + AID (NewAPDUCase3).</summary>
    private static bool SelectDF(Wire w, string aid, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-go reader.go:122 SelectDF ({caller})", Wire.Case3(0x00, 0xA4, 0x04, 0x0C, Wire.Hex(aid)));
        return sw1 == 0x90 && sw2 == 0x00;
    }

    /// <summary>reader.go:130-142 SelectEF: <c>00 A4 02 0C 02</c> + FID.</summary>
    private static bool SelectEF(Wire w, string fid, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-go reader.go:136 SelectEF {fid} ({caller})", Wire.Case3(0x00, 0xA4, 0x02, 0x0C, Wire.Hex(fid)));
        return sw1 == 0x90 && sw2 == 0x00;
    }

    /// <summary>reader.go:144-155 LookupPin: <c>00 20 00 80</c> (NewAPDUCase1); SW1 63 → SW2 &amp; 0F.</summary>
    private static int LookupPin(Wire w, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-go reader.go:149 LookupPin ({caller})", 0x00, 0x20, 0x00, 0x80);
        return sw1 == 0x63 ? sw2 & 0x0F : -1;
    }

    /// <summary>reader.go:157-181 Verify: <c>00 20 00 80 Lc PIN</c>.</summary>
    private static bool Verify(Wire w, string pin, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-go reader.go:166 Verify ({caller})", Wire.Case3(0x00, 0x20, 0x00, 0x80, Encoding.ASCII.GetBytes(pin)));
        return sw1 == 0x90 && sw2 == 0x00;
    }

    /// <summary>reader.go:183-195 ChangePin: <c>00 24 01 80 Lc new PIN</c>.</summary>
    private static bool ChangePin(Wire w, string pin, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-go reader.go:189 ChangePin ({caller})", Wire.Case3(0x00, 0x24, 0x01, 0x80, Encoding.ASCII.GetBytes(pin)));
        return sw1 == 0x90 && sw2 == 0x00;
    }

    /// <summary>
    /// reader.go:241-266 ReadBinary(size): from offset 0, <c>00 B0 P1 P2 Le</c> with Le = 00 while more than 255 bytes remain,
    /// else the remainder; any SW other than 9000 → nil.
    /// </summary>
    private static byte[]? ReadBinary(Wire w, int size, string caller)
    {
        var result = new List<byte>();
        var pos = 0;
        while (pos < size)
        {
            var le = size - pos > 0xFF ? (byte)0 : (byte)(size - pos);
            var (sw1, sw2, data) = w.Trans($"myna-go reader.go:258 ReadBinary({size}) ({caller})", 0x00, 0xB0, (byte)((pos >> 8) & 0xFF), (byte)(pos & 0xFF), le);
            if (sw1 != 0x90 || sw2 != 0x00)
            {
                return null;
            }

            if (data.Length == 0)
            {
                return null; // the Go loop would spin on an empty 9000; never seen, stop here
            }

            result.AddRange(data);
            pos += data.Length;
        }

        return [.. result];
    }

    /// <summary>utils.go:19-80 ASN1PartialParser: tag (1 or 2 bytes) + length → offset + length.</summary>
    private static int PartialSize(byte[] header)
    {
        var offset = (header[0] & 0x1F) == 0x1F ? 2 : 1;
        int b = header[offset++];
        if ((b & 0x80) == 0)
        {
            return offset + b;
        }

        var length = 0;
        for (var i = 0; i < (b & 0x7F); i++)
        {
            length = (length << 8) | header[offset++];
        }

        return offset + length;
    }

    /// <summary>jpki_ap.go:18-27 ReadToken: SelectEF 0006, ReadBinary(0x20).</summary>
    private static string ReadToken(Wire w)
    {
        SelectEF(w, "0006", "jpki_ap.go:19 ReadToken");
        var data = ReadBinary(w, 0x20, "jpki_ap.go:24 ReadToken") ?? [];
        return Encoding.ASCII.GetString(data).TrimEnd(' ');
    }

    /// <summary>api.go:20-51 CheckCard, the PreRunE of most commands: SelectJPKIAP, SelectEF 0006, ReadToken.</summary>
    private static void CheckCard(Wire w)
    {
        SelectDF(w, JpkiAid, "api.go:31 CheckCard");
        SelectEF(w, "0006", "api.go:36 CheckCard");
        ReadToken(w);
    }

    /// <summary>jpki_ap.go:71-89 ReadCertificate: SelectEF, ReadBinary(7), ReadBinary(header size).</summary>
    private static void ReadCertificate(Wire w, string fid)
    {
        SelectEF(w, fid, "jpki_ap.go:72 ReadCertificate");
        var header = ReadBinary(w, 7, "jpki_ap.go:73 ReadCertificate");
        if (header is { Length: 7 })
        {
            ReadBinary(w, PartialSize(header), "jpki_ap.go:83 ReadCertificate");
        }
    }

    /// <summary><c>myna pin status</c>: cmd/pin.go:18-53 (PreRunE checkCard) → api.go:559-605 GetPinStatus.</summary>
    public static void PinStatus(Wire w)
    {
        CheckCard(w);
        SelectDF(w, JpkiAid, "api.go:572 GetPinStatus");
        SelectEF(w, "0018", "jpki_ap.go:30 LookupAuthPin");
        LookupPin(w, "jpki_ap.go:34 LookupAuthPin");
        SelectEF(w, "001B", "jpki_ap.go:51 LookupSignPin");
        LookupPin(w, "jpki_ap.go:55 LookupSignPin");
        if (ReadToken(w) == "JPKIAPGPSETOKEN")
        {
            return; // api.go:584: a smartphone token stops here
        }

        SelectDF(w, VisualAid, "api.go:589 GetPinStatus");
        SelectEF(w, "0013", "visual_ap.go:27 LookupPinA");
        LookupPin(w, "visual_ap.go:31 LookupPinA");
        SelectEF(w, "0012", "visual_ap.go:45 LookupPinB");
        LookupPin(w, "visual_ap.go:49 LookupPinB");
        SelectDF(w, TextAid, "api.go:596 GetPinStatus");
        SelectEF(w, "0011", "text_ap.go:38 LookupPin");
        LookupPin(w, "text_ap.go:42 LookupPin");
        SelectEF(w, "0014", "text_ap.go:56 LookupPinA");
        LookupPin(w, "text_ap.go:60 LookupPinA");
        SelectEF(w, "0015", "text_ap.go:74 LookupPinB");
        LookupPin(w, "text_ap.go:78 LookupPinB");
    }

    /// <summary><c>myna text mynumber</c>: cmd/text.go:51-71 → api.go:54-78 GetMyNumber → text_ap.go:46-53, 91-103.</summary>
    public static string? TextMyNumber(Wire w, string pin)
    {
        CheckCard(w);
        SelectDF(w, TextAid, "api.go:64 GetMyNumber");
        SelectEF(w, "0011", "text_ap.go:47 VerifyPin");
        if (!Verify(w, pin, "text_ap.go:51 VerifyPin"))
        {
            return null;
        }

        SelectEF(w, "0001", "text_ap.go:92 ReadMyNumber");
        var data = ReadBinary(w, 17, "text_ap.go:96 ReadMyNumber");
        return data is null ? null : Encoding.ASCII.GetString(data, 3, 12);
    }

    /// <summary><c>myna text attr</c>: cmd/text.go:73-94 → api.go:81-102 GetAttrInfo → text_ap.go:105-128 ReadAttributes.</summary>
    public static void TextAttr(Wire w, string pin)
    {
        CheckCard(w);
        SelectDF(w, TextAid, "api.go:92 GetAttrInfo");
        SelectEF(w, "0011", "text_ap.go:47 VerifyPin");
        Verify(w, pin, "text_ap.go:51 VerifyPin");
        SelectEF(w, "0002", "text_ap.go:106 ReadAttributes");
        var header = ReadBinary(w, 7, "text_ap.go:111 ReadAttributes");
        if (header is { Length: 7 })
        {
            ReadBinary(w, PartialSize(header), "text_ap.go:121 ReadAttributes");
        }
    }

    /// <summary><c>myna text signature</c> / <c>cert</c> / <c>info</c>: cmd/text.go:117-207 → text_ap.go:130-186 (reads of exactly 336, 568 and 256 bytes).</summary>
    public static void TextRecords(Wire w, string pin)
    {
        CheckCard(w);
        SelectDF(w, TextAid, "cmd/text.go:139 showSignature");
        SelectEF(w, "0011", "text_ap.go:47 VerifyPin");
        Verify(w, pin, "text_ap.go:51 VerifyPin");
        SelectEF(w, "0003", "text_ap.go:131 ReadSignature");
        ReadBinary(w, 336, "text_ap.go:135 ReadSignature");
        SelectDF(w, TextAid, "cmd/text.go:168 showCertificate");
        SelectEF(w, "0004", "text_ap.go:148 ReadCertificate");
        ReadBinary(w, 568, "text_ap.go:152 ReadCertificate");
        SelectDF(w, TextAid, "cmd/text.go:191 showBasicInfo");
        SelectEF(w, "0005", "text_ap.go:165 ReadBasicInfo");
        ReadBinary(w, 256, "text_ap.go:169 ReadBasicInfo");
    }

    /// <summary>
    /// <c>myna visual photo</c>: cmd/visual.go:23-64 → GetMyNumber (api.go:54-78) then GetVisualInfo (api.go:108-134 →
    /// visual_ap.go:35-42 VerifyPinA with the My Number, visual_ap.go:62-85 SelectEF 0002, ReadBinary(7), ReadBinary(size)).
    /// </summary>
    public static void VisualPhoto(Wire w, string pin)
    {
        CheckCard(w);
        var myNumber = TextMyNumber(w, pin) ?? "";
        SelectDF(w, VisualAid, "api.go:119 GetVisualInfo");
        SelectEF(w, "0013", "visual_ap.go:36 VerifyPinA");
        Verify(w, myNumber, "visual_ap.go:40 VerifyPinA");
        SelectEF(w, "0002", "visual_ap.go:63 GetVisualInfo");
        var header = ReadBinary(w, 7, "visual_ap.go:67 GetVisualInfo");
        if (header is { Length: 7 })
        {
            ReadBinary(w, PartialSize(header), "visual_ap.go:77 GetVisualInfo");
        }
    }

    /// <summary><c>myna jpki cert auth|authca|signca|sign</c>: cmd/jpki.go:38-111 (SelectJPKIAP, ReadToken, for sign VerifySignPin).</summary>
    public static void JpkiCerts(Wire w, string signPassword)
    {
        foreach (var (which, fid) in new[] { ("auth", "000A"), ("authca", "000B"), ("signca", "0002"), ("sign", "0001") })
        {
            SelectDF(w, JpkiAid, $"cmd/jpki.go:56 jpkiCert {which}");
            ReadToken(w);
            if (which == "sign")
            {
                SelectEF(w, "001B", "jpki_ap.go:60 VerifySignPin");
                Verify(w, signPassword.ToUpperInvariant(), "jpki_ap.go:64 VerifySignPin (cmd/jpki.go:93 uppercases)");
            }

            ReadCertificate(w, fid);
        }
    }

    /// <summary>
    /// <c>myna jpki cms sign</c>: api.go:403-443 CmsSignJPKISign → GetJPKISignCert (api.go:225-259: SelectJPKIAP,
    /// VerifySignPin, ReadCertificate 0001) → JPKISignSigner.Sign (api.go:350-374: SelectJPKIAP, SelectEF 001B, Verify,
    /// SelectEF 001A, Signature = <c>80 2A 00 80 Lc DigestInfo 00</c>, reader.go:268-279).
    /// </summary>
    public static void CmsSign(Wire w, string signPassword, byte[] digestInfo)
    {
        CheckCard(w);
        SelectDF(w, JpkiAid, "api.go:236 GetJPKICert");
        SelectEF(w, "001B", "jpki_ap.go:60 VerifySignPin");
        Verify(w, signPassword, "jpki_ap.go:64 VerifySignPin");
        ReadCertificate(w, "0001");
        SelectDF(w, JpkiAid, "api.go:361 JPKISignSigner.Sign");
        SelectEF(w, "001B", "api.go:362 JPKISignSigner.Sign");
        Verify(w, signPassword, "api.go:363 JPKISignSigner.Sign");
        SelectEF(w, "001A", "api.go:368 JPKISignSigner.Sign");
        w.Trans("myna-go reader.go:274 Signature (NewAPDUCase4, Le 00)", [0x80, 0x2A, 0x00, 0x80, (byte)digestInfo.Length, .. digestInfo, 0x00]);
    }

    /// <summary><c>myna pin change card</c>: cmd/pin.go:69-94 → api.go:144-185 Change4DigitPin (text AP 0011).</summary>
    public static void PinChangeCard(Wire w, string pin, string newPin)
    {
        SelectDF(w, TextAid, "api.go:168 Change4DigitPin");
        SelectEF(w, "0011", "api.go:169 Change4DigitPin");
        if (Verify(w, pin, "api.go:175 Change4DigitPin"))
        {
            ChangePin(w, newPin, "api.go:180 Change4DigitPin");
        }
    }
}
