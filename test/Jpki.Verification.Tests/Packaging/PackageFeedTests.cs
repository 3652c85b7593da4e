using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Jpki.Verification.Tests.Packaging;

/// <summary>
/// OpenJpki.Verification as people restore it: <c>dotnet pack</c> of it and of every library it needs (OpenJpki.Core)
/// into a folder feed, then a copy of the sample relying party — outside the repository, PackageReference only — built
/// against that feed plus the usual NuGet source. The package must name OpenJpki.Core (same version) as a dependency
/// instead of carrying an unpublished Jpki.Core.dll, and the build must resolve both from the feed, not from projects.
/// </summary>
public sealed class PackageFeedTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Libraries = ["Jpki.Core", "Jpki.Verification"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "jpki-pack-" + Guid.NewGuid().ToString("N")[..12]);
    // A version no feed has: the build can only get it from the folder feed, never from a cache of an earlier run.
    private readonly string _version = "0.0.0-packtest." + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();

    [Fact]
    public async Task PackedLibraries_SampleBuildsFromTheFolderFeedAlone()
    {
        var watch = Stopwatch.StartNew();
        var repository = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var feed = Directory.CreateDirectory(Path.Combine(_root, "feed")).FullName;
        foreach (var library in Libraries)
        {
            // --no-build: the libraries the suite already built (test.sh builds the solution first).
            await DotnetAsync(repository, "pack", Path.Combine(repository, "src", library, library + ".csproj"), "-c", configuration, "--no-build", "-o", feed, "-p:PackageVersion=" + _version);
        }

        var verificationPackage = Path.Combine(feed, $"OpenJpki.Verification.{_version}.nupkg");
        var (dependencies, files) = ReadPackage(verificationPackage);
        Assert.Contains(("OpenJpki.Core", _version), dependencies);
        Assert.DoesNotContain(files, f => f.EndsWith("Jpki.Core.dll", StringComparison.Ordinal));
        foreach (var library in Libraries)
        {
            AssertPackageMetadata(Path.Combine(feed, $"OpenJpki.{library["Jpki.".Length..]}.{_version}.nupkg"), library);
        }

        var sample = CopySample(repository);
        await DotnetAsync(sample, "build", Path.Combine(sample, "Jpki.Samples.RelyingParty.csproj"), "-c", "Release", "-p:JpkiPackageVersion=" + _version);

        var libraries = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(sample, "obj", "project.assets.json"))).RootElement.GetProperty("libraries");
        Assert.Equal("package", libraries.GetProperty($"OpenJpki.Verification/{_version}").GetProperty("type").GetString());
        Assert.Equal("package", libraries.GetProperty($"OpenJpki.Core/{_version}").GetProperty("type").GetString());
        Assert.DoesNotContain(libraries.EnumerateObject(), l => l.Value.GetProperty("type").GetString() == "project");
        Assert.True(File.Exists(Path.Combine(sample, "bin", "Release", "net10.0", "Jpki.Verification.dll")));
        output.WriteLine($"pack + build from the folder feed: {watch.Elapsed.TotalSeconds:F1} s");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        // The build extracted the test version into the global packages folder: remove it again.
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "openjpki.core", "openjpki.verification" })
        {
            var extracted = Path.Combine(packages, id, _version);
            if (Directory.Exists(extracted))
            {
                Directory.Delete(extracted, recursive: true);
            }
        }
    }

    /// <summary>
    /// The sample's sources and project file, outside the repository: no Directory.Build.props, Directory.Packages.props or
    /// project above it but the minimal ones written here (the versions of the packages it names, as a user's repository has).
    /// </summary>
    private string CopySample(string repository)
    {
        var source = Path.Combine(repository, "samples", "Jpki.Samples.RelyingParty");
        var target = Directory.CreateDirectory(Path.Combine(_root, "site", "Jpki.Samples.RelyingParty")).FullName;
        foreach (var file in Directory.EnumerateFiles(source))
        {
            if (Path.GetExtension(file) is ".cs" or ".csproj" or ".json")
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        var site = Path.GetDirectoryName(target)!;
        File.WriteAllText(Path.Combine(site, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        var versions = XDocument.Load(Path.Combine(repository, "Directory.Packages.props"));
        var sampleVersion = versions.Descendants("PackageVersion").Single(p => (string?)p.Attribute("Include") == "Microsoft.AspNetCore.Authentication.OpenIdConnect");
        File.WriteAllText(Path.Combine(site, "Directory.Packages.props"), new XDocument(new XElement("Project",
            new XElement("ItemGroup", new XElement(sampleVersion)))).ToString());
        // The folder feed in front of the machine's usual sources (the user-level NuGet.Config still applies).
        File.WriteAllText(Path.Combine(site, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="openjpki-local" value="{Path.Combine(_root, "feed")}" />
              </packageSources>
            </configuration>
            """);
        return target;
    }

    /// <summary>
    /// What a package page and a debugger need: the README at the root and named by the nuspec, the XML docs beside the
    /// assembly, the commit it was built from, an assembly compiled deterministically, and a symbols package beside it.
    /// </summary>
    private static void AssertPackageMetadata(string package, string library)
    {
        var (_, files) = ReadPackage(package);
        Assert.Contains("README.md", files);
        Assert.Contains($"lib/net10.0/{library}.dll", files);
        Assert.Contains($"lib/net10.0/{library}.xml", files);
        Assert.True(File.Exists(Path.ChangeExtension(package, ".snupkg")), $"No symbols package beside {Path.GetFileName(package)}.");

        using var zip = ZipFile.OpenRead(package);
        var nuspec = Nuspec(zip);
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);
        var repository = nuspec.Descendants().Single(e => e.Name.LocalName == "repository");
        Assert.Matches("^[0-9a-f]{40}$", (string?)repository.Attribute("commit") ?? string.Empty);
        using (var readme = new StreamReader(zip.GetEntry("README.md")!.Open()))
        {
            Assert.StartsWith("# OpenJpki." + library["Jpki.".Length..], readme.ReadLine(), StringComparison.Ordinal);
        }

        using var assembly = new MemoryStream();
        using (var entry = zip.GetEntry($"lib/net10.0/{library}.dll")!.Open())
        {
            entry.CopyTo(assembly);
        }

        assembly.Position = 0;
        using var pe = new System.Reflection.PortableExecutable.PEReader(assembly);
        Assert.Contains(pe.ReadDebugDirectory(), d => d.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.Reproducible);
    }

    private static XDocument Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static (List<(string Id, string Version)> Dependencies, List<string> Files) ReadPackage(string path)
    {
        using var package = ZipFile.OpenRead(path);
        var document = Nuspec(package);
        var dependencies = document.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, ((string)e.Attribute("version")!).Trim('[', ']'))).ToList();
        return (dependencies, [.. package.Entries.Select(e => e.FullName)]);
    }

    private async Task DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Dotnet)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments.Append("-nologo"))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // The test host's MSBuild settings must not leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        var text = await stdout + await stderr;
        output.WriteLine($"dotnet {string.Join(' ', arguments)}: exit {process.ExitCode}");
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{(text.Length > 6000 ? text[^6000..] : text)}");
    }

    private static string Dotnet => Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "OpenJpki.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No OpenJpki.slnx above " + AppContext.BaseDirectory);
    }
}
