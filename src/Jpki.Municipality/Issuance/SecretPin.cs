using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Jpki.Municipality.Issuance;

/// <summary>
/// A PIN or password on its short way from the terminal to the card. Holds its own copy of the characters, zeroes
/// them on <see cref="Dispose"/>, and never shows them: <see cref="ToString"/> is <c>[secret]</c>.
/// </summary>
/// <remarks>
/// The string a caller passes in (and the string <c>PinPolicy.Validate</c> needs) cannot be zeroed — .NET strings
/// are immutable — so "zeroed where practical" means: the counter keeps no string of a PIN beyond the call that
/// validates it, and every copy it owns is a char array it clears.
/// </remarks>
public sealed class SecretPin : IDisposable
{
    private readonly char[] _chars;
    private bool _disposed;

    private SecretPin(char[] chars) => _chars = chars;

    /// <summary>Number of characters.</summary>
    public int Length => _chars.Length;

    /// <summary>Copies <paramref name="value"/> into a new secret.</summary>
    public static SecretPin From(ReadOnlySpan<char> value) => new(value.ToArray());

    /// <summary>Copies <paramref name="value"/> into a new secret; null becomes an empty secret.</summary>
    public static SecretPin From(string? value) => From((value ?? string.Empty).AsSpan());

    /// <summary>The characters. Do not keep them beyond the call that needs them.</summary>
    /// <exception cref="ObjectDisposedException">Already disposed.</exception>
    public ReadOnlySpan<char> Reveal()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _chars;
    }

    /// <summary>The characters as ASCII bytes, for an APDU; the caller zeroes the array.</summary>
    public byte[] ToAsciiBytes()
    {
        var bytes = new byte[_chars.Length];
        var chars = Reveal();
        for (var i = 0; i < chars.Length; i++)
        {
            bytes[i] = chars[i] < 0x80 ? (byte)chars[i] : (byte)'?';
        }

        return bytes;
    }

    /// <summary>Zeroes the characters.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(_chars.AsSpan()));
        _disposed = true;
    }

    /// <summary>Never the secret.</summary>
    public override string ToString() => "[secret]";
}
