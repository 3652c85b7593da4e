// The sample relying party: `dotnet run --project samples/Jpki.Samples.RelyingParty -- --urls http://127.0.0.1:5080` (README, docs/login.md).
await Jpki.Samples.RelyingParty.SampleSite.Build(args).RunAsync();
