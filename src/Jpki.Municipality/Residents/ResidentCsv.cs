using System.Globalization;
using System.Text;
using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>
/// The resident CSV file (ours): UTF-8 or Shift_JIS (CP932, what municipal systems export; detected or chosen, see
/// <see cref="CsvTextEncoding"/>), lines ending in LF or CRLF, one header line — <see cref="Header"/> or its Japanese
/// form <see cref="JapaneseHeader"/> — then one resident per line, fields separated by commas and optionally quoted with
/// <c>"</c> (a quote inside a quoted field is doubled; fields do not span lines). Dates are <c>YYYY-MM-DD</c>; sex is the
/// code 1, 2 or 9; under_guardianship is 0 or 1. Every line is checked and every bad line reported with a Japanese
/// sentence; a file with any bad line imports nothing. Read it streaming with <see cref="ResidentCsvReader"/>.
/// </summary>
/// <remarks>
/// Codes: <c>bad-header</c>, <c>invalid-utf8</c>, <c>invalid-shift-jis</c>, <c>line-too-long</c>,
/// <c>unassigned-code-point</c>, <c>control-character</c>, <c>bad-quoting</c>, <c>field-count</c>, <c>bad-id</c>,
/// <c>duplicate-id</c>, <c>empty-name</c>, <c>name-too-long</c>, <c>empty-kana</c>, <c>kana-too-long</c>,
/// <c>empty-address</c>, <c>address-too-long</c>, <c>bad-date</c>, <c>future-date</c>, <c>unknown-sex</c>,
/// <c>bad-guardianship</c>, <c>empty-household</c>, <c>household-too-long</c>, <c>empty-file</c>, and at import
/// <c>existing-id</c>. Lengths are bounded by <see cref="BasicFourInfoLimits"/> (what a certificate can carry) and
/// <see cref="MaxLineBytes"/>.
/// </remarks>
public static class ResidentCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id";

    /// <summary>The same header in Japanese (accepted as well).</summary>
    public const string JapaneseHeader = "住民番号,氏名,フリガナ,住所,生年月日,性別,成年被後見人,世帯番号";

    /// <summary>The longest line read, in bytes; a longer line is rejected (<c>line-too-long</c>) without being buffered.</summary>
    public const int MaxLineBytes = 4096;

    /// <summary>The longest household reference.</summary>
    public const int HouseholdMaxLength = 32;

    private const int FieldCount = 8;

    /// <summary>Parses a whole file held in memory (UTF-8 or detected). <paramref name="today"/> rejects dates of birth in the future.</summary>
    public static CsvImportResult Parse(ReadOnlySpan<byte> file, DateOnly today, CsvTextEncoding encoding = CsvTextEncoding.Auto)
    {
        var parser = new LineParser(today, ResidentCsvReader.Resolve(encoding, file));
        var residents = new List<Resident>();
        var errors = new List<CsvRowError>();
        if (file.StartsWith("\uFEFF"u8))
        {
            file = file[3..];
        }

        while (!file.IsEmpty)
        {
            var end = file.IndexOf((byte)'\n');
            var raw = end < 0 ? file : file[..end];
            file = end < 0 ? [] : file[(end + 1)..];
            var row = raw.Length > MaxLineBytes ? parser.TooLong() : parser.Line(raw, isLast: file.IsEmpty);
            if (row?.Error is { } error)
            {
                errors.Add(error);
            }
            else if (row?.Resident is { } resident)
            {
                residents.Add(resident);
            }

            if (parser.Stop)
            {
                break;
            }
        }

        if (parser.End() is { } empty)
        {
            errors.Add(empty);
        }

        return errors.Count == 0 ? new CsvImportResult(residents, []) : new CsvImportResult([], errors);
    }

    /// <summary>The line-by-line state of one file: line numbers, the header, ids seen.</summary>
    internal sealed class LineParser(DateOnly today, Encoding encoding)
    {
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);
        private int _line;
        private bool _sawHeader;

        /// <summary>The header was wrong: nothing after it is read.</summary>
        public bool Stop { get; private set; }

        /// <summary>Lines read so far.</summary>
        public int LineNumber => _line;

        /// <summary>A line longer than <see cref="MaxLineBytes"/> (its bytes were not kept).</summary>
        public ResidentCsvRow TooLong()
        {
            _line++;
            var error = new CsvRowError(_line, "line-too-long", string.Create(CultureInfo.InvariantCulture, $"行が長すぎます（{MaxLineBytes:#,0}バイトまで）。氏名は{BasicFourInfoLimits.NameMaxLength}文字、住所は{BasicFourInfoLimits.AddressMaxLength}文字までです。"));
            if (!_sawHeader)
            {
                _sawHeader = true;
                Stop = true;
                return new ResidentCsvRow(_line, null, BadHeader(_line));
            }

            return new ResidentCsvRow(_line, null, error);
        }

        /// <summary>One line without its LF (a trailing CR is removed here). Null for the header and a final empty line.</summary>
        public ResidentCsvRow? Line(ReadOnlySpan<byte> raw, bool isLast)
        {
            _line++;
            if (!raw.IsEmpty && raw[^1] == (byte)'\r')
            {
                raw = raw[..^1];
            }

            if (raw.IsEmpty && isLast)
            {
                _line--;
                return null;
            }

            string text;
            try
            {
                text = encoding.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                return Error(encoding.CodePage == 932
                    ? new CsvRowError(_line, "invalid-shift-jis", "Shift_JIS（CP932）として読めないバイトがあります。UTF-8 のファイルなら文字コードに「UTF-8」を選んでください。")
                    : new CsvRowError(_line, "invalid-utf8", "UTF-8 として読めないバイトがあります。Shift_JIS（CP932）のファイルなら文字コードに「Shift_JIS」を選んでください。"));
            }

            if (!_sawHeader)
            {
                _sawHeader = true;
                if (!string.Equals(text, Header, StringComparison.Ordinal) && !string.Equals(text, JapaneseHeader, StringComparison.Ordinal))
                {
                    Stop = true;
                    return Error(BadHeader(_line));
                }

                return null;
            }

            if (CheckCharacters(text, _line) is { } bad)
            {
                return Error(bad);
            }

            var fields = Split(text);
            if (fields is null)
            {
                return Error(new CsvRowError(_line, "bad-quoting", "引用符（\"）が閉じられていないか、閉じた引用符の後に文字があります。"));
            }

            if (fields.Count != FieldCount)
            {
                return Error(new CsvRowError(_line, "field-count", string.Create(CultureInfo.InvariantCulture, $"項目が{fields.Count}個あります。{FieldCount}個（見出し行の項目）が必要です。")));
            }

            var (resident, rowError) = ParseRow(fields, _line, today);
            if (rowError is not null)
            {
                return Error(rowError);
            }

            if (!_seen.TryAdd(resident!.Id, _line))
            {
                return Error(new CsvRowError(_line, "duplicate-id", string.Create(CultureInfo.InvariantCulture, $"住民番号 {resident.Id} は{_seen[resident.Id]:#,0}行目と重複しています。")));
            }

            return new ResidentCsvRow(_line, resident, null);
        }

        /// <summary>At the end of the file: the error of a file without a header line, or null.</summary>
        public CsvRowError? End() => _sawHeader ? null : new CsvRowError(1, "empty-file", "ファイルが空です。1行目に見出し行が必要です。");

        private static CsvRowError BadHeader(int line) =>
            new(line, "bad-header", $"1行目は見出し行「{Header}」または「{JapaneseHeader}」でなければなりません。");

        private ResidentCsvRow Error(CsvRowError error) => new(_line, null, error);
    }

    private static CsvRowError? CheckCharacters(string line, int lineNumber)
    {
        foreach (var rune in line.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.OtherNotAssigned)
            {
                return new CsvRowError(lineNumber, "unassigned-code-point", string.Create(CultureInfo.InvariantCulture, $"Unicode に割り当てのない文字（U+{rune.Value:X4}）があります。"));
            }

            if (category == UnicodeCategory.Control)
            {
                return new CsvRowError(lineNumber, "control-character", string.Create(CultureInfo.InvariantCulture, $"制御文字（U+{rune.Value:X4}）があります。"));
            }
        }

        return null;
    }

    private static (Resident? Resident, CsvRowError? Error) ParseRow(List<string> f, int line, DateOnly today)
    {
        if (!ResidentId.IsValid(f[0]))
        {
            return (null, new CsvRowError(line, "bad-id", string.Create(CultureInfo.InvariantCulture, $"住民番号（id）は英数字とハイフン（-）の1〜{ResidentId.MaxLength}文字です。")));
        }

        if (Text(f[1], "empty-name", "name-too-long", "氏名（name）", BasicFourInfoLimits.NameMaxLength, line) is { } name)
        {
            return (null, name);
        }

        if (Text(f[2], "empty-kana", "kana-too-long", "フリガナ（name_kana）", BasicFourInfoLimits.NameKanaMaxLength, line) is { } kana)
        {
            return (null, kana);
        }

        if (Text(f[3], "empty-address", "address-too-long", "住所（address）", BasicFourInfoLimits.AddressMaxLength, line) is { } address)
        {
            return (null, address);
        }

        if (!DateOnly.TryParseExact(f[4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            return (null, new CsvRowError(line, "bad-date", "生年月日（date_of_birth）は実在する日付を YYYY-MM-DD で書いてください。"));
        }

        if (dob > today)
        {
            return (null, new CsvRowError(line, "future-date", "生年月日（date_of_birth）が未来の日付です。"));
        }

        Sex sex;
        switch (f[5])
        {
            case "1": sex = Sex.Male; break;
            case "2": sex = Sex.Female; break;
            case "9": sex = Sex.NotApplicable; break;
            default: return (null, new CsvRowError(line, "unknown-sex", "性別（sex）はコード 1（男）、2（女）、9（適用不能）のいずれかです。"));
        }

        bool guardianship;
        switch (f[6])
        {
            case "0": guardianship = false; break;
            case "1": guardianship = true; break;
            default: return (null, new CsvRowError(line, "bad-guardianship", "成年被後見人（under_guardianship）は 0 または 1 です。"));
        }

        if (Text(f[7], "empty-household", "household-too-long", "世帯番号（household_id）", HouseholdMaxLength, line) is { } household)
        {
            return (null, household);
        }

        return (new Resident(f[0], f[1], f[2], f[3], dob, sex, guardianship, f[7]), null);
    }

    private static CsvRowError? Text(string value, string emptyCode, string longCode, string field, int max, int line)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new CsvRowError(line, emptyCode, field + "が空です。");
        }

        var length = BasicFourInfoLimits.LengthOf(value);
        return length > max
            ? new CsvRowError(line, longCode, string.Create(CultureInfo.InvariantCulture, $"{field}が長すぎます（{length:#,0}文字。{max}文字まで）。"))
            : null;
    }

    private static List<string>? Split(string line)
    {
        var fields = new List<string>(FieldCount);
        var current = new StringBuilder();
        var i = 0;
        while (true)
        {
            current.Clear();
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return null;
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            current.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    current.Append(line[i++]);
                }

                if (i < line.Length && line[i] != ',')
                {
                    return null;
                }
            }
            else
            {
                while (i < line.Length && line[i] != ',')
                {
                    if (line[i] == '"')
                    {
                        return null;
                    }

                    current.Append(line[i++]);
                }
            }

            fields.Add(current.ToString());
            if (i >= line.Length)
            {
                return fields;
            }

            i++; // the comma
        }
    }
}
