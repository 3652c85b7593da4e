namespace Jpki.Server;

/// <summary>Which parts of OpenJpki one <c>jpki serve</c> process runs (<see cref="JpkiServerOptions.Role"/>).</summary>
public enum ServerRole
{
    /// <summary>Authority and counter in one process, the counter calling the authority in process (the embedded default).</summary>
    All = 0,

    /// <summary>
    /// The authority only (J-LIS's side): CAs, registry, CRLs, OCSP, the registration-authority API, and the relying
    /// parties that trust it in process (e-application, OpenID Connect provider). No counter pages or API.
    /// </summary>
    Authority = 1,

    /// <summary>
    /// The counter only (the municipality's side): residents, staff pages and API, cards; issuance and revocation go to
    /// the authority at <see cref="JpkiServerOptions.AuthorityUrl"/> over its API with a registration-authority key. This
    /// process never opens the authority's keys or registry.
    /// </summary>
    Counter = 2,
}
