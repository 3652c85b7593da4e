namespace Jpki.Cli.Tests.Commands.Rules;

public sealed class PinCommandTests
{
    [Theory]
    [InlineData("sign", 6, 16, 5)]
    [InlineData("auth", 4, 4, 3)]
    [InlineData("card", 4, 4, 3)]
    public async Task Pin_NoInput_PrintsPolicy(string kind, int min, int max, int tries)
    {
        var (code, stdout, _) = await CliRunner.RunAsync("rules", "pin", "--kind", kind, "--json");
        Assert.Equal(0, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(min, json.GetProperty("minLength").GetInt32());
        Assert.Equal(max, json.GetProperty("maxLength").GetInt32());
        Assert.Equal(tries, json.GetProperty("maxTries").GetInt32());
        Assert.False(json.TryGetProperty("acceptable", out _));
    }

    [Theory]
    [InlineData("sign", "qx7rk2\n", 0, null)]
    [InlineData("sign", "QX7RK2\r\n", 0, null)]
    [InlineData("sign", "qx7rk\n", 1, "pin-too-short")]
    [InlineData("sign", "qxwrkz\n", 1, "pin-needs-digit")]
    [InlineData("sign", "", 1, "pin-empty")]
    [InlineData("auth", "8305\n", 0, null)]
    [InlineData("auth", "83o5\n", 1, "pin-bad-character")]
    [InlineData("card", "83051\n", 1, "pin-too-long")]
    public async Task Pin_Stdin_VerdictWithoutEcho(string kind, string stdin, int exit, string? refusal)
    {
        var (code, stdout, stderr) = await CliRunner.RunWithInputAsync(stdin, "rules", "pin", "--kind", kind, "--stdin", "--json");
        Assert.Equal(exit, code);
        var json = JsonOutput.Parse(stdout);
        Assert.Equal(exit == 0, json.GetProperty("acceptable").GetBoolean());
        Assert.Equal(refusal, json.Str("code"));
        AssertNotEchoed(stdin, stdout, stderr);
    }

    [Fact]
    public async Task Pin_StdinHuman_NamesRuleWithoutEcho()
    {
        const string Secret = "7z9y1x5w3v2u8t6s4"; // 17 characters
        var (code, stdout, stderr) = await CliRunner.RunWithInputAsync(Secret + "\n", "rules", "pin", "--kind", "sign", "--stdin");
        Assert.Equal(1, code);
        Assert.Contains("pin-too-long", stdout, StringComparison.Ordinal);
        AssertNotEchoed(Secret, stdout, stderr);
    }

    [Theory]
    [InlineData("k4t9m2p7", 0, null)]
    [InlineData("k4t9m2p7!", 1, "pin-bad-character")]
    public async Task Pin_FromEnv_VerdictWithoutEcho(string secret, int exit, string? refusal)
    {
        var variable = $"JPKI_TEST_PIN_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            var (code, stdout, stderr) = await CliRunner.RunAsync("rules", "pin", "--kind", "sign", "--from-env", variable, "--json");
            Assert.Equal(exit, code);
            Assert.Equal(refusal, JsonOutput.Parse(stdout).Str("code"));
            AssertNotEchoed(secret, stdout, stderr);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Pin_FromEnvUnset_Exits2NamingVariable()
    {
        var variable = $"JPKI_TEST_UNSET_{Guid.NewGuid():N}";
        var (code, _, stderr) = await CliRunner.RunAsync("rules", "pin", "--kind", "auth", "--from-env", variable);
        Assert.Equal(2, code);
        Assert.Contains(variable, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rules", "pin")] // --kind missing
    [InlineData("rules", "pin", "--kind", "juki")]
    [InlineData("rules", "pin", "--kind", "auth", "--stdin", "--from-env", "X")]
    [InlineData("rules", "pin", "--kind", "auth", "1234")] // a PIN as a plain argument is not accepted
    [InlineData("rules", "pin", "--kind", "auth", "--pin", "1234")]
    public async Task Pin_BadUsage_Exits2(params string[] args)
    {
        var (code, stdout, stderr) = await CliRunner.RunWithInputAsync("1234\n", args);
        Assert.Equal(2, code);
        Assert.False(stdout.Contains("acceptable", StringComparison.Ordinal), "no verdict on bad usage");
        _ = stderr;
    }

    private static void AssertNotEchoed(string secret, string stdout, string stderr)
    {
        var trimmed = secret.TrimEnd('\r', '\n');
        if (trimmed.Length == 0)
        {
            return;
        }

        // Assert.True, not DoesNotContain: a failure must not print the secret.
        Assert.True(!stdout.Contains(trimmed, StringComparison.OrdinalIgnoreCase), "stdout echoes the PIN");
        Assert.True(!stderr.Contains(trimmed, StringComparison.OrdinalIgnoreCase), "stderr echoes the PIN");
    }
}
