namespace CrmMarketing.Web.Data.DemoData;

public sealed class DemoDataSeeder
{
    public Task SeedAccountsAsync(CancellationToken ct) => Task.CompletedTask;

    public Task SeedDataAsync(CancellationToken ct) => Task.CompletedTask;
}
