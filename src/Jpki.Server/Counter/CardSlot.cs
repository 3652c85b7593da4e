namespace Jpki.Server.Counter;

/// <summary>A card the counter terminal can open: a virtual card file or a reader with a card.</summary>
/// <param name="Id">What to pass back to open it.</param>
/// <param name="Label">What the clerk sees.</param>
internal sealed record CardSlot(string Id, string Label);
