using System.Reflection;
using System.Runtime.InteropServices;

namespace Jpki.Authority.Keys;

/// <summary>
/// Pkcs11Interop 5.x binds dlopen from "libdl", a development symlink that glibc ≥ 2.34 systems (Debian 12) no longer
/// ship; the real library is libdl.so.2 (a stub over libc). Resolving the name here avoids asking operators to install
/// libc6-dev just to load a PKCS#11 module.
/// </summary>
internal static class Pkcs11NativeLoader
{
    private static int _registered;

    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Net.Pkcs11Interop.Common.CKA).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Someone else already installed a resolver for Pkcs11Interop; theirs stands.
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name is "libdl" or "libdl.so")
        {
            foreach (var candidate in new[] { "libdl.so.2", "libc.so.6" })
            {
                if (NativeLibrary.TryLoad(candidate, out var handle))
                {
                    return handle;
                }
            }
        }

        return IntPtr.Zero;
    }
}
