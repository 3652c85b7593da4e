using Jpki.Authority.Registry;
using Microsoft.Extensions.Time.Testing;

namespace Jpki.Authority.Tests.Registry;

public sealed class RegistryFactoryTests
{
    public static TheoryData<string, RegistryEngine, string> Settings => new()
    {
        { "Host=db.example;Port=5433;Database=jpki;Username=ca;Password=s3cret", RegistryEngine.Postgres, "db.example:5433/jpki" },
        { "host=localhost;Database=jpki", RegistryEngine.Postgres, "localhost:5432/jpki" },
        { "postgres://ca:s3cret@db.example:5433/jpki?sslmode=disable", RegistryEngine.Postgres, "db.example:5433/jpki" },
        { "postgresql://db.example/jpki", RegistryEngine.Postgres, "db.example:5432/jpki" },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Resolve_PostgresSettings_ArePostgresWithoutPasswordInDescription(string setting, RegistryEngine engine, string description)
    {
        var location = RegistryFactory.Resolve(setting, environmentOverride: null);

        Assert.Equal(engine, location.Engine);
        Assert.Equal(description, location.Description);
        Assert.DoesNotContain("s3cret", location.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", location.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_PostgresUrl_CarriesUserPasswordAndParameters()
    {
        var location = RegistryFactory.Resolve("postgres://ca%40city:p%3Ass@db.example:5433/jpki?sslmode=disable", environmentOverride: null);

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(location.Target);
        Assert.Equal("ca@city", builder.Username);
        Assert.Equal("p:ss", builder.Password);
        Assert.Equal("db.example", builder.Host);
        Assert.Equal(5433, builder.Port);
        Assert.Equal("jpki", builder.Database);
        Assert.Equal(Npgsql.SslMode.Disable, builder.SslMode);
    }

    [Fact]
    public void Resolve_Folder_IsSqliteFileInsideIt()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jpki-data-" + Guid.NewGuid().ToString("N")[..8]);

        var location = RegistryFactory.Resolve(folder, environmentOverride: null);

        Assert.Equal(RegistryEngine.Sqlite, location.Engine);
        Assert.Equal(Path.Combine(folder, "registry.db"), location.Target);
    }

    [Fact]
    public void Resolve_DbFile_IsThatFile()
    {
        var location = RegistryFactory.Resolve("/var/lib/jpki/city.db", environmentOverride: null);

        Assert.Equal(RegistryEngine.Sqlite, location.Engine);
        Assert.Equal("/var/lib/jpki/city.db", location.Target);
    }

    [Fact]
    public void Resolve_EnvironmentOverride_WinsOverTheSetting()
    {
        var location = RegistryFactory.Resolve("/var/lib/jpki", environmentOverride: "Host=override;Database=jpki");

        Assert.Equal(RegistryEngine.Postgres, location.Engine);
        Assert.Equal("override:5432/jpki", location.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Resolve_NothingConfigured_ThrowsArgumentException(string? setting)
    {
        Assert.Throws<ArgumentException>(() => RegistryFactory.Resolve(setting, environmentOverride: null));
    }

    [Theory]
    [InlineData("Host=h;NoSuchKey=1")]
    [InlineData("postgres://h/db?nosuchparameter=1")]
    [InlineData("postgres:///db")]
    public void Resolve_BadPostgresSetting_ThrowsArgumentException(string setting)
    {
        Assert.Throws<ArgumentException>(() => RegistryFactory.Resolve(setting, environmentOverride: null));
    }

    [Fact]
    public async Task OpenAsync_Folder_CreatesTheDatabaseMigratedAndUsable()
    {
        var folder = Path.Combine(Path.GetTempPath(), "jpki-data-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var store = await RegistryFactory.OpenAsync(RegistryFactory.Resolve(folder, null), new FakeTimeProvider(), migrate: true, CancellationToken.None);
            await using (store)
            {
                Assert.Equal(RegistryEngine.Sqlite, store.Engine);
                Assert.Equal(5, await store.GetSchemaVersionAsync(CancellationToken.None));
                await store.AddAsync(TestRecords.Create("01"), CancellationToken.None);
            }

            Assert.True(File.Exists(Path.Combine(folder, "registry.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
