namespace Jpki.OnlineApplication;

/// <summary>What a citizen asks for online.</summary>
internal enum RequestKind
{
    /// <summary>住民票の写し (<c>juminhyo</c>).</summary>
    ResidenceRecord = 1,

    /// <summary>印鑑登録証明書 (<c>inkan</c>).</summary>
    SealCertificate = 2,
}
