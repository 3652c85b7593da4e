using System.Text;

namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// The APDU sequences of jpki/myna's current (Rust) client, transcribed from its source at commit f85dc71:
/// <c>src/reader.rs</c> (select_df 139-150, select_ef 152-164, read_binary 166-191, read_binary_all 193-203, read_pin
/// 205-216, verify_pin 218-229, read_record 244-256, signature 258-269), <c>src/cli.rs</c>, <c>src/jpki.rs</c>,
/// <c>src/text.rs</c>, <c>src/visual.rs</c>, <c>src/unknown.rs</c>. The crate registry is not reachable here, so the
/// program itself cannot be built. Every <c>?</c> of the source ends the sequence on a non-9000 answer, as here.
/// </summary>
internal static class MynaRust
{
    private sealed class Stop : Exception
    {
    }

    private static void Ok((byte Sw1, byte Sw2, byte[] Data) answer)
    {
        if (answer.Sw1 != 0x90 || answer.Sw2 != 0x00)
        {
            throw new Stop();
        }
    }

    private static void SelectDf(Wire w, string aid, string caller) =>
        Ok(w.Trans($"myna reader.rs:141 select_df ({caller})", Wire.Case3(0x00, 0xA4, 0x04, 0x0C, Wire.Hex(aid))));

    private static void SelectEf(Wire w, string fid, string caller) =>
        Ok(w.Trans($"myna reader.rs:155 select_ef {fid} ({caller})", Wire.Case3(0x00, 0xA4, 0x02, 0x0C, Wire.Hex(fid))));

    private static void ReadPin(Wire w, string caller)
    {
        var (sw1, _, _) = w.Trans($"myna reader.rs:207 read_pin ({caller})", 0x00, 0x20, 0x00, 0x80);
        if (sw1 != 0x63)
        {
            throw new Stop();
        }
    }

    private static void VerifyPin(Wire w, string pin, string caller) =>
        Ok(w.Trans($"myna reader.rs:220 verify_pin ({caller})", Wire.Case3(0x00, 0x20, 0x00, 0x80, Encoding.ASCII.GetBytes(pin))));

    private static byte[] ReadBinary(Wire w, int pos, int size, string caller)
    {
        var result = new List<byte>();
        var end = pos + size;
        while (pos < end)
        {
            var remaining = end - pos;
            var le = remaining > 0xFF ? (byte)0 : (byte)remaining;
            var answer = w.Trans($"myna reader.rs:176 read_binary ({caller})", 0x00, 0xB0, (byte)(pos >> 8), (byte)(pos & 0xFF), le);
            Ok(answer);
            if (answer.Data.Length == 0)
            {
                break;
            }

            result.AddRange(answer.Data);
            pos += answer.Data.Length;
        }

        return [.. result];
    }

    /// <summary>reader.rs:193-203: read 7 bytes, then what the BER header says is still missing (ber.rs:88-98 Incomplete).</summary>
    private static byte[] ReadBinaryAll(Wire w, string caller)
    {
        var head = ReadBinary(w, 0, 7, caller);
        var missing = 0;
        if (Jpki.Card.Applications.Tlv.TryRead(head, out _, out _, out _) is false && head.Length >= 2)
        {
            var at = (head[0] & 0x1F) == 0x1F ? 2 : 1;
            int first = head[at++];
            var length = first;
            if (first > 0x80)
            {
                length = 0;
                for (var i = 0; i < (first & 0x7F); i++)
                {
                    length = (length << 8) | head[at++];
                }
            }

            missing = at + length - head.Length;
        }

        return [.. head, .. ReadBinary(w, 7, missing, caller)];
    }

    private static void Run(Action action)
    {
        try
        {
            action();
        }
        catch (Stop)
        {
        }
    }

    /// <summary>jpki.rs:47-65 jpki_ap(): select the JPKI-AP, select 0006, read 0x20 bytes of the token label.</summary>
    private static void JpkiAp(Wire w, string caller)
    {
        SelectDf(w, "D392f000260100000001".ToUpperInvariant(), $"jpki.rs:50 jpki_ap, {caller}");
        SelectEf(w, "0006", "jpki.rs:52 jpki_ap");
        ReadBinary(w, 0, 0x20, "jpki.rs:55 jpki_ap");
    }

    /// <summary><c>myna pin status</c>: cli.rs:635-668 (text 0011/0014/0015, visual 0013/0012, jpki 0018/001b).</summary>
    public static void PinStatus(Wire w) => Run(() =>
    {
        SelectDf(w, "D3921000310001010408", "text.rs:27 text_ap, cli.rs:639");
        foreach (var (fid, line) in new[] { ("0011", 640), ("0014", 643), ("0015", 646) })
        {
            SelectEf(w, fid, $"cli.rs:{line}");
            ReadPin(w, $"cli.rs:{line + 1}");
        }

        SelectDf(w, "D3921000310001010402", "visual.rs:29 visual_ap, cli.rs:651");
        foreach (var (fid, line) in new[] { ("0013", 652), ("0012", 655) })
        {
            SelectEf(w, fid, $"cli.rs:{line}");
            ReadPin(w, $"cli.rs:{line + 1}");
        }

        JpkiAp(w, "cli.rs:660");
        foreach (var (fid, line) in new[] { ("0018", 661), ("001B", 664) })
        {
            SelectEf(w, fid, $"cli.rs:{line}");
            ReadPin(w, $"cli.rs:{line + 1}");
        }
    });

    /// <summary><c>myna text mynumber</c> and <c>myna text attrs</c>: cli.rs:118-138 → text.rs:51-87.</summary>
    public static void TextMyNumberAndAttrs(Wire w, string pin) => Run(() =>
    {
        SelectDf(w, "D3921000310001010408", "text.rs:27 text_ap");
        SelectEf(w, "0011", "text.rs:52 mynumber");
        VerifyPin(w, pin, "text.rs:53 mynumber");
        SelectEf(w, "0001", "text.rs:54 mynumber");
        ReadBinary(w, 0, 17, "text.rs:55 mynumber");
        SelectDf(w, "D3921000310001010408", "text.rs:27 text_ap");
        SelectEf(w, "0011", "text.rs:63 attrs");
        VerifyPin(w, pin, "text.rs:64 attrs");
        SelectEf(w, "0002", "text.rs:65 attrs");
        ReadBinaryAll(w, "text.rs:66 attrs");
    });

    /// <summary><c>myna text basic-info</c> and <c>myna visual basic-info</c>: text.rs:39-49, visual.rs:46-64 (no credential).</summary>
    public static void BasicInfo(Wire w) => Run(() =>
    {
        SelectDf(w, "D3921000310001010408", "text.rs:27 text_ap");
        SelectEf(w, "0005", "text.rs:40 basic_info");
        ReadBinaryAll(w, "text.rs:41 basic_info");
        SelectDf(w, "D3921000310001010402", "visual.rs:29 visual_ap");
        SelectEf(w, "0003", "visual.rs:47 basic_info");
        ReadBinaryAll(w, "visual.rs:48 basic_info");
    });

    /// <summary><c>myna visual photo</c>: cli.rs:248-256 → read_mynumber (text.rs:51-60) → visual.rs:68-95 read_entries.</summary>
    public static void VisualPhoto(Wire w, string pin, string myNumber) => Run(() =>
    {
        SelectDf(w, "D3921000310001010408", "text.rs:27 text_ap, cli.rs:180");
        SelectEf(w, "0011", "text.rs:52 mynumber");
        VerifyPin(w, pin, "text.rs:53 mynumber");
        SelectEf(w, "0001", "text.rs:54 mynumber");
        ReadBinary(w, 0, 17, "text.rs:55 mynumber");
        SelectDf(w, "D3921000310001010402", "visual.rs:29 visual_ap");
        SelectEf(w, "0013", "visual.rs:69 read_entries");
        VerifyPin(w, myNumber, "visual.rs:70 read_entries");
        SelectEf(w, "0002", "visual.rs:71 read_entries");
        ReadBinaryAll(w, "visual.rs:72 read_entries");
    });

    /// <summary><c>myna jpki cert -t sign</c> then <c>-t auth</c>: cli.rs:454-472 → jpki.rs:75-115.</summary>
    public static void JpkiCerts(Wire w, string signPassword) => Run(() =>
    {
        JpkiAp(w, "cli.rs:457");
        SelectEf(w, "001B", "jpki.rs:80 verify Sign");
        VerifyPin(w, signPassword.ToUpperInvariant(), "jpki.rs:82 verify Sign (uppercased, jpki.rs:76)");
        SelectEf(w, "0001", "jpki.rs:107 cert_read");
        ReadBinaryAll(w, "jpki.rs:111 cert_read");
        JpkiAp(w, "cli.rs:457");
        SelectEf(w, "000A", "jpki.rs:107 cert_read");
        ReadBinaryAll(w, "jpki.rs:111 cert_read");
    });

    /// <summary><c>myna jpki pkey sign -t auth</c>: cli.rs:474-488 → jpki.rs:75-96 verify, 118-129 pkey_sign (<c>80 2A 00 80 Lc data 00</c>).</summary>
    public static void PkeySignAuth(Wire w, string pin, byte[] data) => Run(() =>
    {
        JpkiAp(w, "cli.rs:482");
        SelectEf(w, "0018", "jpki.rs:88 verify Auth");
        VerifyPin(w, pin, "jpki.rs:90 verify Auth");
        SelectEf(w, "0017", "jpki.rs:124 pkey_sign");
        Ok(w.Trans("myna reader.rs:260 signature (case4, Le 00)", [0x80, 0x2A, 0x00, 0x80, (byte)data.Length, .. data, 0x00]));
    });

    /// <summary><c>myna unknown number</c>: unknown.rs:12-27, reader.rs:244-256 READ RECORD 1 of SFI 1 (<c>00 B2 01 0C 00</c>).</summary>
    public static void UnknownNumber(Wire w) => Run(() =>
    {
        SelectDf(w, "D3921000310001010100", "unknown.rs:14 unknown_ap");
        Ok(w.Trans("myna reader.rs:247 read_record(1, 1) (unknown.rs:23)", 0x00, 0xB2, 0x01, 0x0C, 0x00));
    });
}
