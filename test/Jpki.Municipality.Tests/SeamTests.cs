using System.Reflection;
using System.Runtime.CompilerServices;
using Jpki.Municipality.Applications;

namespace Jpki.Municipality.Tests;

/// <summary>
/// Issue 14, "done means": the counter library reaches the authority only through the contract, and no library opens its
/// internals to the CLI (the <c>jpki</c> assembly uses public APIs only). Read from the compiled assemblies' metadata, so
/// a project reference or an attribute added anywhere fails here.
/// </summary>
public sealed class SeamTests
{
    [Fact]
    public void Municipality_ReferencesTheContract_NeverTheAuthority()
    {
        var references = typeof(CounterService).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.Contains("Jpki.Authority.Contracts", references);
        Assert.DoesNotContain("Jpki.Authority", references);
    }

    [Fact]
    public void NoLibrary_OpensItsInternalsToTheCli()
    {
        // Every Jpki.* assembly the server host reaches (the host references every library the CLI uses).
        var seen = new Dictionary<string, Assembly>(StringComparer.Ordinal);
        var pending = new Queue<Assembly>([typeof(Jpki.Server.JpkiServerHost).Assembly, typeof(CounterService).Assembly]);
        while (pending.TryDequeue(out var assembly))
        {
            if (!seen.TryAdd(assembly.GetName().Name!, assembly))
            {
                continue;
            }

            foreach (var reference in assembly.GetReferencedAssemblies().Where(r => r.Name!.StartsWith("Jpki.", StringComparison.Ordinal)))
            {
                pending.Enqueue(Assembly.Load(reference));
            }
        }

        Assert.True(seen.Count >= 8, string.Join(", ", seen.Keys));
        var opened = seen.Values
            .SelectMany(a => a.GetCustomAttributes<InternalsVisibleToAttribute>().Select(v => (Library: a.GetName().Name, v.AssemblyName)))
            .Where(v => v.AssemblyName.Split(',')[0].Trim() is "jpki" or "Jpki.Cli")
            .ToList();
        Assert.Empty(opened);
    }
}
