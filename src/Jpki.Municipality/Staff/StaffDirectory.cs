using System.Security.Cryptography;
using Jpki.Municipality.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Jpki.Municipality.Staff;

/// <summary>
/// Staff accounts in the counter store: login with a lockout per login id and client (<see cref="LockoutThreshold"/>
/// failures from one terminal lock that id from that terminal for <see cref="LockoutDuration"/>, so nobody can lock a
/// clerk out of the desk from elsewhere), creation, password changes, and the first-start bootstrap. Passwords are
/// hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, 100,000 iterations) and are
/// never logged.
/// </summary>
/// <remarks>
/// Every login attempt costs the same whatever the id: one password hash (a dummy one for an unknown id or a lock),
/// one read of the account and one read and write of the failure count — an unknown id is counted and locked like a
/// known one — so neither the answer nor its timing says which ids exist. A given-out password (the first admin's
/// one-time password, a reset) opens one session only, which may do nothing but change it.
/// </remarks>
public sealed partial class StaffDirectory(ICounterStore store, TimeProvider clock, ILogger<StaffDirectory> logger, IPasswordHasher<StaffRecord>? hasher = null)
{
    /// <summary>Failed logins in a row (one login id from one client) that lock that id from that client.</summary>
    public const int LockoutThreshold = 5;

    /// <summary>The shortest password accepted.</summary>
    public const int MinPasswordLength = 10;

    /// <summary>The supervisor created on first start.</summary>
    public const string InitialAdminId = "admin";

    /// <summary>The file in the data folder holding the first supervisor's one-time password (mode 600; deleted once changed).</summary>
    public const string InitialPasswordFile = "initial-admin-password";

    /// <summary>How long a lockout lasts.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<StaffRecord> DefaultHasher = new();

    // A valid hash of a random password: a login for an unknown id or from a locked client costs the same as a wrong password.
    private static readonly string DummyHash = DefaultHasher.HashPassword(null!, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private readonly IPasswordHasher<StaffRecord> _hasher = hasher ?? DefaultHasher;

    /// <summary>
    /// Checks <paramref name="password"/> for <paramref name="id"/> from <paramref name="client"/> (the terminal's
    /// address). Codes: <c>bad-credentials</c> (also for an unknown id), <c>locked</c> (this id from this client),
    /// <c>disabled</c>, <c>one-time-used</c> (a given-out password that already opened a session).
    /// </summary>
    public async Task<StaffLoginResult> LoginAsync(string id, string password, string client, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var staff = StaffId.IsValid(id) ? await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var key = LoginKey(id, staff);
        var state = await store.FindClientLoginStateAsync(key, client, cancellationToken).ConfigureAwait(false);
        if (state.IsLockedAt(now))
        {
            // The same hash as any attempt, so a lock does not answer faster than a guess.
            _hasher.VerifyHashedPassword(null!, DummyHash, password);
            return new StaffLoginResult(null, StaffLoginResult.Locked);
        }

        var verdict = _hasher.VerifyHashedPassword(staff!, staff?.PasswordHash ?? DummyHash, password);
        if (staff is null || verdict == PasswordVerificationResult.Failed)
        {
            var after = await store.RecordClientLoginFailureAsync(key, client, LockoutThreshold, now, now + LockoutDuration, cancellationToken).ConfigureAwait(false);
            if (after.IsLockedAt(now))
            {
                LogLocked(logger, key);
                return new StaffLoginResult(null, StaffLoginResult.Locked);
            }

            return new StaffLoginResult(null, StaffLoginResult.BadCredentials);
        }

        await store.ClearClientLoginFailuresAsync(key, client, cancellationToken).ConfigureAwait(false);
        if (staff.Disabled)
        {
            return new StaffLoginResult(null, StaffLoginResult.Disabled);
        }

        if (staff.MustChangePassword)
        {
            if (staff.OneTimePasswordUsed)
            {
                return new StaffLoginResult(null, StaffLoginResult.OneTimeUsed);
            }

            // A given-out password opens one session: the next login with it is refused until a supervisor resets it.
            staff = staff with { OneTimePasswordUsed = true, SessionStamp = NewStamp() };
            await store.UpdateStaffAsync(staff, cancellationToken).ConfigureAwait(false);
            LogOneTimeUsed(logger, staff.Id);
            return new StaffLoginResult(staff, null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            staff = staff with { PasswordHash = _hasher.HashPassword(staff, password) };
            await store.UpdateStaffAsync(staff, cancellationToken).ConfigureAwait(false);
        }

        if (staff.SessionStamp.Length == 0)
        {
            // An account from before sessions had stamps.
            staff = staff with { SessionStamp = NewStamp() };
            await store.UpdateStaffAsync(staff, cancellationToken).ConfigureAwait(false);
        }

        return new StaffLoginResult(staff, null);
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

        if (!StaffPasswordPolicy.IsStrong(password, id, displayName))
        {
            return "weak-password";
        }

        var record = new StaffRecord(id, displayName.Trim(), role, string.Empty, MustChangePassword: mustChange, SessionStamp: NewStamp());
        record = record with { PasswordHash = _hasher.HashPassword(record, password) };
        return await store.AddStaffAsync(record, cancellationToken).ConfigureAwait(false) ? null : "existing-id";
    }

    /// <summary>
    /// Changes the holder's own password from <paramref name="client"/>, and ends every other session of the account
    /// (the caller signs the holder in again with the returned record). A wrong current password counts as a failed
    /// login of this id from this client. Codes: <c>bad-credentials</c>, <c>locked</c>, <c>weak-password</c>, <c>same-password</c>.
    /// </summary>
    public async Task<(string? Code, StaffRecord? Staff)> ChangePasswordAsync(string id, string current, string next, string client, string dataDirectory, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var state = await store.FindClientLoginStateAsync(id, client, cancellationToken).ConfigureAwait(false);
        var staff = await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false);
        if (state.IsLockedAt(now))
        {
            _hasher.VerifyHashedPassword(null!, DummyHash, current);
            return (StaffLoginResult.Locked, null);
        }

        if (staff is null || _hasher.VerifyHashedPassword(staff, staff.PasswordHash, current) == PasswordVerificationResult.Failed)
        {
            var after = await store.RecordClientLoginFailureAsync(id, client, LockoutThreshold, now, now + LockoutDuration, cancellationToken).ConfigureAwait(false);
            if (after.IsLockedAt(now) && staff is not null)
            {
                // Guessing the current password in a stolen session: the session ends with the lock.
                LogLocked(logger, id);
                await store.UpdateStaffAsync(staff with { SessionStamp = NewStamp() }, cancellationToken).ConfigureAwait(false);
                return (StaffLoginResult.Locked, null);
            }

            return (StaffLoginResult.BadCredentials, null);
        }

        if (!StaffPasswordPolicy.IsStrong(next, staff.Id, staff.DisplayName))
        {
            return ("weak-password", null);
        }

        if (string.Equals(current, next, StringComparison.Ordinal))
        {
            return ("same-password", null);
        }

        var changed = staff with { PasswordHash = _hasher.HashPassword(staff, next), MustChangePassword = false, OneTimePasswordUsed = false, SessionStamp = NewStamp() };
        await store.UpdateStaffAsync(changed, cancellationToken).ConfigureAwait(false);
        await store.ClearClientLoginFailuresAsync(id, client, cancellationToken).ConfigureAwait(false);
        if (staff.Id == InitialAdminId)
        {
            // The one-time password has served its purpose.
            File.Delete(Path.Combine(dataDirectory, InitialPasswordFile));
        }

        return (null, changed);
    }

    /// <summary>Ends every session of <paramref name="id"/> (logout: a copied cookie is worthless afterwards).</summary>
    public async Task EndSessionsAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false) is { } staff)
        {
            await store.UpdateStaffAsync(staff with { SessionStamp = NewStamp() }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sets a new password that the holder must change at the next login, lifts every lockout of the id and ends its
    /// sessions (a supervisor's or the operator's recovery for a forgotten password). Codes: <c>unknown-id</c>, <c>weak-password</c>.
    /// </summary>
    public async Task<string?> ResetPasswordAsync(string id, string password, CancellationToken cancellationToken)
    {
        var staff = StaffId.IsValid(id) ? await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false) : null;
        if (staff is null)
        {
            return "unknown-id";
        }

        if (!StaffPasswordPolicy.IsStrong(password, staff.Id, staff.DisplayName))
        {
            return "weak-password";
        }

        var updated = staff with { PasswordHash = _hasher.HashPassword(staff, password), MustChangePassword = true, OneTimePasswordUsed = false, FailedLogins = 0, LockedUntil = null, SessionStamp = NewStamp() };
        if (!await store.UpdateStaffAsync(updated, cancellationToken).ConfigureAwait(false))
        {
            return "unknown-id";
        }

        await store.ClearClientLoginFailuresAsync(id, null, cancellationToken).ConfigureAwait(false);
        LogPasswordReset(logger, id);
        return null;
    }

    /// <summary>Enables or disables an account (a supervisor's action); disabling ends its sessions. False when unknown.</summary>
    public async Task<bool> SetDisabledAsync(string id, bool disabled, CancellationToken cancellationToken)
    {
        var staff = await store.FindStaffAsync(id, cancellationToken).ConfigureAwait(false);
        return staff is not null && await store.UpdateStaffAsync(staff with { Disabled = disabled, SessionStamp = disabled ? NewStamp() : staff.SessionStamp }, cancellationToken).ConfigureAwait(false);
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
    public static string NewPassword()
    {
        const string Alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(Alphabet, 20);
    }

    /// <summary>True when <paramref name="password"/> meets <see cref="StaffPasswordPolicy"/> without context words.</summary>
    public static bool IsStrong(string? password) => StaffPasswordPolicy.IsStrong(password, null, null);

    /// <summary>
    /// The id a failure is counted, stored and logged under: a known account's id; for anything else a hash of what was
    /// typed (<c>~</c> + 31 hex digits), so an unknown id locks like a known one but a password typed into the id field
    /// never reaches the store or the log.
    /// </summary>
    private static string LoginKey(string id, StaffRecord? staff) => staff is not null
        ? staff.Id
        : "~" + Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))[..(StaffId.MaxLength - 1)];

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "No staff account existed: created the supervisor '{Id}'. Its one-time password is in {Path} (readable by this user only); log in at /staff/login and choose a new one.")]
    private static partial void LogBootstrapped(ILogger logger, string id, string path);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Staff account '{Id}': password reset; the holder must choose a new one at the next login.")]
    private static partial void LogPasswordReset(ILogger logger, string id);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "Staff login id '{Id}' locked for one client after repeated failed logins.")]
    private static partial void LogLocked(ILogger logger, string id);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Staff account '{Id}': its given-out password opened a session and opens no other; it must be changed now.")]
    private static partial void LogOneTimeUsed(ILogger logger, string id);
}
