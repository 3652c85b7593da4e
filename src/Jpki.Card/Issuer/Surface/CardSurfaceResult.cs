namespace Jpki.Card.Issuer.Surface;

/// <summary>Which 券面-side APs <see cref="CardSurfaceIssuance.Issue"/> wrote.</summary>
/// <param name="Text">券面事項入力補助AP.</param>
/// <param name="Visual">券面事項確認AP (false without a font, or on a card without the AP).</param>
/// <param name="Common">共通カードAP (its INTERNAL AUTHENTICATE key).</param>
public sealed record CardSurfaceResult(bool Text, bool Visual, bool Common);
