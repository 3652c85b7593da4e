using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Jpki.Testing;

/// <summary>
/// A real PostgreSQL 15 server for the test run: initdb into a temp folder, pg_ctl start on a free loopback port
/// (and a unix socket in the same folder), trust authentication, stopped with <c>pg_ctl stop -m immediate</c> (then by
/// PID) on dispose. As root (CI) the server runs as the <c>postgres</c> system user through <c>runuser</c>.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string TestDatabase = "jpki_tests";

    private string? _root;
    private string? _data;
    private int _pid;

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>More server settings (<c>name=value</c>, passed as <c>-c</c>), set before <see cref="InitializeAsync"/>.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>
    /// A streaming-replication standby of <paramref name="primary"/>: <c>pg_basebackup -R</c> into a new folder (the
    /// primary's <c>initdb</c> allows replication connections from 127.0.0.1), started on its own port with
    /// <paramref name="applicationName"/> in its <c>primary_conninfo</c> so the primary can name it in
    /// <c>synchronous_standby_names</c>. Waits until it accepts (read-only) connections.
    /// </summary>
    public static async Task<PostgresServer> StandbyOfAsync(PostgresServer primary, string applicationName)
    {
        ArgumentNullException.ThrowIfNull(primary);
        if (!File.Exists(Path.Combine(BinDirectory, "pg_basebackup")))
        {
            throw new InvalidOperationException(
                $"{BinDirectory}/pg_basebackup is missing: install the Debian package postgresql-client-15 (apt-get install -y postgresql-client-15; postgresql-15 depends on it).");
        }

        // No settings of the primary: a promoted standby must not wait for a synchronous standby of its own.
        var standby = new PostgresServer();
        standby._root = Path.Combine(Path.GetTempPath(), "jpki-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(standby._root);
        if (IsRoot())
        {
            await RunAsync("chown", ["postgres:postgres", standby._root], asPostgres: false);
        }

        standby._data = Path.Combine(standby._root, "data");
        standby.Port = FreePort();
        await RunAsync(Path.Combine(BinDirectory, "pg_basebackup"), [
            "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", standby._data, "-R", "-X", "stream", "--no-sync",
            "-d", $"host=127.0.0.1 port={primary.Port.ToString(CultureInfo.InvariantCulture)} user=postgres application_name={applicationName}"], asPostgres: true);
        await standby.StartServerAsync();
        return standby;
    }

    /// <summary>Promotes this standby to a primary (<c>pg_ctl promote -w</c>): it accepts writes when this returns.</summary>
    public Task PromoteAsync() =>
        RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["promote", "-w", "-t", "60", "-D", _data ?? throw new InvalidOperationException("Not initialised.")], asPostgres: true);

    /// <summary>A connection string to <paramref name="database"/>.</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
        Pooling = true,
    }.ConnectionString;

    /// <summary>
    /// Creates an empty schema with a unique name in the database <c>jpki_tests</c> and returns a connection
    /// string whose search path is that schema: as isolated as a new database for the store, at a fraction of the
    /// cost (CREATE DATABASE copies and syncs a template).
    /// </summary>
    public async Task<string> CreateSchemaAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString(TestDatabase));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString(TestDatabase)) { SearchPath = name }.ConnectionString;
    }

    public async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")) || !File.Exists(Path.Combine(BinDirectory, "pg_ctl")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL 15 is not installed ({BinDirectory}/initdb is missing): install the Debian package postgresql-15 (apt-get install -y postgresql-15).");
        }

        _root = Path.Combine(Path.GetTempPath(), "jpki-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_root);
        if (IsRoot())
        {
            await RunAsync("chown", ["postgres:postgres", _root], asPostgres: false);
        }

        _data = Path.Combine(_root, "data");
        Port = FreePort();
        await RunAsync(Path.Combine(BinDirectory, "initdb"), ["-D", _data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], asPostgres: true);
        await StartServerAsync();

        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {TestDatabase}", connection);
        await create.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Stops the server as an outage would: <c>pg_ctl stop -m immediate</c> (no checkpoint, open connections cut —
    /// like a crash) or <c>-m fast</c> (clients disconnected, clean shutdown). Data and port are kept for
    /// <see cref="StartAsync"/>. For tests that own their server: never on a shared fixture.
    /// </summary>
    public async Task StopAsync(bool immediate = true)
    {
        if (_data is null || _pid == 0)
        {
            throw new InvalidOperationException("The server is not running.");
        }

        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "-D", _data], asPostgres: true);
        _pid = 0;
    }

    /// <summary>Starts the server again on the same data folder and port (after <see cref="StopAsync"/>); waits until it accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_data is null || _pid != 0)
        {
            throw new InvalidOperationException("The server is already running or was never initialised.");
        }

        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=128MB") +
            string.Concat(Settings.Select(setting => " -c " + setting));
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["start", "-w", "-t", "60", "-D", _data!, "-l", Path.Combine(_root!, "server.log"), "-o", options], asPostgres: true);
        var pidFile = await File.ReadAllLinesAsync(Path.Combine(_data!, "postmaster.pid"));
        _pid = int.Parse(pidFile[0], CultureInfo.InvariantCulture);
    }

    public async Task DisposeAsync()
    {
        if (_data is not null && _pid != 0)
        {
            try
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["stop", "-m", "immediate", "-w", "-D", _data], asPostgres: true);
            }
            catch (InvalidOperationException)
            {
                try
                {
                    using var process = Process.GetProcessById(_pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }

        if (_root is not null)
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a temp folder left behind does no harm.
            }
        }
    }

    private static bool IsRoot() => string.Equals(Environment.UserName, "root", StringComparison.Ordinal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres && IsRoot())
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
