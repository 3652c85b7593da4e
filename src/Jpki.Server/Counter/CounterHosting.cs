using Jpki.Municipality.Hosting;
using Jpki.Municipality.Staff;
using Jpki.Municipality.Storage;
using Jpki.Server.Staff;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Jpki.Server.Counter;

/// <summary>
/// Registers the counter's web parts: the counter store (from the counter services, or the data folder's
/// <c>counter.db</c>), staff authentication with its policies, CSRF, the OpenAPI document, the staff pages, and — when
/// the counter services are there — the JSON API and the counter pages.
/// </summary>
internal static class CounterHosting
{
    /// <summary>The sandbox switch: <c>1</c> opens the counter at any hour (docs/office-hours.md).</summary>
    public const string AlwaysOpenVariable = "JPKI_COUNTER_ALWAYS_OPEN";

    /// <summary>
    /// Test-only: <c>STEP:FILE</c> (<c>issued</c>, <c>writing</c> or <c>written</c>) makes each issuance, on reaching that
    /// step of its issue-then-write-card workflow, create FILE and wait 30 seconds, so that a test can SIGKILL the process
    /// exactly there (docs/faults.md). Harmless if set by mistake: the issuance is only delayed (a warning on stderr at
    /// start says so), its outcome is the same — an unwritable signal file or a cancelled request changes nothing.
    /// </summary>
    public const string IssuancePauseVariable = "JPKI_TEST_ISSUANCE_PAUSE";

    public static void AddCounterWeb(this WebApplicationBuilder builder, JpkiServerOptions options, CounterWeb? counter, CounterRuntime? runtime)
    {
        if (runtime is not null)
        {
            // Through a factory so that the container disposes it with the application (it never disposes the shared authority).
            builder.Services.AddSingleton(_ => runtime);
        }

        if (counter is not null)
        {
            builder.Services.AddSingleton(counter);
            builder.Services.AddSingleton(counter.Store);
            builder.Services.AddSingleton<CounterOperations>();
            builder.Services.AddSingleton<RegisterImports>();
        }
        else
        {
            // Startup is synchronous, like the authority's: one SQLite file and its migrations.
            var store = CounterStores.OpenSqlite(Path.Combine(options.DataDirectory, CounterStores.DefaultFileName));
            store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
            builder.Services.AddSingleton(_ => new OwnedCounterStore(store));
            builder.Services.AddSingleton(store);
        }

        builder.Services.AddStaffAuthentication(options);
        builder.Services.AddSingleton<Web.FormTokens>();
        builder.Services.AddOpenApi();
    }

    /// <summary>The web interface's view of <paramref name="runtime"/>.</summary>
    public static CounterWeb FromRuntime(CounterRuntime runtime) => new(
        runtime.Store, runtime.Counter, runtime.Proxy, runtime.Residents, runtime.Changes, runtime.Issuer, new RuntimeTerminalCards(runtime.Cards),
        letter => Jpki.Municipality.Proxy.InquiryLetterPdf.Render(letter), runtime.Options.AlwaysOpen, runtime.UsesDevelopmentCardKey);

    /// <summary>Opens the counter runtime of the data folder over the server's <paramref name="authority"/> (so its OCSP cache hears the counter's revocations).</summary>
    public static CounterRuntime OpenRuntime(JpkiServerOptions options, TimeProvider clock, Jpki.Authority.Ca.AuthorityRuntime authority) =>
        Composition.CounterComposition.OpenAsync(RuntimeOptions(options), clock, authority, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The counter runtime's options of a server: its data folder and the environment switches below.</summary>
    public static CounterRuntimeOptions RuntimeOptions(JpkiServerOptions options)
    {
        // JPKI_COUNTER_POSTGRES (as for `jpki counter`) puts the counter store on PostgreSQL; unset: counter.db in the data folder.
        var postgres = Environment.GetEnvironmentVariable("JPKI_COUNTER_POSTGRES") is { Length: > 0 } value ? value : null;
        // <data>/counter.json holds the municipality's names, office hours and calendar; JPKI_COUNTER_ALWAYS_OPEN=1 is the sandbox switch.
        var alwaysOpen = Environment.GetEnvironmentVariable(AlwaysOpenVariable) is "1" or "true";
        // The card-management master key: the configured file, or (sandbox mode only, announced) the public development key.
        return new CounterRuntimeOptions
        {
            DataDirectory = options.DataDirectory, PostgresConnectionString = postgres, AlwaysOpen = alwaysOpen,
            CardMasterKeyFile = options.CardMasterKeyFile, UseDevelopmentCardKey = options.Sandbox,
            IssuanceStepHook = PauseHook(Environment.GetEnvironmentVariable(IssuancePauseVariable)),
        };
    }

    /// <summary>The hook of <see cref="IssuancePauseVariable"/>; null when it is unset or not <c>STEP:FILE</c>.</summary>
    private static Func<Jpki.Municipality.Applications.IssuanceStep, Jpki.Core.Identity.CertificateKind, CancellationToken, Task>? PauseHook(string? setting)
    {
        var colon = setting?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || !Enum.TryParse<Jpki.Municipality.Applications.IssuanceStep>(setting![..colon], ignoreCase: true, out var at) || !Enum.IsDefined(at))
        {
            return null;
        }

        var signal = setting[(colon + 1)..];
        Console.Error.WriteLine($"warning: {IssuancePauseVariable} is set: every issuance pauses 30 s at its '{at}' step (a test hook; unset it in a deployment).");
        return async (step, kind, _) =>
        {
            if (step == at)
            {
                // Only ever a delay: a signal file that cannot be written, or a cancelled request, never changes the
                // issuance's path (an exception here would send it through the failure handling).
                try
                {
                    await File.WriteAllTextAsync(signal, Jpki.Authority.Contracts.WireNames.Of(kind), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The test that asked for the signal waits in vain; the issuance goes on after the pause.
                }

                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            }
        };
    }

    public static void MapCounterWeb(this WebApplication app, JpkiServerOptions options)
    {
        app.Services.GetService<OwnedCounterStore>();
        app.Services.GetService<CounterRuntime>();
        app.Services.GetRequiredService<StaffDirectory>().BootstrapAsync(options.DataDirectory, CancellationToken.None).GetAwaiter().GetResult();
        // Before authentication challenges a form posted after the session ended: keep what was typed (never PINs).
        Web.FormDrafts.UseFormDrafts(app);
        app.UseStaffAuthentication();
        app.MapOpenApi();
        app.MapStaffPages(options);
        if (app.Services.GetService<CounterWeb>() is not null)
        {
            app.MapCounterApi();
            app.MapCounterPages();
        }
    }
}
