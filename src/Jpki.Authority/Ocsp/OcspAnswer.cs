namespace Jpki.Authority.Ocsp;

/// <summary>An OCSP response ready to send.</summary>
/// <param name="Status">The response status.</param>
/// <param name="Der">The OCSPResponse DER (content type <c>application/ocsp-response</c>).</param>
/// <param name="FromCache">True when a pre-signed response was served (no signature computed).</param>
public sealed record OcspAnswer(OcspStatus Status, ReadOnlyMemory<byte> Der, bool FromCache);
