namespace Jpki.Authority.Tsa;

/// <summary>Options of <see cref="TimestampAuthority"/>. The defaults suit the embedded test authority.</summary>
public sealed record TimestampAuthorityOptions
{
    /// <summary>
    /// The TSA policy of OpenJpki's time-stamps, <c>2.25.76864767542229276270240720139850657592</c> (a UUID-derived OID,
    /// ITU-T X.667: ours to use without a registered arc).
    /// </summary>
    public const string DefaultPolicy = "2.25.76864767542229276270240720139850657592";

    /// <summary>The policy written into tokens when the request names none.</summary>
    public string Policy { get; init; } = DefaultPolicy;

    /// <summary>Further policies a request may ask for (besides <see cref="Policy"/>); any other is unacceptedPolicy.</summary>
    public IReadOnlyList<string> AcceptedPolicies { get; init; } = [];

    /// <summary>
    /// The accuracy stated in every token (RFC 3161 §2.4.2 <c>accuracy</c>): how far genTime may be from UTC. Default
    /// one second, what an NTP-synchronised host keeps; zero omits the field.
    /// </summary>
    public TimeSpan Accuracy { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest request accepted, in bytes (a TimeStampReq with a SHA-512 imprint and a nonce is about 100). Default 4096.</summary>
    public int MaxRequestBytes { get; init; } = 4096;

    /// <summary>The longest nonce accepted, in bytes (openssl sends 8). Default 64.</summary>
    public int MaxNonceBytes { get; init; } = 64;
}
