namespace Jpki.Municipality.Proxy;

/// <summary>What the proxy brings at visit 1.</summary>
/// <param name="ResidentId">The applicant.</param>
/// <param name="ProxyName">The proxy's name.</param>
/// <param name="ProxyIdDocument">Kind of photo ID the proxy showed (no document number is kept).</param>
/// <param name="ProxyIdChecked">The clerk checked the proxy's photo ID.</param>
/// <param name="ApplicationPresent">The applicant's application form is present.</param>
/// <param name="PowerOfAttorneyPresent">The power of attorney (委任状) is present.</param>
public sealed record ProxyRequest(string ResidentId, string ProxyName, string ProxyIdDocument, bool ProxyIdChecked, bool ApplicationPresent, bool PowerOfAttorneyPresent);
