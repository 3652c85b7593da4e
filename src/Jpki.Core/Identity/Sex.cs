namespace Jpki.Core.Identity;

/// <summary>Sex as coded in the signature certificate (OID 1.2.392.200149.8.5.5.3) and the card: ISO 5218 / JIS X 0303.</summary>
public enum Sex
{
    /// <summary>Code 1.</summary>
    Male = 1,

    /// <summary>Code 2.</summary>
    Female = 2,

    /// <summary>Code 9, not applicable.</summary>
    NotApplicable = 9,
}
