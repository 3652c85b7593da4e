using Jpki.Municipality.Issuance;

namespace Jpki.Municipality.Applications;

/// <summary>How the name and address would appear in the signature certificate, shown before issuance.</summary>
/// <param name="Name">The mapped name.</param>
/// <param name="Address">The mapped address.</param>
public sealed record SubstitutionPreview(MappedText Name, MappedText Address);
