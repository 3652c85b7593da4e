using System.Globalization;
using System.Runtime.InteropServices;
using SharpFuzz;

namespace Jpki.Fuzz;

/// <summary>
/// <c>Jpki.Fuzz fuzz &lt;target&gt;</c> runs a target under afl-fuzz (SharpFuzz persistent mode: one process, input on
/// stdin); <c>replay &lt;target&gt; &lt;file-or-folder&gt;…</c> runs files through the uninstrumented target and reports
/// findings; <c>seeds &lt;corpus-folder&gt;</c> writes the seed corpus; <c>list</c> names the targets.
/// </summary>
internal static class Program
{
    private const int Usage = 2;

    public static int Main(string[] args)
    {
        if (args.Length == 1 && args[0] == "list")
        {
            foreach (var name in FuzzTargets.Names)
            {
                Console.WriteLine(name);
            }

            return 0;
        }

        if (args.Length == 2 && args[0] == "seeds")
        {
            SeedWriter.Write(args[1]);
            return 0;
        }

        if (args.Length >= 2 && args[0] == "fuzz")
        {
            // Instrumented code writes its coverage to SharpFuzz's trace buffer, which Fuzzer.Run points at AFL's shared
            // memory only when it starts. Creating a target runs instrumented code (the APDU target issues a card), so
            // give it a scratch buffer first; the expensive set-up then stays out of the first, timed execution.
            UseScratchTraceBuffer();
        }

        if (args.Length >= 2 && FuzzTargets.Find(args[1]) is { } target)
        {
            if (args[0] == "fuzz" && args.Length == 2)
            {
                Fuzzer.Run(stream =>
                {
                    using var memory = new MemoryStream();
                    stream.CopyTo(memory);
                    target.Run(memory.GetBuffer().AsSpan(0, (int)memory.Length));
                });
                return 0;
            }

            if (args[0] == "replay" && args.Length > 2)
            {
                return Replay(target, args[2..]);
            }
        }

        Console.Error.WriteLine("usage: Jpki.Fuzz fuzz <target> | replay <target> <file-or-folder>... | seeds <corpus-folder> | list");
        Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.Names));
        return Usage;
    }

    private static unsafe void UseScratchTraceBuffer()
    {
        if (SharpFuzz.Common.Trace.SharedMem is null)
        {
            SharpFuzz.Common.Trace.SharedMem = (byte*)NativeMemory.AllocZeroed(1 << 16);
        }
    }

    private static int Replay(IFuzzTarget target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories) : [p])
            .Where(f => !Path.GetFileName(f).StartsWith('.') && Path.GetFileName(f) != "README.txt")
            .Order(StringComparer.Ordinal)
            .ToList();
        var findings = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
#pragma warning disable CA1031 // Replay reports every exception as a finding instead of stopping at the first.
            catch (Exception e)
#pragma warning restore CA1031
            {
                findings++;
                Console.WriteLine($"FINDING {file}: {e.GetType().FullName}: {e.Message}");
                Console.WriteLine(e.StackTrace);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{target.Name}: {files.Count} inputs replayed, {findings} findings"));
        return findings == 0 ? 0 : 1;
    }
}
