namespace Jpki.Card.Transport.Pcsc;

/// <summary>Chooses the PC/SC binding of the operating system the process runs on (at run time, not at build time).</summary>
internal static class PcscApi
{
    private static readonly Lazy<IPcscApi> Instance = new(() => For(CurrentPlatform));

    /// <summary>The platform of this process: winscard on Windows, PCSC.framework on macOS, pcsc-lite elsewhere.</summary>
    public static PcscPlatform CurrentPlatform =>
        OperatingSystem.IsWindows() ? PcscPlatform.WinScard
        : OperatingSystem.IsMacOS() || OperatingSystem.IsMacCatalyst() ? PcscPlatform.MacOS
        : PcscPlatform.PcscLite;

    /// <summary>The binding for this process.</summary>
    public static IPcscApi Current => Instance.Value;

    /// <summary>The binding of <paramref name="platform"/> (its native calls only work on that platform).</summary>
    public static IPcscApi For(PcscPlatform platform) => platform switch
    {
        PcscPlatform.PcscLite => new PcscLiteApi(),
        PcscPlatform.WinScard => new WinScardApi(),
        PcscPlatform.MacOS => new MacPcscApi(),
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "Unknown PC/SC platform."),
    };
}
