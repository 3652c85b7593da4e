namespace Jpki.Municipality.Cards;

/// <summary>A card the counter can open.</summary>
/// <param name="Id">Stable id to open it with: <c>file:&lt;name&gt;</c> for a virtual card file, <c>reader:&lt;name&gt;</c> for a PC/SC reader.</param>
/// <param name="Source"><c>virtual</c> or <c>pcsc</c>.</param>
/// <param name="Name">File or reader name, for people.</param>
/// <param name="CardNumber">The card number when known without opening the card (virtual cards), else null.</param>
public sealed record CounterCardSlot(string Id, string Source, string Name, string? CardNumber);
