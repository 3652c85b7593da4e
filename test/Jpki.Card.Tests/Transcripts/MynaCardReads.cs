using System.Security.Cryptography;
using System.Text;

namespace Jpki.Card.Tests.Transcripts;

/// <summary>
/// How soltia48/myna-card reads the files its fixtures came from (tests/fixtures/README.md says which credential opens
/// which file), transcribed from src/card.rs (select_df, select_ef, read_binary_chunk, read_binary_all — one 256-byte
/// read, then what the BER header says is missing —, read_binary_physical, verify, pin_retries, read_record, get_data,
/// get_challenge), src/ap/text.rs, src/ap/surface.rs, src/ap/common.rs and src/ap/jpki.rs. The card is issued with the
/// fixture card's printed data (個人番号 537686677188, 黒桐　幹也, 1980-02-17, expiry 2035-02-17, security code 2285,
/// municipality 13221, card serial 400000012719843), so the files whose content follows from that data must come back
/// byte for byte as the real card's.
/// </summary>
internal static class MynaCardReads
{
    public const string MyNumber = "537686677188";
    public const string CodeB = "55021720352285"; // myna-card src/data.rs builds_verification_code_b: "the exact value that unlocks 券面入力補助AP 0002 on the test card"
    public const string BirthDateKey = "550217";  // tests/fixtures/README.md: surface-0001.bin read with "the 生年月日 key, 550217"

    private static void SelectDf(Wire w, string aid, string caller) =>
        w.Trans($"myna-card card.rs select_df ({caller})", Wire.Case3(0x00, 0xA4, 0x04, 0x0C, Wire.Hex(aid)));

    private static bool SelectEf(Wire w, string fid, string caller)
    {
        var (sw1, sw2, _) = w.Trans($"myna-card card.rs select_ef {fid} ({caller})", Wire.Case3(0x00, 0xA4, 0x02, 0x0C, Wire.Hex(fid)));
        return sw1 == 0x90 && sw2 == 0x00; // call_ok: any other SW is an error and the read stops
    }

    private static void Verify(Wire w, string fid, string value, string caller)
    {
        if (!SelectEf(w, fid, caller))
        {
            return;
        }

        w.Trans($"myna-card card.rs verify ({caller})", Wire.Case3(0x00, 0x20, 0x00, 0x80, Encoding.ASCII.GetBytes(value)));
    }

    private static void Retries(Wire w, string fid, string caller)
    {
        if (!SelectEf(w, fid, caller))
        {
            return;
        }

        w.Trans($"myna-card card.rs pin_retries ({caller})", 0x00, 0x20, 0x00, 0x80);
    }

    private static (bool Ok, byte[] Data) Chunk(Wire w, int offset, int le, string caller)
    {
        var (sw1, sw2, data) = w.Trans($"myna-card card.rs read_binary_chunk ({caller})", 0x00, 0xB0, (byte)(offset >> 8), (byte)(offset & 0xFF), (byte)(le & 0xFF));
        return (sw1 == 0x90 && sw2 == 0x00, data);
    }

    /// <summary>card.rs read_binary_all: 256 bytes at 0, then the rest the BER header names, in ≤ 256-byte chunks.</summary>
    private static void ReadAll(Wire w, string fid, string caller)
    {
        if (!SelectEf(w, fid, caller))
        {
            return;
        }

        var (ok, head) = Chunk(w, 0, 256, caller);
        var total = ok ? TotalFromHeader(head) : 0;
        var have = head.Length;
        while (have < total)
        {
            var (more, data) = Chunk(w, have, Math.Min(256, total - have), caller);
            if (!more || data.Length == 0)
            {
                return;
            }

            have += data.Length;
        }
    }

    private static int TotalFromHeader(byte[] head)
    {
        if (head.Length < 3)
        {
            return 0;
        }

        var at = (head[0] & 0x1F) == 0x1F ? 2 : 1;
        int first = head[at++];
        if (first < 0x80)
        {
            return at + first;
        }

        var length = 0;
        for (var i = 0; i < (first & 0x7F) && at < head.Length; i++)
        {
            length = (length << 8) | head[at++];
        }

        return at + length;
    }

    /// <summary>card.rs read_binary_physical: 256-byte chunks until a short one or 6B00.</summary>
    private static void ReadPhysical(Wire w, string fid, string caller)
    {
        if (!SelectEf(w, fid, caller))
        {
            return;
        }

        var offset = 0;
        while (true)
        {
            var (ok, data) = Chunk(w, offset, 256, caller);
            if (!ok || data.Length < 256)
            {
                return;
            }

            offset += data.Length;
        }
    }

    public static void ReadFixtureFiles(Wire w)
    {
        w.Trans("myna-card card.rs contact_atr → get_data(5F51), straight after reset (mf.rs)", 0x00, 0xCA, 0x5F, 0x51, 0x00);

        SelectDf(w, "D3921000310001010408", "ap/text.rs TextAp::select");
        foreach (var fid in new[] { "0011", "0014", "0015", "0012" })
        {
            Retries(w, fid, "ap/text.rs TextAp::retries");
        }

        Verify(w, "0014", MyNumber, "ap/text.rs verify_code_a");
        ReadPhysical(w, "0001", "ap/text.rs read_my_number_file → text-0001-physical.bin");
        Verify(w, "0015", CodeB, "ap/text.rs verify_code_b");
        ReadAll(w, "0002", "ap/text.rs read_attributes → text-0002.bin");
        ReadAll(w, "0003", "ap/text.rs read_integrity_record → text-0003.bin");
        ReadAll(w, "0004", "ap/text.rs read_certificate → text-0004.bin");
        ReadAll(w, "0005", "ap/text.rs read_ap_basic_data → text-0005.bin");
        ReadAll(w, "0006", "ap/text.rs read_session_key_public_key → text-0006.bin (not emulated)");
        ReadAll(w, "0007", "ap/text.rs read_signed_public_key → text-0007.bin");

        SelectDf(w, "D3921000310001010402", "ap/surface.rs SurfaceAp::select");
        Verify(w, "0011", BirthDateKey, "ap/surface.rs verify_birth_date");
        ReadAll(w, "0001", "ap/surface.rs read_age_record → surface-0001.bin");
        Verify(w, "0013", MyNumber, "ap/surface.rs verify_code_a");
        ReadAll(w, "0002", "ap/surface.rs read_card_face → surface-0002.bin");
        ReadAll(w, "0003", "ap/surface.rs read_ap_basic_data → surface-0003.bin");
        ReadAll(w, "0004", "ap/surface.rs read_certificate → surface-0004.bin");
        ReadAll(w, "0005", "ap/surface.rs read_my_number_image → surface-0005.bin");
        var (_, _, challenge) = w.Trans("myna-card card.rs get_challenge(16) (README: the card is here)", 0x00, 0x84, 0x00, 0x00, 0x10);
        byte[] digestInfo = [.. Convert.FromHexString("3031300d060960864801650304020105000420"), .. SHA256.HashData(challenge)];
        w.Trans("myna-card ap/surface.rs SurfaceAp::sign (80 2A 00 00, the AP's own key)", [0x80, 0x2A, 0x00, 0x00, (byte)digestInfo.Length, .. digestInfo, 0x00]);

        SelectDf(w, "D3921000310001010100", "ap/common.rs CommonAp::select");
        SelectEf(w, "0001", "ap/common.rs read_card_info");
        w.Trans("myna-card card.rs read_record(1) (ap/common.rs read_card_info: the test card's record, byte for byte)", 0x00, 0xB2, 0x01, 0x04, 0x00);

        SelectDf(w, "D392F000260100000001", "ap/jpki.rs JpkiAp::select");
        ReadPhysical(w, "0006", "ap/jpki.rs read_token_info");
        ReadPhysical(w, "0008", "ap/jpki.rs read_certificate_availability");
        ReadAll(w, "000A", "ap/jpki.rs read_auth_certificate_der → jpki-auth-cert.der");
    }
}
