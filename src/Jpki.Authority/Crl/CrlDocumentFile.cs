namespace Jpki.Authority.Crl;

/// <summary>A CRL built into a local file, to be stored in the registry at publication.</summary>
/// <param name="Info">Its facts.</param>
/// <param name="Path">The DER file.</param>
public sealed record CrlDocumentFile(CrlDocumentInfo Info, string Path);
