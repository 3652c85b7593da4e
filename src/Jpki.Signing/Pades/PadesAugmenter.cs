using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Jpki.Signing.Cades;
using Jpki.Signing.Revocation;
using Jpki.Signing.Timestamps;
using Jpki.Verification.Cades;
using Jpki.Verification.Pades;
using Microsoft.Extensions.Logging;

namespace Jpki.Signing.Pades;

/// <summary>
/// Raises the signatures of a signed PDF to a higher PAdES baseline level (ETSI EN 319 142-1 §5.4), each step an
/// incremental update so every earlier signature stays valid:
/// <list type="bullet">
/// <item>B-T: a signature without a signature time-stamp, and not yet covered by a document time-stamp, gets one
/// (§5.3: a document time-stamp over the signature is a valid way to B-T);</item>
/// <item>B-LT: a DSS dictionary (<c>/Certs</c>, <c>/CRLs</c>, <c>/OCSPs</c> streams, <c>/VRI</c> keyed by the
/// upper-case hex SHA-1 of each signature's <c>/Contents</c> with its <c>/Cert</c>, <c>/CRL</c>, <c>/OCSP</c>) holding
/// the chain of every signature and time-stamp and a revocation answer for each certificate, gathered and checked by an
/// <see cref="IValidationDataSource"/>; an existing DSS is kept and extended;</item>
/// <item>B-LTA: a document time-stamp (<c>/Type /DocTimeStamp</c>, <c>/SubFilter /ETSI.RFC3161</c>, <c>/Contents</c>
/// the RFC 3161 token over the byte ranges) over all of it; augmenting a B-LTA PDF to B-LTA again first adds the
/// validation data of the last document time-stamp, then another one (renewal).</item>
/// </list>
/// The PDF is streamed through temporary files beside the output (never loaded whole); nothing is written to the
/// output when validation data is missing or a step fails.
/// </summary>
public sealed class PadesAugmenter
{
    /// <summary>Room for a document time-stamp token (the TSA certificate included) in <c>/Contents</c>.</summary>
    public const int DocumentTimestampContentsBytes = 16 * 1024;

    private readonly ITimestampClient? _timestamps;
    private readonly IValidationDataSource? _validationData;
    private readonly ILogger? _logger;

    /// <summary>Creates the augmenter.</summary>
    /// <param name="timestamps">The TSA client (needed for B-T through a document time-stamp and for B-LTA).</param>
    /// <param name="validationData">Where certificates and revocation data come from (needed for B-LT).</param>
    /// <param name="logger">Where the extension (event 6102) is logged; null: nowhere.</param>
    public PadesAugmenter(ITimestampClient? timestamps, IValidationDataSource? validationData, ILogger? logger = null)
    {
        _timestamps = timestamps;
        _validationData = validationData;
        _logger = logger;
    }

    /// <summary>Augments the signed PDF <paramref name="input"/> to <paramref name="level"/> into <paramref name="output"/> (which may be the input).</summary>
    /// <returns>The problems met gathering validation data; when there are any, <paramref name="output"/> was not written.</returns>
    /// <exception cref="PdfFormatException">The input is not a PDF that can be updated, or holds no well-formed signature.</exception>
    /// <exception cref="InvalidOperationException">A TSA client or validation data source is needed and was not given.</exception>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    public async Task<IReadOnlyList<string>> AugmentAsync(string input, string output, CadesLevel level, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var fields = ReadFields(input);
        var signatures = fields.Where(f => f.Type == "Sig").ToList();
        if (signatures.Count == 0)
        {
            throw new PdfFormatException("The PDF holds no signature to augment.");
        }

        if (signatures.FirstOrDefault(f => f.Problem is not null) is { } broken)
        {
            throw new PdfFormatException($"The signature field '{broken.Name}' is not well formed: {broken.Problem}");
        }

        var steps = new List<string>();
        var current = input;
        try
        {
            if (level >= CadesLevel.BaselineT && NeedsDocumentTimestamp(fields))
            {
                current = await StepAsync(current, output, steps, (from, to) => AddDocumentTimestampAsync(from, to, cancellationToken)).ConfigureAwait(false);
            }

            if (level >= CadesLevel.BaselineLt)
            {
                var collected = await CollectAsync(current, cancellationToken).ConfigureAwait(false);
                if (collected.Problems.Count > 0)
                {
                    return collected.Problems;
                }

                current = Step(current, output, steps, (from, to) => WriteDss(from, to, collected));
            }

            if (level == CadesLevel.BaselineLta)
            {
                current = await StepAsync(current, output, steps, (from, to) => AddDocumentTimestampAsync(from, to, cancellationToken)).ConfigureAwait(false);
            }

            if (current == input)
            {
                if (!string.Equals(Path.GetFullPath(input), Path.GetFullPath(output), StringComparison.Ordinal))
                {
                    File.Copy(input, output, overwrite: true);
                }
            }
            else
            {
                File.Move(current, output, overwrite: true);
                steps.Remove(current);
            }

            if (_logger is not null)
            {
                Log.SignatureExtended(_logger, "PAdES", Log.NameOf(level), 0);
            }

            return [];
        }
        finally
        {
            foreach (var step in steps)
            {
                File.Delete(step);
            }
        }
    }

    /// <summary>Appends a document time-stamp over the whole of <paramref name="input"/> (one incremental update) and writes <paramref name="output"/>.</summary>
    /// <exception cref="TimestampException">The TSA refused or could not be reached.</exception>
    /// <exception cref="PdfFormatException">The input is not a PDF that can be updated.</exception>
    public async Task AddDocumentTimestampAsync(string input, string output, CancellationToken cancellationToken)
    {
        var tsa = _timestamps ?? throw new InvalidOperationException("A document time-stamp needs a time-stamping authority (--tsa URL).");
        var dictionary = new PdfDictionary([
            new("Type", new PdfName("DocTimeStamp")),
            new("Filter", new PdfName("Adobe.PPKLite")),
            new("SubFilter", new PdfName("ETSI.RFC3161")),
        ]);
        using var prepared = PdfSignaturePreparation.Create(input, output, (file, update) => PadesSigner.AddField(file, update, dictionary, DocumentTimestampContentsBytes, "DocTimeStamp"), DocumentTimestampContentsBytes);
        var token = await tsa.StampAsync(prepared.Sha256, HashAlgorithmName.SHA256, cancellationToken).ConfigureAwait(false);
        prepared.Complete(token.Token);
    }

    /// <summary>True when some CAdES signature has neither a signature time-stamp nor a document time-stamp after it.</summary>
    private static bool NeedsDocumentTimestamp(IReadOnlyList<PdfSignatureField> fields)
    {
        var lastTimestamp = fields.Where(f => f.Type == "DocTimeStamp" && f.Problem is null).Select(f => f.RevisionEnd).DefaultIfEmpty(-1).Max();
        foreach (var field in fields.Where(f => f.Type == "Sig" && f.RevisionEnd > lastTimestamp))
        {
            var signer = SignedDataView.Read(field.Contents!).SignerInfos[0];
            if (!signer.UnsignedAttributes.Any(a => a.Type == CadesOids.SignatureTimeStamp))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The validation data of every signature and document time-stamp of <paramref name="path"/>, per VRI key.</summary>
    private async Task<Collected> CollectAsync(string path, CancellationToken cancellationToken)
    {
        var source = _validationData ?? throw new InvalidOperationException("B-LT needs a source of validation data (CRL/OCSP).");
        var collected = new Collected();
        foreach (var field in ReadFields(path).Where(f => f.Problem is null))
        {
            var view = SignedDataView.Read(field.Contents!);
            var certificates = view.Certificates.Select(c => CadesAugmenter.TryLoad(c)).OfType<X509Certificate2>().ToList();
            if (field.Type == "Sig")
            {
                foreach (var token in view.SignerInfos[0].UnsignedAttributes.Where(a => a.Type == CadesOids.SignatureTimeStamp).SelectMany(a => a.Values))
                {
                    certificates.AddRange(CadesAugmenter.TokenCertificates(token));
                }
            }

            var data = await source.CollectAsync(certificates, cancellationToken).ConfigureAwait(false);
            collected.Problems.AddRange(data.Problems.Select(p => $"{field.Name}: {p}"));
            collected.Entries.Add(new VriEntry(
                Convert.ToHexString(SHA1.HashData(field.Contents!)),
                [.. certificates.Concat(data.Certificates).Select(c => c.RawData)],
                [.. data.Crls],
                [.. data.OcspResponses]));
        }

        return collected;
    }

    /// <summary>Appends the DSS update: new streams for what the DSS lacks, the DSS dictionary (old entries kept) and the catalog pointing at it.</summary>
    private static void WriteDss(string input, string output, Collected collected)
        => PdfSignaturePreparation.Append(input, output, (file, update) =>
        {
            if (file.Trailer["Root"] is not PdfReference rootReference || file.Resolve(rootReference) is not PdfDictionary catalog)
            {
                throw new PdfFormatException("The trailer's /Root is not a reference to the document catalog.");
            }

            var old = file.Resolve(catalog["DSS"]) as PdfDictionary;
            var streams = new Dictionary<string, PdfReference>(StringComparer.Ordinal);
            var arrays = new Dictionary<string, List<PdfObject>>(StringComparer.Ordinal);
            foreach (var key in (string[])["Certs", "CRLs", "OCSPs"])
            {
                var items = new List<PdfObject>();
                foreach (var item in (file.Resolve(old?[key]) as PdfArray)?.Items ?? [])
                {
                    items.Add(item);
                    if (item is PdfReference reference && file.GetObject(reference.Number, 0, out _) is PdfStream stream)
                    {
                        streams.TryAdd(Key(file.ReadStreamData(stream, 0)), reference);
                    }
                }

                arrays[key] = items;
            }

            PdfArray References(string key, IEnumerable<byte[]> values)
            {
                var references = new List<PdfObject>();
                foreach (var value in values)
                {
                    var hash = Key(value);
                    if (!streams.TryGetValue(hash, out var reference))
                    {
                        reference = new PdfReference(update.Allocate(), 0);
                        update.PutStream(reference.Number, new PdfDictionary([]), value);
                        streams[hash] = reference;
                        arrays[key].Add(reference);
                    }

                    if (!references.Contains(reference))
                    {
                        references.Add(reference);
                    }
                }

                return new PdfArray(references);
            }

            var vri = (file.Resolve(old?["VRI"]) as PdfDictionary)?.Entries.ToList() ?? [];
            foreach (var entry in collected.Entries)
            {
                var entries = new List<KeyValuePair<string, PdfObject>>();
                foreach (var (key, name, values) in new[] { ("Certs", "Cert", entry.Certificates), ("CRLs", "CRL", entry.Crls), ("OCSPs", "OCSP", entry.Ocsp) })
                {
                    var references = References(key, values);
                    if (references.Items.Count > 0)
                    {
                        entries.Add(new(name, references));
                    }
                }

                vri.RemoveAll(e => e.Key == entry.Key);
                vri.Add(new(entry.Key, new PdfDictionary(entries)));
            }

            var dss = new List<KeyValuePair<string, PdfObject>> { new("Type", new PdfName("DSS")) };
            foreach (var (key, items) in arrays)
            {
                if (items.Count > 0)
                {
                    dss.Add(new(key, new PdfArray(items)));
                }
            }

            dss.Add(new("VRI", new PdfDictionary(vri)));
            var dssNumber = update.Allocate();
            update.Put(dssNumber, 0, new PdfDictionary(dss));
            update.Put(rootReference.Number, rootReference.Generation, catalog.With("DSS", new PdfReference(dssNumber, 0)));
        });

    private static string Key(byte[] data) => Convert.ToHexString(SHA256.HashData(data));

    private static IReadOnlyList<PdfSignatureField> ReadFields(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
        return PdfSignatureReader.Read(PdfFile.Open(stream));
    }

    private static string Step(string current, string output, List<string> steps, Action<string, string> write)
    {
        var next = StepFile(output);
        steps.Add(next);
        write(current, next);
        return next;
    }

    private static async Task<string> StepAsync(string current, string output, List<string> steps, Func<string, string, Task> write)
    {
        var next = StepFile(output);
        steps.Add(next);
        await write(current, next).ConfigureAwait(false);
        return next;
    }

    private static string StepFile(string output)
    {
        var full = Path.GetFullPath(output);
        return Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".step");
    }

    private sealed record VriEntry(string Key, byte[][] Certificates, byte[][] Crls, byte[][] Ocsp);

    private sealed class Collected
    {
        public List<VriEntry> Entries { get; } = [];

        public List<string> Problems { get; } = [];
    }
}
