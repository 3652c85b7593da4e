using System.Globalization;
using System.Text;
using Jpki.Core.Identity;

namespace Jpki.Municipality.Residents;

/// <summary>
/// Reads the resident CSV file (ours): UTF-8 (a leading BOM is allowed), one header line
/// <c>id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id</c>, one resident per line, fields
/// separated by commas and optionally quoted with <c>"</c> (a quote inside a quoted field is doubled; fields do not
/// span lines). Dates are <c>YYYY-MM-DD</c>; sex is the code 1, 2 or 9; under_guardianship is 0 or 1.
/// Every line is checked and every bad line reported; a file with any bad line yields no residents.
/// </summary>
/// <remarks>
/// Codes: <c>bad-header</c>, <c>invalid-utf8</c>, <c>unassigned-code-point</c>, <c>control-character</c>,
/// <c>bad-quoting</c>, <c>field-count</c>, <c>bad-id</c>, <c>duplicate-id</c>, <c>empty-name</c>, <c>empty-kana</c>,
/// <c>empty-address</c>, <c>bad-date</c>, <c>future-date</c>, <c>unknown-sex</c>, <c>bad-guardianship</c>,
/// <c>empty-household</c>, <c>empty-file</c>, and at import <c>existing-id</c>.
/// </remarks>
public static class ResidentCsv
{
    /// <summary>The required header line.</summary>
    public const string Header = "id,name,name_kana,address,date_of_birth,sex,under_guardianship,household_id";

    private const int FieldCount = 8;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses a whole file. <paramref name="today"/> rejects dates of birth in the future.</summary>
    public static CsvImportResult Parse(ReadOnlySpan<byte> file, DateOnly today)
    {
        var residents = new List<Resident>();
        var errors = new List<CsvRowError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (file.StartsWith("\uFEFF"u8))
        {
            file = file[3..];
        }

        var lineNumber = 0;
        var sawHeader = false;
        while (!file.IsEmpty)
        {
            lineNumber++;
            var end = file.IndexOf((byte)'\n');
            var raw = end < 0 ? file : file[..end];
            file = end < 0 ? [] : file[(end + 1)..];
            if (!raw.IsEmpty && raw[^1] == (byte)'\r')
            {
                raw = raw[..^1];
            }

            if (raw.IsEmpty && file.IsEmpty)
            {
                break;
            }

            string line;
            try
            {
                line = StrictUtf8.GetString(raw);
            }
            catch (DecoderFallbackException)
            {
                errors.Add(new CsvRowError(lineNumber, "invalid-utf8", "The line is not valid UTF-8."));
                continue;
            }

            if (!sawHeader)
            {
                sawHeader = true;
                if (!string.Equals(line, Header, StringComparison.Ordinal))
                {
                    errors.Add(new CsvRowError(lineNumber, "bad-header", $"The first line must be the header: {Header}"));
                    break;
                }

                continue;
            }

            var error = CheckCharacters(line, lineNumber);
            if (error is not null)
            {
                errors.Add(error);
                continue;
            }

            var fields = Split(line);
            if (fields is null)
            {
                errors.Add(new CsvRowError(lineNumber, "bad-quoting", "A quoted field is not closed, or text follows a closing quote."));
                continue;
            }

            if (fields.Count != FieldCount)
            {
                errors.Add(new CsvRowError(lineNumber, "field-count", $"The line has {fields.Count} fields; {FieldCount} are required."));
                continue;
            }

            var (resident, rowError) = ParseRow(fields, lineNumber, today);
            if (rowError is not null)
            {
                errors.Add(rowError);
            }
            else if (!seen.Add(resident!.Id))
            {
                errors.Add(new CsvRowError(lineNumber, "duplicate-id", $"The id {resident.Id} appears on an earlier line."));
            }
            else
            {
                residents.Add(resident);
            }
        }

        if (!sawHeader)
        {
            errors.Add(new CsvRowError(1, "empty-file", "The file is empty; it needs the header line."));
        }

        return errors.Count == 0 ? new CsvImportResult(residents, []) : new CsvImportResult([], errors);
    }

    private static CsvRowError? CheckCharacters(string line, int lineNumber)
    {
        foreach (var rune in line.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category == UnicodeCategory.OtherNotAssigned)
            {
                return new CsvRowError(lineNumber, "unassigned-code-point", string.Create(CultureInfo.InvariantCulture, $"The line contains U+{rune.Value:X4}, which is not an assigned Unicode character."));
            }

            if (category == UnicodeCategory.Control)
            {
                return new CsvRowError(lineNumber, "control-character", string.Create(CultureInfo.InvariantCulture, $"The line contains the control character U+{rune.Value:X4}."));
            }
        }

        return null;
    }

    private static (Resident? Resident, CsvRowError? Error) ParseRow(List<string> f, int line, DateOnly today)
    {
        if (!ResidentId.IsValid(f[0]))
        {
            return (null, new CsvRowError(line, "bad-id", $"id must be 1–{ResidentId.MaxLength} characters of A–Z, a–z, 0–9 and '-'."));
        }

        if (string.IsNullOrWhiteSpace(f[1]))
        {
            return (null, new CsvRowError(line, "empty-name", "name is empty."));
        }

        if (string.IsNullOrWhiteSpace(f[2]))
        {
            return (null, new CsvRowError(line, "empty-kana", "name_kana is empty."));
        }

        if (string.IsNullOrWhiteSpace(f[3]))
        {
            return (null, new CsvRowError(line, "empty-address", "address is empty."));
        }

        if (!DateOnly.TryParseExact(f[4], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var dob))
        {
            return (null, new CsvRowError(line, "bad-date", "date_of_birth must be a real date written YYYY-MM-DD."));
        }

        if (dob > today)
        {
            return (null, new CsvRowError(line, "future-date", "date_of_birth lies in the future."));
        }

        Sex sex;
        switch (f[5])
        {
            case "1": sex = Sex.Male; break;
            case "2": sex = Sex.Female; break;
            case "9": sex = Sex.NotApplicable; break;
            default: return (null, new CsvRowError(line, "unknown-sex", "sex must be the code 1, 2 or 9."));
        }

        bool guardianship;
        switch (f[6])
        {
            case "0": guardianship = false; break;
            case "1": guardianship = true; break;
            default: return (null, new CsvRowError(line, "bad-guardianship", "under_guardianship must be 0 or 1."));
        }

        if (string.IsNullOrWhiteSpace(f[7]))
        {
            return (null, new CsvRowError(line, "empty-household", "household_id is empty."));
        }

        return (new Resident(f[0], f[1], f[2], f[3], dob, sex, guardianship, f[7]), null);
    }

    private static List<string>? Split(string line)
    {
        var fields = new List<string>();
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
