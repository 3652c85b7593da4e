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
    public static void AddCounterWeb(this WebApplicationBuilder builder, JpkiServerOptions options, CounterWeb? counter)
    {
        if (counter is not null)
        {
            builder.Services.AddSingleton(counter);
            builder.Services.AddSingleton(counter.Store);
            builder.Services.AddSingleton<CounterOperations>();
        }
        else
        {
            // Startup is synchronous, like the authority's: one SQLite file and its migrations.
            var store = CounterStores.OpenSqlite(Path.Combine(options.DataDirectory, CounterStores.DefaultFileName));
            store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
            builder.Services.AddSingleton(_ => new OwnedCounterStore(store));
            builder.Services.AddSingleton(store);
        }

        builder.Services.AddStaffAuthentication();
        builder.Services.AddOpenApi();
    }

    public static void MapCounterWeb(this WebApplication app, JpkiServerOptions options)
    {
        app.Services.GetService<OwnedCounterStore>();
        app.Services.GetRequiredService<StaffDirectory>().BootstrapAsync(options.DataDirectory, CancellationToken.None).GetAwaiter().GetResult();
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
