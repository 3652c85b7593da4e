using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Verification.Cades;
using Jpki.Verification.Cms;
using Jpki.Verification.Signatures;

namespace Jpki.Verification.Pades;

/// <summary>
/// PDF signatures as PAdES (ETSI EN 319 142-1): every signature field of every revision is reported. For each, the
/// <c>/ByteRange</c> must cover the file except exactly that signature's <c>/Contents</c> and end at a revision's
/// <c>%%EOF</c>; the byte ranges are hashed from the file as a stream; the CMS in <c>/Contents</c>
/// (<c>ETSI.CAdES.detached</c> or <c>adbe.pkcs7.detached</c>) is checked like a CAdES signature (messageDigest,
/// signing-certificate binding, RSA signature), its signature time-stamp gathered; the DSS dictionary's certificates,
/// CRLs and OCSP answers (B-LT) and later document time-stamps (<c>/DocTimeStamp</c>, <c>ETSI.RFC3161</c>, B-LTA) are
/// handed to the common rules. Incremental updates after a signature are classified: a DSS, a document time-stamp or
/// another signature field is allowed; any other change is named in the report's warnings.
/// </summary>
internal sealed class PadesFormat : ISignatureFormat
{
    public string Name => "PAdES";

    public bool Detect(SignedDocument document, ReadOnlySpan<byte> head)
    {
        var at = head.IndexOf("%PDF-"u8);
        return at is >= 0 and < 1024;
    }

    public async Task<IReadOnlyList<SignatureReport>> ValidateAsync(SignedDocument document, SignatureValidationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(context);
        // The stream stays open while the evidence is judged: document time-stamp imprints hash its byte ranges then.
        Stream? stream = null;
        List<SignatureEvidence> evidence;
        try
        {
            stream = document.SignatureSource.OpenRead();
            evidence = Gather(stream);
        }
        catch (Exception e) when (e is PdfFormatException or IOException or UnauthorizedAccessException)
        {
            evidence = [Failed("document", SignatureFailure.Format($"The PDF cannot be read: {e.Message}"))];
        }

        await using (stream)
        {
            var reports = new List<SignatureReport>(evidence.Count);
            foreach (var one in evidence)
            {
                reports.Add(await context.EvaluateAsync(one, cancellationToken).ConfigureAwait(false));
            }

            return reports;
        }
    }

    /// <summary>The evidence of every signature of the PDF in <paramref name="stream"/> (seekable).</summary>
    /// <exception cref="PdfFormatException">The structure cannot be read.</exception>
    internal static List<SignatureEvidence> Gather(Stream stream)
    {
        var file = PdfFile.Open(stream);
        var fields = PdfSignatureReader.Read(file);
        var dss = ReadDss(file);
        var revisions = file.Sections.Select(file.RevisionEnd).Distinct().Order().ToList();
        var documentTimestamps = fields.Where(f => f.Type == "DocTimeStamp" && f.Problem is null).ToList();
        var result = new List<SignatureEvidence>();
        foreach (var field in fields)
        {
            if (field.Type == "DocTimeStamp" && field.Problem is null)
            {
                continue;
            }

            var id = field.Name;
            if (field.Problem is { } problem)
            {
                result.Add(Failed(id, SignatureFailure.Format(problem)));
                continue;
            }

            if (field.SubFilter is not ("ETSI.CAdES.detached" or "adbe.pkcs7.detached"))
            {
                result.Add(Failed(id, SignatureFailure.Format($"The signature's /SubFilter /{field.SubFilter} is not supported (ETSI.CAdES.detached and adbe.pkcs7.detached are).")));
                continue;
            }

            try
            {
                result.Add(Evidence(file, stream, field, dss, documentTimestamps, revisions));
            }
            catch (Exception e) when (e is CryptographicException or System.Formats.Asn1.AsnContentException)
            {
                result.Add(Failed(id, SignatureFailure.Format($"The signature's CMS cannot be decoded: {e.Message}")));
            }
        }

        return result;
    }

    private static SignatureEvidence Evidence(PdfFile file, Stream stream, PdfSignatureField field, Dss dss, List<PdfSignatureField> documentTimestamps, List<long> revisions)
    {
        var digests = new Dictionary<HashAlgorithmName, byte[]>();
        byte[] Digest(HashAlgorithmName algorithm)
        {
            if (!digests.TryGetValue(algorithm, out var value))
            {
                value = PdfSignatureReader.HashRanges(stream, field.ByteRange, algorithm);
                digests[algorithm] = value;
            }

            return value;
        }

        var cms = field.Contents!;
        var inspection = CmsDigestChecker.Check(cms, Digest);
        var revision = revisions.IndexOf(field.RevisionEnd) + 1;
        var covered = $"revision {revision} of {revisions.Count} (bytes 0–{field.RevisionEnd} of {file.Length}), field '{field.Name}'";
        if (inspection.Failure is { } failure)
        {
            return Failed(field.Name, SignatureFailure.From(failure)) with { SigningCertificate = inspection.Signer, ClaimedSigningTime = inspection.SigningTime ?? field.SigningTime, SignedObjects = [covered] };
        }

        var warnings = new List<string>();
        var view = SignedDataView.Read(cms);
        var info = view.SignerInfos[0];
        var (crls, ocsp) = CadesFormat.RevocationValues(view, warnings);
        var timestamps = new List<TimestampEvidence>();
        var signatureValue = info.SignatureValue;
        foreach (var attribute in info.UnsignedAttributes.Where(a => a.Type == CadesOids.SignatureTimeStamp))
        {
            timestamps.AddRange(attribute.Values.Select(v => new TimestampEvidence(TimestampKind.Signature, v, a => DigestAlgorithms.Hash(a, signatureValue))));
        }

        foreach (var documentTimestamp in documentTimestamps.Where(d => d.ByteRange[1] >= field.RevisionEnd))
        {
            var range = documentTimestamp.ByteRange;
            timestamps.Add(new TimestampEvidence(TimestampKind.Document, documentTimestamp.Contents!, a => PdfSignatureReader.HashRanges(stream, range, a)));
        }

        var hasEss = info.SignedAttributeList.Any(a => a.Type is CadesOids.SigningCertificateV2 or CadesOids.SigningCertificate);
        var etsi = field.SubFilter == "ETSI.CAdES.detached";
        if (etsi && info.SignedAttributeList.Any(a => a.Type == CadesOids.SigningTime))
        {
            warnings.Add("The CMS carries a signing-time attribute, which PAdES (ETSI EN 319 142-1 §6.3) forbids; the time belongs in /M.");
        }

        // EN 319 142-1 §5.3–5.5: B-T by a signature time-stamp or a document time-stamp after the signature; B-LT when a
        // DSS holds validation data; B-LTA when a document time-stamp covers the revision that brought the DSS.
        var hasTimestamp = timestamps.Count > 0;
        var hasDss = dss.Certificates.Count + dss.Crls.Count + dss.Ocsp.Count > 0 && dss.FirstRevisionEnd >= 0;
        var level = !etsi || !hasEss ? "none"
            : hasTimestamp && hasDss && documentTimestamps.Any(d => d.ByteRange[1] >= dss.FirstRevisionEnd && d.ByteRange[1] >= field.RevisionEnd) ? "B-LTA"
            : hasTimestamp && hasDss ? "B-LT"
            : hasTimestamp ? "B-T"
            : "B-B";
        if (!etsi)
        {
            warnings.Add("The signature's /SubFilter is adbe.pkcs7.detached (PDF 1.x), not a PAdES baseline signature (ETSI.CAdES.detached).");
        }
        else if (!hasEss)
        {
            warnings.Add("The CMS lacks signing-certificate-v2, which PAdES B-B requires.");
        }

        warnings.AddRange(Modifications(file, field));
        var signer = inspection.Signer!;
        return new SignatureEvidence
        {
            Id = field.Name,
            Format = "PAdES",
            Level = level,
            SigningCertificate = signer,
            Certificates = [.. inspection.Certificates.Where(c => !ReferenceEquals(c, signer)), .. dss.Certificates],
            Crls = [.. crls, .. dss.Crls],
            OcspResponses = [.. ocsp, .. dss.Ocsp],
            ClaimedSigningTime = inspection.SigningTime ?? field.SigningTime,
            Timestamps = timestamps,
            SignedObjects = [covered],
            Warnings = warnings,
        };
    }

    /// <summary>What later incremental updates changed beyond a DSS, document time-stamps and signature fields.</summary>
    private static List<string> Modifications(PdfFile file, PdfSignatureField field)
    {
        var notes = new List<string>();
        var signedRevision = -1;
        for (var i = 0; i < file.Sections.Count; i++)
        {
            if (file.Sections[i].Offset < field.RevisionEnd)
            {
                signedRevision = i;
                break;
            }
        }

        if (signedRevision <= 0)
        {
            return notes;
        }

        var changed = new SortedSet<int>();
        for (var i = 0; i < signedRevision; i++)
        {
            foreach (var (number, entry) in file.Sections[i].Entries)
            {
                if (entry.Type != 0 || file.FindEntry(number, signedRevision) is { Type: not 0 })
                {
                    _ = changed.Add(number);
                }
            }
        }

        var disallowed = new List<string>();
        foreach (var number in changed)
        {
            if (disallowed.Count >= 10)
            {
                disallowed.Add("…");
                break;
            }

            try
            {
                var now = file.GetObject(number, 0, out _);
                var before = file.FindEntry(number, signedRevision) is { Type: not 0 } ? file.GetObject(number, signedRevision, out _) : null;
                if (Allowed(before, now) is false)
                {
                    disallowed.Add($"object {number}" + (now is PdfDictionary d && d.NameOf("Type") is { } t ? $" (/{t})" : string.Empty));
                }
            }
            catch (PdfFormatException e)
            {
                disallowed.Add($"object {number} (unreadable: {e.Message})");
            }
        }

        var later = signedRevision;
        notes.Add($"The PDF has {later} incremental update(s) after this signature.");
        if (disallowed.Count > 0)
        {
            notes.Add($"Changed after signing beyond signatures, document time-stamps and the DSS: {string.Join(", ", disallowed)}. What the signer saw is revision bytes 0–{field.RevisionEnd}.");
        }

        return notes;
    }

    /// <summary>True when an update of <paramref name="before"/> (null: a new object) to <paramref name="now"/> is one PAdES allows after a signature.</summary>
    private static bool Allowed(PdfObject? before, PdfObject now)
    {
        if (now is PdfStream stream)
        {
            // New streams: DSS certificates/CRLs/OCSP answers, xref and object streams; a changed stream (page content) is not allowed.
            return before is null || stream.Dictionary.NameOf("Type") is "XRef" or "ObjStm";
        }

        if (now is not PdfDictionary dictionary)
        {
            return before is null;
        }

        var type = dictionary.NameOf("Type");
        if (before is null)
        {
            return type is null or "Sig" or "DocTimeStamp" or "DSS" or "VRI" || (type == "Annot" && dictionary.NameOf("Subtype") == "Widget" && dictionary.NameOf("FT") == "Sig");
        }

        if (before is not PdfDictionary old)
        {
            return false;
        }

        string[] free = type switch
        {
            "Catalog" => ["DSS", "AcroForm", "Extensions", "Perms"],
            "Page" => ["Annots"],
            "Sig" or "DocTimeStamp" => [],
            _ when dictionary["Fields"] is not null => ["Fields", "SigFlags", "DR", "DA", "NeedAppearances"],
            _ => [],
        };
        return Same(old, dictionary, free);
    }

    private static bool Same(PdfDictionary a, PdfDictionary b, string[] ignore)
    {
        var left = new System.Text.StringBuilder();
        var right = new System.Text.StringBuilder();
        PdfSerializer.Write(left, new PdfDictionary([.. a.Entries.Where(e => !ignore.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal)]));
        PdfSerializer.Write(right, new PdfDictionary([.. b.Entries.Where(e => !ignore.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal)]));
        return left.Equals(right);
    }

    /// <summary>The DSS of the last revision (ETSI EN 319 142-1 §5.4.2): /Certs, /CRLs, /OCSPs streams.</summary>
    private static Dss ReadDss(PdfFile file)
    {
        if (file.Resolve(file.Trailer["Root"]) is not PdfDictionary catalog || file.Resolve(catalog["DSS"]) is not PdfDictionary dss)
        {
            return new Dss([], [], [], -1);
        }

        // The end of the oldest revision whose catalog has a /DSS (what a later document time-stamp must cover for B-LTA).
        var firstRevisionEnd = -1L;
        for (var revision = file.Sections.Count - 1; revision >= 0; revision--)
        {
            if (file.Resolve(file.Sections[revision].Trailer["Root"], revision) is PdfDictionary old && old["DSS"] is not null)
            {
                firstRevisionEnd = file.RevisionEnd(file.Sections[revision]);
                break;
            }
        }

        var certificates = new List<X509Certificate2>();
        foreach (var data in Streams(file, dss["Certs"]))
        {
            try
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(data));
            }
            catch (CryptographicException)
            {
                // A DSS certificate that does not decode is not used; the chain check says what is missing.
            }
        }

        return new Dss(certificates, [.. Streams(file, dss["CRLs"]).Select(b => (ReadOnlyMemory<byte>)b)], [.. Streams(file, dss["OCSPs"]).Select(b => (ReadOnlyMemory<byte>)b)], firstRevisionEnd);
    }

    private static IEnumerable<byte[]> Streams(PdfFile file, PdfObject? array)
    {
        foreach (var item in (file.Resolve(array) as PdfArray)?.Items.Take(10_000) ?? [])
        {
            if (item is PdfReference reference && file.GetObject(reference.Number, 0, out _) is PdfStream stream)
            {
                yield return file.ReadStreamData(stream, 0);
            }
        }
    }

    private static SignatureEvidence Failed(string id, SignatureFailure failure) => new() { Id = id, Format = "PAdES", Level = "none", Failure = failure };

    private sealed record Dss(List<X509Certificate2> Certificates, List<ReadOnlyMemory<byte>> Crls, List<ReadOnlyMemory<byte>> Ocsp, long FirstRevisionEnd);
}
