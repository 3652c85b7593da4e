using Jpki.Core.Identity;
using Jpki.Municipality.Applications;

namespace Jpki.Municipality.Tests.Storage;

/// <summary>Issue-then-write-card workflows: every state change is conditional, so one of two resolvers wins.</summary>
public abstract partial class CounterStoreContractTests
{
    [Fact]
    public async Task IssuanceWorkflow_IntendedIssuedRevoked_EachStepOnceAndTheBodyClearedWhenDone()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        var intent = new IssuanceWorkflow("req-wf-000001", CertificateKind.Authentication, "R1", "C1", "clerk1", IssuanceWorkflowState.Intended, null, "{\"kind\":\"auth\"}", At, At, 0, null);
        await Store.RecordIssuanceIntentAsync(intent, default);
        await Store.RecordIssuanceIntentAsync(intent with { RequestId = "req-wf-000002", ResidentId = "R2", CreatedAt = At.AddSeconds(1) }, default);

        Assert.Equal(intent, Assert.Single(await Store.ListOpenIssuancesAsync("R1", default)));
        Assert.Equal(["req-wf-000001", "req-wf-000002"], (await Store.ListOpenIssuancesAsync(null, default)).Select(w => w.RequestId));

        await Store.FailIssuanceAttemptAsync("req-wf-000001", "HttpRequestException: down", At.AddMinutes(1), default);
        Assert.True(await Store.MarkIssuanceIssuedAsync("req-wf-000001", "0ABC", At.AddMinutes(2), default));
        Assert.False(await Store.MarkIssuanceIssuedAsync("req-wf-000001", "0DEF", At.AddMinutes(2), default));
        var issued = Assert.Single(await Store.ListOpenIssuancesAsync("R1", default));
        Assert.Equal((IssuanceWorkflowState.Issued, "0ABC", 1, "HttpRequestException: down", At.AddMinutes(2)), (issued.State, issued.Serial, issued.Attempts, issued.LastError, issued.UpdatedAt));

        Assert.False(await Store.CompleteIssuanceAsync("req-wf-000001", IssuanceWorkflowState.Intended, IssuanceWorkflowState.NotIssued, At.AddMinutes(3), default));
        Assert.True(await Store.CompleteIssuanceAsync("req-wf-000001", IssuanceWorkflowState.Issued, IssuanceWorkflowState.Revoked, At.AddMinutes(3), default));
        Assert.False(await Store.CompleteIssuanceAsync("req-wf-000001", IssuanceWorkflowState.Issued, IssuanceWorkflowState.Written, At.AddMinutes(3), default));

        Assert.Empty(await Store.ListOpenIssuancesAsync("R1", default));
        var done = Assert.Single(await Store.ListIssuancesAsync("R1", 10, default));
        Assert.Equal((IssuanceWorkflowState.Revoked, "0ABC", (string?)null), (done.State, done.Serial, done.RequestBody));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.CompleteIssuanceAsync("req-wf-000002", IssuanceWorkflowState.Intended, IssuanceWorkflowState.Issued, At, default));
    }

    [Fact]
    public async Task IssuanceWorkflow_WritingMark_OnlyFromIssued_KeepsTheBodyUntilDone_OpenAndCountedLikeTheOthers()
    {
        await Store.AddResidentsAsync([Person("R1")], default);
        var intent = new IssuanceWorkflow("req-wf-000003", CertificateKind.Signature, "R1", "C1", "clerk1", IssuanceWorkflowState.Intended, null, "{\"kind\":\"sign\"}", At, At, 0, null);
        await Store.RecordIssuanceIntentAsync(intent, default);

        Assert.False(await Store.MarkIssuanceWritingAsync("req-wf-000003", At.AddMinutes(1), default)); // not issued yet
        Assert.True(await Store.MarkIssuanceIssuedAsync("req-wf-000003", "0ABC", At.AddMinutes(1), default));
        Assert.True(await Store.MarkIssuanceWritingAsync("req-wf-000003", At.AddMinutes(2), default));
        Assert.False(await Store.MarkIssuanceWritingAsync("req-wf-000003", At.AddMinutes(2), default));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.CompleteIssuanceAsync("req-wf-000003", IssuanceWorkflowState.Issued, IssuanceWorkflowState.Writing, At, default));

        await Store.FailIssuanceAttemptAsync("req-wf-000003", "card-needed: present card C1", At.AddMinutes(3), default);
        var writing = Assert.Single(await Store.ListOpenIssuancesAsync(null, default));
        Assert.Equal((IssuanceWorkflowState.Writing, "0ABC", "{\"kind\":\"sign\"}", 1, "card-needed: present card C1"), (writing.State, writing.Serial, writing.RequestBody, writing.Attempts, writing.LastError));

        Assert.False(await Store.CompleteIssuanceAsync("req-wf-000003", IssuanceWorkflowState.Issued, IssuanceWorkflowState.Revoked, At.AddMinutes(4), default));
        Assert.True(await Store.CompleteIssuanceAsync("req-wf-000003", IssuanceWorkflowState.Writing, IssuanceWorkflowState.Written, At.AddMinutes(4), default));
        Assert.False(await Store.CompleteIssuanceAsync("req-wf-000003", IssuanceWorkflowState.Writing, IssuanceWorkflowState.Revoked, At.AddMinutes(4), default));
        Assert.Empty(await Store.ListOpenIssuancesAsync(null, default));
        Assert.Null(Assert.Single(await Store.ListIssuancesAsync("R1", 10, default)).RequestBody);
    }
}
