using Jpki.Signing.Cades;
using Jpki.Signing.Xades;
using Microsoft.AspNetCore.Http;

namespace Jpki.Cli.Commands.SignHelper;

/// <summary>
/// What a page asks of <c>POST /sign</c>, from the query string: <c>format</c> = <c>cades</c> (default: a detached CMS
/// <c>.p7s</c>), <c>xades</c> (an XML signature) or <c>pades</c> (the signed PDF); <c>level</c> = <c>B-B</c> (default),
/// <c>B-T</c>, <c>B-LT</c> or <c>B-LTA</c>; for xades <c>placement</c> = <c>enveloped</c> (default; the body must be XML)
/// or <c>detached</c> with <c>name</c>, the file name the signature's reference gives the body (default <c>document</c>).
/// The body is the document itself.
/// </summary>
internal sealed record SignHelperRequest(SignHelperFormat Format, CadesLevel Level, XmlSignaturePlacement Placement, string DetachedName)
{
    /// <summary>The longest <c>name</c> accepted for a detached XML signature's reference.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The format's name as the page and <c>jpki sign --format</c> write it.</summary>
    public string FormatName => Format switch
    {
        SignHelperFormat.Xades => "xades",
        SignHelperFormat.Pades => "pades",
        _ => "cades",
    };

    /// <summary>What the answer's body is.</summary>
    public string ContentType => Format switch
    {
        SignHelperFormat.Xades => "application/xml",
        SignHelperFormat.Pades => "application/pdf",
        _ => "application/pkcs7-signature",
    };

    /// <summary>A line for the helper's console naming what will be made, e.g. "XAdES B-T (enveloped)".</summary>
    public string Describe() => Format switch
    {
        SignHelperFormat.Xades => $"XAdES {CadesLevels.Name(Level)} ({(Placement == XmlSignaturePlacement.Detached ? $"detached, reference \"{DetachedName}\"" : "enveloped: the XML with its signature")})",
        SignHelperFormat.Pades => $"PAdES {CadesLevels.Name(Level)} (the signed PDF, an incremental update)",
        _ => $"CAdES {CadesLevels.Name(Level)} (detached .p7s)",
    };

    /// <summary>Reads the query; null and a problem (machine code, sentence) when something is not understood.</summary>
    public static SignHelperRequest? Parse(IQueryCollection query, out string? code, out string? problem)
    {
        code = null;
        problem = null;
        SignHelperFormat? format = ((string?)query["format"])?.ToLowerInvariant() switch
        {
            null or "" or "cades" => SignHelperFormat.Cades,
            "xades" => SignHelperFormat.Xades,
            "pades" => SignHelperFormat.Pades,
            _ => null,
        };
        if (format is not { } f)
        {
            (code, problem) = ("unknown-format", $"format={query["format"]} is not a signature format: use cades (a detached .p7s), xades (an XML signature) or pades (a signed PDF).");
            return null;
        }

        var levelText = (string?)query["level"];
        if (!CadesLevels.TryParse(string.IsNullOrEmpty(levelText) ? "B-B" : levelText, out var level))
        {
            (code, problem) = ("unknown-level", $"level={levelText} is not a baseline level: use B-B, B-T, B-LT or B-LTA.");
            return null;
        }

        XmlSignaturePlacement? placement = ((string?)query["placement"])?.ToLowerInvariant() switch
        {
            null or "" or "enveloped" => XmlSignaturePlacement.Enveloped,
            "detached" => XmlSignaturePlacement.Detached,
            _ => null,
        };
        if (placement is not { } where || (f != SignHelperFormat.Xades && query.ContainsKey("placement")))
        {
            (code, problem) = ("unknown-placement", "placement is for format=xades only: enveloped (the XML with its signature, default) or detached (a signature file naming the document by name=…).");
            return null;
        }

        var name = (string?)query["name"];
        if (name is not null && (where != XmlSignaturePlacement.Detached || !IsFileName(name)))
        {
            (code, problem) = ("bad-name", $"name is the file name a detached XML signature gives the document (placement=detached): 1–{MaxNameLength} characters, no '/', '\\' or control characters.");
            return null;
        }

        return new SignHelperRequest(f, level, where, name ?? "document");
    }

    private static bool IsFileName(string name)
        => name.Length is > 0 and <= MaxNameLength && name is not ("." or "..") && !name.Any(c => char.IsControl(c) || c is '/' or '\\');
}
