using System.Buffers.Text;
using System.Text.Json;

namespace Jpki.Verification.Login;

/// <summary>
/// What the citizen's helper answers for an origin-bound login, sent by the page to the relying party as JSON
/// (docs/login.md): <c>{"format":"jpki-login:1","origin":…,"nonce":…,"certificate":base64 DER,"algorithm":"RS256"|"ES384","signature":base64}</c>.
/// Everything in it is a claim until <see cref="LoginVerifier.VerifyTokenAsync"/> has checked it: the certificate is the
/// one the card presents, the origin the one the helper saw (the verifier checks the signature over its own origin, not over this one).
/// </summary>
/// <param name="Origin">The web origin the helper signed for (as the browser's <c>Origin</c> header gave it).</param>
/// <param name="Nonce">The challenge nonce (base64url text) it signed.</param>
/// <param name="Certificate">The certificate read from the card (DER).</param>
/// <param name="Signature">The card's signature: for <see cref="AlgorithmRs256"/> PKCS#1 v1.5 over
/// <see cref="LoginOrigin.DigestInfoToSign"/>; for <see cref="AlgorithmEs384"/> ECDSA P-384 r‖s (96 bytes, low-S) over
/// <see cref="LoginOrigin.HashToSignEs384"/>.</param>
/// <param name="Algorithm"><see cref="AlgorithmRs256"/> (today's RSA-2048 card) or <see cref="AlgorithmEs384"/> (the
/// next-generation P-384 card); it must match the certificate's key.</param>
public sealed record LoginToken(string Origin, string Nonce, ReadOnlyMemory<byte> Certificate, ReadOnlyMemory<byte> Signature, string Algorithm = LoginToken.AlgorithmRs256)
{
    /// <summary>The format identifier, <c>jpki-login:1</c>.</summary>
    public const string FormatV1 = "jpki-login:1";

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (what today's JPKI card does with its RSA-2048 keys).</summary>
    public const string AlgorithmRs256 = "RS256";

    /// <summary>
    /// ECDSA P-384 with SHA-384, signature r‖s (RFC 7518 §3.4; Web eID's ES384): the next-generation card's P-384 keys.
    /// The signed value's two hashes are SHA-384 then, as Web eID specifies (the token's hash is the algorithm's hash).
    /// </summary>
    public const string AlgorithmEs384 = "ES384";

    /// <summary>Largest token accepted (a 2048-bit certificate and signature fit in about 2.5 KB).</summary>
    public const int MaxJsonBytes = 16 * 1024;

    /// <summary>The token as JSON (UTF-8).</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatV1);
            writer.WriteString("origin", Origin);
            writer.WriteString("nonce", Nonce);
            writer.WriteString("certificate", Convert.ToBase64String(Certificate.Span));
            writer.WriteString("algorithm", Algorithm);
            writer.WriteString("signature", Convert.ToBase64String(Signature.Span));
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads a token. Unknown members are ignored; the format must be <see cref="FormatV1"/> and the algorithm
    /// <see cref="AlgorithmRs256"/> or <see cref="AlgorithmEs384"/> (whether it fits the certificate's key is
    /// <see cref="LoginVerifier.VerifyTokenAsync"/>'s check).
    /// </summary>
    /// <param name="json">The UTF-8 JSON the page posted.</param>
    /// <param name="token">The token when the result is true.</param>
    /// <param name="error">Why it was refused (a sentence without secrets) when the result is false.</param>
    public static bool TryParse(ReadOnlySpan<byte> json, out LoginToken? token, out string? error)
    {
        token = null;
        if (json.Length is 0 or > MaxJsonBytes)
        {
            error = $"The login token is empty or larger than {MaxJsonBytes} bytes.";
            return false;
        }

        string? format = null, origin = null, nonce = null, certificate = null, algorithm = null, signature = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The login token is not a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                switch (name)
                {
                    case "format": format = value; break;
                    case "origin": origin = value; break;
                    case "nonce": nonce = value; break;
                    case "certificate": certificate = value; break;
                    case "algorithm": algorithm = value; break;
                    case "signature": signature = value; break;
                }
            }
        }
        catch (JsonException)
        {
            error = "The login token is not valid JSON.";
            return false;
        }

        if (format != FormatV1)
        {
            error = $"The login token's format is not {FormatV1}.";
            return false;
        }

        if (algorithm is not (AlgorithmRs256 or AlgorithmEs384))
        {
            error = $"The login token's algorithm is neither {AlgorithmRs256} nor {AlgorithmEs384}.";
            return false;
        }

        if (origin is null || LoginOrigin.Normalize(origin) != origin)
        {
            error = "The login token's origin is missing or not a serialised web origin.";
            return false;
        }

        if (string.IsNullOrEmpty(nonce) || nonce.Length > 256)
        {
            error = "The login token has no nonce.";
            return false;
        }

        if (!TryBase64(certificate, out var certificateDer) || !TryBase64(signature, out var signatureBytes))
        {
            error = "The login token's certificate or signature is missing or not base64.";
            return false;
        }

        token = new LoginToken(origin, nonce, certificateDer, signatureBytes, algorithm);
        error = null;
        return true;
    }

    private static bool TryBase64(string? text, out byte[] bytes)
    {
        bytes = [];
        if (string.IsNullOrEmpty(text) || text.Length > MaxJsonBytes)
        {
            return false;
        }

        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(text.Length)];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written == 0)
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
