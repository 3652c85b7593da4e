using System.Security.Cryptography;
using Jpki.Municipality.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Staff;

/// <summary>
/// Staff accounts in the counter store: login with lockout (<see cref="LockoutThreshold"/> failures lock the
/// account for <see cref="LockoutDuration"/>), creation, password changes, and the first-start bootstrap. Passwords
/// are hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000 iterations) and are
/// never logged.
/// </summary>
public sealed partial class StaffDirectory(ICounterStore store, TimeProvider clock, ILogger<StaffDirectory> logger)
{
    /// <summary>Failed logins in a row that lock an account.</summary>
    public const int LockoutThreshold = 5;

    /// <summary>The shortest password accepted.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>The supervisor created on first start.</summary>
    public const string InitialAdminId = "admin";

    /// <summary>The file in the data folder holding the first supervisor's one-time password (mode 600; deleted once changed).</summary>
    public const string InitialPasswordFile = "initial-admin-password";

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<StaffRecord> Hasher = new();

    // A valid hash of a random password: a login for an unknown id costs the same as a wrong password.
    private static readonly string DummyHash = Hasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    /// <summary>
    /// Checks a login: the account, or <c>bad-credentials</c> (unknown id and wrong password cost the same),
    /// <c>locked</c>, <c>disabled</c>. A wrong password counts towards the lockout.
    /// </summary>
    public async Task<StaffLoginResult> LoginAsync(string id, string password, CancellationToken cancellationToken)
    {
        var staff = StaffId.IsValid(id) ? await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (staff is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash, password);
            return new StaffLoginResult(null, StaffLoginResult.BadCredentials);
        }

        var now = clock.GetUtcNow();
        if (staff.IsLockedAt(now))
        {
            return new StaffLoginResult(null, StaffLoginResult.Locked);
        }

        var verdict = Hasher.VerifyHashedPassword(staff, staff.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var after = await store.RecordLoginFailureAsync(staff.Id, LockoutThreshold, now + LockoutDuration, cancellationToken).ConfigureAwait(false);
            if (after?.IsLockedAt(now) == true)
            {
                LogLocked(logger, staff.Id);
                return new StaffLoginResult(null, StaffLoginResult.Locked);
            }

            return new StaffLoginResult(null, StaffLoginResult.BadCredentials);
        }

        if (staff.Disabled)
        {
            return new StaffLoginResult(null, StaffLoginResult.Disabled);
        }

        await store.RecordLoginSuccessAsync(staff.Id, cancellationToken).ConfigureAwait(false);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            staff = staff with { PasswordHash = Hasher.HashPassword(staff, password) };
            await store.UpdateStaffAsync(staff with { FailedLogins = 0, LockedUntil = null }, cancellationToken).ConfigureAwait(false);
        }

        return new StaffLoginResult(staff with { FailedLogins = 0, LockedUntil = null }, null);
    }

    /// <summary>Adds an account with a password the holder must change at first login. Codes: <c>bad-id</c>, <c>bad-name</c>, <c>weak-password</c>, <c>existing-id</c>.</summary>
    public async Task<string?> AddAsync(string id, string displayName, StaffRole role, string password, bool mustChange, CancellationToken cancellationToken)
    {
        if (!StaffId.IsValid(id))
        {
            return "bad-id";
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 64)
        {
            return "bad-name";
        }

        if (!IsStrong(password))
        {
            return "weak-password";
        }

        var record = new StaffRecord(id, displayName.Trim(), role, string.Empty, MustChangePassword: mustChange);
        record = record with { PasswordHash = Hasher.HashPassword(record, password) };
        return await store.AddStaffAsync(record, cancellationToken).ConfigureAwait(false) ? null : "existing-id";
    }

    /// <summary>Changes the holder's own password. Codes: <c>bad-credentials</c>, <c>weak-password</c>, <c>same-password</c>.</summary>
    public async Task<string?> ChangePasswordAsync(string id, string current, string next, string dataDirectory, CancellationToken cancellationToken)
    {
        var staff = await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false);
        if (staff is null || Hasher.VerifyHashedPassword(staff, staff.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            return StaffLoginResult.BadCredentials;
        }

        if (!IsStrong(next))
        {
            return "weak-password";
        }

        if (string.Equals(current, next, StringComparison.Ordinal))
        {
            return "same-password";
        }

        await store.UpdateStaffAsync(staff with { PasswordHash = Hasher.HashPassword(staff, next), MustChangePassword = false }, cancellationToken).ConfigureAwait(false);
        if (staff.Id == InitialAdminId)
        {
            // The one-time password has served its purpose.
            File.Delete(Path.Combine(dataDirectory, InitialPasswordFile));
        }

        return null;
    }

    /// <summary>
    /// Sets a new password that the holder must change at the next login, and lifts a lockout (a supervisor's or the
    /// operator's recovery for a forgotten password). Codes: <c>unknown-id</c>, <c>weak-password</c>.
    /// </summary>
    public async Task<string?> ResetPasswordAsync(string id, string password, CancellationToken cancellationToken)
    {
        var staff = StaffId.IsValid(id) ? await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (staff is null)
        {
            return "unknown-id";
        }

        if (!IsStrong(password))
        {
            return "weak-password";
        }

        var updated = staff with { PasswordHash = Hasher.HashPassword(staff, password), MustChangePassword = true, FailedLogins = 0, LockedUntil = null };
        if (!await store.UpdateStaffAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return "unknown-id";
        }

        LogPasswordReset(logger, id);
        return null;
    }

    /// <summary>Enables or disables an account (a supervisor's action). False when unknown.</summary>
    public async Task<bool> SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken)
    {
        var staff = await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false);
        return staff is not null && await store.UpdateStaffAsync(staff with { Disabled = disabled }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// First start: when no staff account exists, creates the supervisor <c>admin</c> with a random one-time password
    /// written to <c>&lt;data&gt;/initial-admin-password</c> (mode 600). The log names the file, never the password.
    /// </summary>
    public async Task BootstrapAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        if ((await store.ListStaffAsync(cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        var password = NewPassword();
        var path = Path.Combine(dataDirectory, InitialPasswordFile);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        await using (var file = new StreamWriter(path, options))
        {
            await file.WriteLineAsync(password.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        if (await AddAsync(InitialAdminId, "初期管理者", StaffRole.Supervisor, password, mustChange: true, cancellationToken).ConfigureAwait(false) is null)
        {
            LogBootstrapped(logger, InitialAdminId, path);
        }
    }

    /// <summary>A random password of 20 characters from an alphabet without look-alikes (about 100 bits).</summary>
    /// <returns>The password.</returns>
    public static string NewPassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(Alphabet, 20);
    }

    /// <summary>True when <paramref name="password"/> has 10–128 characters.</summary>
    public static bool IsStrong(string? password) => password is { Length: >= MinPasswordLength and <= 128 };

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "No staff account existed: created the supervisor '{Id}'. Its one-time password is in {Path} (readable by this user only); log in at /staff/login and choose a new one.")]
    private static partial void LogBootstrapped(ILogger logger, string id, string path);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Staff account '{Id}': password reset; the holder must choose a new one at the next login.")]
    private static partial void LogPasswordReset(ILogger logger, string id);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Staff account '{Id}' locked after repeated failed logins.")]
    private static partial void LogLocked(ILogger logger, string id);
}
